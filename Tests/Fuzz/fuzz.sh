#!/usr/bin/env bash
# Fuzzes every decoder of requests and events with libFuzzer.
#
#   Tests/Fuzz/fuzz.sh [--runs N] [--jobs J] [--list] [target...]
#   Tests/Fuzz/fuzz.sh --typecheck
#
# With no target, every target runs, one after the other (or J at a time). N defaults to
# 1,000,000 executions per target. Prints per target: executions, executions per second,
# peak RSS, how many inputs decoded, and the result; exits non-zero when any target
# crashed, hung or ran out of memory.
#
# How: SwiftPM builds the four services and everything under them in release mode into
# .build-fuzz, instrumented for libFuzzer and AddressSanitizer and with testing enabled;
# swiftc then compiles the harness (Tests/Fuzz/Harness), which `@testable import`s the
# services, and links it with those object files into .build-fuzz/homeward-fuzz. The
# services' executables are not linked: SwiftPM renames their entry points, so libFuzzer's
# `main` is the only one.
#
# --typecheck only type-checks the harness against the debug build's modules (after `swift
# build --build-tests`), in seconds: the suite runs it, so the harness cannot fall behind the
# services' types unnoticed.
#
# A finding is written as .build-fuzz/fuzz/<target>/crash-* (or timeout-*, oom-*); replay it
# with  HOMEWARD_FUZZ_TARGET=<target> SWIFT_BACKTRACE=enable=no .build-fuzz/homeward-fuzz <file>
set -euo pipefail
# libFuzzer and AddressSanitizer report crashes; Swift's own backtracer would race them.
export SWIFT_BACKTRACE=enable=no

cd "$(dirname "$0")/../.."
repo=$(pwd)
runs=1000000
jobs=1
list=0
typecheck=0
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs=$2; shift 2 ;;
        --jobs) jobs=$2; shift 2 ;;
        --list) list=1; shift ;;
        --typecheck) typecheck=1; shift ;;
        -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
        *) targets+=("$1"); shift ;;
    esac
done

build=.build-fuzz
binary=$build/homeward-fuzz
# Limits of one run: an input of at most 64 KiB, 5 s per input (a hang), 2 GiB of memory.
max_len=65536
timeout=5
rss_limit_mb=2048

# The C module maps and include paths SwiftPM gave the services' compile (in build manifest
# $1), so that the harness sees the same modules.
module_flags_of() {
    python3 - "$1" <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    line = line.strip()
    if line.startswith('args: ["') and '"-module-name","Intake"' in line:
        args = json.loads(line[len('args: '):])
        flags = []
        for i, arg in enumerate(args):
            if arg in ('-Xcc', '-I') and i + 1 < len(args):
                flags += [arg, args[i + 1]]
        print('\n'.join(flags))
        break
EOF
}

if [ "$typecheck" = 1 ]; then
    mapfile -t debug_flags < <(module_flags_of .build/debug.yaml)
    [ ${#debug_flags[@]} -gt 0 ] || { echo "fuzz.sh: no debug build of Intake (run swift build --build-tests first)" >&2; exit 2; }
    exec swiftc -typecheck -parse-as-library -swift-version 6 -module-name HomewardFuzz \
        "${debug_flags[@]}" -I .build/debug/Modules "$repo"/Tests/Fuzz/Harness/*.swift
fi

echo "== building (swift build -c release, instrumented, into $build)" >&2
# One --target per build (SwiftPM keeps only the last), and one -sanitize flag (a second
# replaces the first: coverage would be lost).
for service in Intake HealthScreening TravelBooking Reintegration EventExamples; do
    swift build -c release -j 2 --build-path "$build" --target "$service" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing >&2
done
release=$(swift build -c release --build-path "$build" --show-bin-path)

mapfile -t module_flags < <(module_flags_of "$build/release.yaml")
mapfile -t objects < <(find "$release" -path '*.build/*' -name '*.o' | sort)

harness=("$repo"/Tests/Fuzz/Harness/*.swift)  # absolute, so #filePath finds the repository
if [ ! -x "$binary" ] || [ -n "$(find "${harness[@]}" "${objects[@]}" -newer "$binary" -print -quit)" ]; then
    echo "== linking $binary" >&2
    swiftc -O -parse-as-library -swift-version 6 -module-name HomewardFuzz \
        -sanitize=fuzzer,address -use-ld=lld \
        "${module_flags[@]}" -I "$release/Modules" \
        "${harness[@]}" "${objects[@]}" -lrdkafka -o "$binary"
fi

if [ "$list" = 1 ]; then HOMEWARD_FUZZ_LIST=1 "$binary"; exit 0; fi
if [ ${#targets[@]} -eq 0 ]; then mapfile -t targets < <(HOMEWARD_FUZZ_LIST=1 "$binary"); fi

# One target: seeds from the typed examples into a fresh working corpus (with the inputs kept
# in Tests/Fuzz/corpus/<target>, if any), then libFuzzer. Writes a summary line to $out/summary.
fuzz_one() {
    local target=$1
    local out=$build/fuzz/$target
    rm -rf "$out"
    mkdir -p "$out/corpus"
    HOMEWARD_FUZZ_TARGET=$target HOMEWARD_FUZZ_SEEDS=$out/corpus HOMEWARD_FUZZ_REPO=$repo "$binary" >"$out/seeds.log" 2>&1 \
        || { echo "$target: the seeds could not be written: $(cat "$out/seeds.log")" >&2; return 1; }
    local kept=()
    [ -d "Tests/Fuzz/corpus/$target" ] && kept=("Tests/Fuzz/corpus/$target")
    local status=0 started ended
    started=$(date +%s.%N)
    HOMEWARD_FUZZ_TARGET=$target HOMEWARD_FUZZ_REPO=$repo ASAN_OPTIONS=detect_leaks=1 "$binary" \
        -runs="$runs" -max_len="$max_len" -timeout="$timeout" -rss_limit_mb="$rss_limit_mb" \
        -dict=Tests/Fuzz/json.dict -artifact_prefix="$out/" -print_final_stats=1 \
        "$out/corpus" "${kept[@]}" >"$out/fuzz.log" 2>&1 || status=$?
    ended=$(date +%s.%N)
    local executions per_second rss decoded result
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz.log" | tail -1)
    # libFuzzer's own average counts whole seconds; this one counts the run's wall time.
    per_second=$(awk -v n="${executions:-0}" -v a="$started" -v b="$ended" 'BEGIN { printf "%d", n / (b - a) }')
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$out/fuzz.log" | tail -1)
    decoded=$(sed -n 's/^homeward-fuzz: .*: [0-9]* inputs: \([0-9]*\) accepted, \([0-9]*\) rejected.*/\1 \2/p' "$out/fuzz.log" \
        | awk '{ print $1 + $2 }')
    if [ "$status" = 0 ]; then
        result=ok
    elif grep -q 'ERROR: libFuzzer: timeout' "$out/fuzz.log"; then
        result="HANG ($(ls "$out"/timeout-* 2>/dev/null | head -1))"
    elif grep -q 'ERROR: libFuzzer: out-of-memory\|malloc(.*) exceeds limit' "$out/fuzz.log"; then
        result="OUT OF MEMORY ($(ls "$out"/oom-* "$out"/crash-* 2>/dev/null | head -1))"
    else
        result="CRASH ($(ls "$out"/crash-* "$out"/leak-* 2>/dev/null | head -1); see $out/fuzz.log)"
    fi
    printf '%-50s %10s %8s %7s %8s  %s\n' "$target" "${executions:--}" "${per_second:--}" "${rss:--}" "${decoded:--}" "$result" >"$out/summary"
    [ "$status" = 0 ]
}

printf '%-50s %10s %8s %7s %8s  %s\n' target executions exec/s peak_MB decoded result
failed=0
running=0
for target in "${targets[@]}"; do
    if [ "$jobs" -le 1 ]; then
        fuzz_one "$target" || failed=1
        cat "$build/fuzz/$target/summary" 2>/dev/null || true
    else
        ( fuzz_one "$target"; ) &
        running=$((running + 1))
        if [ "$running" -ge "$jobs" ]; then wait -n || failed=1; running=$((running - 1)); fi
    fi
done
if [ "$jobs" -gt 1 ]; then
    while [ "$running" -gt 0 ]; do wait -n || failed=1; running=$((running - 1)); done
    for target in "${targets[@]}"; do cat "$build/fuzz/$target/summary" 2>/dev/null || true; done
fi
if [ "$failed" != 0 ]; then echo "fuzz.sh: a target failed; see .build-fuzz/fuzz/<target>/fuzz.log" >&2; exit 1; fi

#!/usr/bin/env bash
# Runs the whole built suite as lanes at once, each a serial `swift test`.
#
# Why: the integration tests spend most of their time waiting on processes and the broker,
# so lanes side by side take a fraction of the wall time of one. Lane 1 is JourneyTests (the
# journeys, the fault run, the stage across hosts...) and the compose stack; lane 3 three
# named suites (the benchmark commands' smoke runs, the Schemathesis run, the personal-data
# suite); lane 2 everything else. Lane 4 is the clearance lapse alone: it runs only shortly
# before 00:00 UTC and then mostly sleeps until midnight, so it must not wait behind, or
# hold up, other suites (in lane 1 it added about 7 minutes, 2026-12-07). Two lanes took
# about 600 s and 626 s on 2026-12-08, these lanes 381, 408 and 417 s (the two cores 45 %
# busy), and 405, 439 and 441 s with another process taking one core throughout. The
# lanes come from `swift test list`, so a new suite always lands in one. Each lane takes
# its own test ports (HOMEWARD_TEST_LANE, see freePortRun). Every lane streams, each line
# tagged with its lane.
# The lanes run the test bundle itself (what `swift test` runs): several `swift test` at once
# would wait on each other's lock of .build.
set -uo pipefail
cd "$(dirname "$0")/.."

bundle="$(swift build --show-bin-path)/HomewardPackageTests.xctest"
ids=$("$bundle" --testing-library swift-testing --list-tests) || exit 1
suites=$(printf '%s\n' "$ids" | sed 's|/.*||' | sort -u)
# Lanes 3 and 4 by name; lane 1 by pattern; lane 2 what is left.
named3='JourneyTests.BenchSmokeTests JourneyTests.APIConformanceTests JourneyTests.PersonalDataTests'
named4='JourneyTests.ClearanceLapseTests'
# Every named suite must exist: a renamed one would drop out of its lane unseen.
for suite in $named3 $named4; do
    printf '%s\n' "$suites" | grep -qxF "$suite" || { echo "lanes.sh: no suite $suite to put in its lane" >&2; exit 1; }
done
lanes=(
    "$(printf '%s\n' "$suites" | grep -e '^JourneyTests\.' -e '^DeployTests\.ComposeStackTests$' | grep -vxF -f <(printf '%s\n' $named3 $named4) | paste -sd'|')"
    ""
    "$(printf '%s\n' $named3 | paste -sd'|')"
    "$named4"
)
lanes[1]=$(printf '%s\n' "$suites" | grep -vxF -f <(printf '%s\n' "${lanes[@]}" | tr '|' '\n' | grep .) | paste -sd'|')
for filter in "${lanes[@]}"; do [ -n "$filter" ] || { echo "lanes.sh: a lane is empty" >&2; exit 1; }; done

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
lane() {  # number, filter regex
    HOMEWARD_TEST_LANE=$1 NO_COLOR=1 "$bundle" --testing-library swift-testing --no-parallel --filter "^(${2//./\\.})/" 2>&1 |
        tee "$logs/$1" | sed -u "s/^/[lane $1] /"
}
pids=()
for i in "${!lanes[@]}"; do
    lane $((i + 1)) "${lanes[i]}" & pids+=($!)
done
statuses=()
for pid in "${pids[@]}"; do wait "$pid"; statuses+=($?); done

# The lanes together must have run every listed test: a filter that missed a suite would
# otherwise pass without running it.
listed=$(printf '%s\n' "$ids" | wc -l)
ran=$(cat "$logs"/* | sed -n 's/.*Test run with \([0-9]*\) tests\{0,1\} .*/\1/p' | paste -sd+)
ran=$((ran + 0))
# What failed, again at the end: a CI log keeps only its tail, and a failing test's
# messages (logs included) can push its name far above it.
failed=$(grep -h '✘' "$logs"/* | grep -v 'Test run with' | cut -c1-300 | tail -40)
[ -z "$failed" ] || printf 'lanes.sh: what failed\n%s\n' "$failed"
summary=""
for i in "${!statuses[@]}"; do summary+="lane $((i + 1)) exited ${statuses[i]}, "; done
echo "lanes.sh: ${summary}$ran of $listed listed tests ran"
for status in "${statuses[@]}"; do [ "$status" -eq 0 ] || exit 1; done
[ "$ran" = "$listed" ]

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
fourth='JourneyTests.ClearanceLapseTests'
third_named='JourneyTests.BenchSmokeTests JourneyTests.APIConformanceTests JourneyTests.PersonalDataTests'
third=$(printf '%s\n' "$suites" | grep -xF -f <(printf '%s\n' $third_named) | paste -sd'|')
first=$(printf '%s\n' "$suites" | grep -e '^JourneyTests\.' -e '^DeployTests\.ComposeStackTests$' | grep -vxF -f <(printf '%s\n' $third_named "$fourth") | paste -sd'|')
second=$(printf '%s\n' "$suites" | grep -vxF -f <(printf '%s\n' "$first" "$third" "$fourth" | tr '|' '\n') | paste -sd'|')
# Every named suite must exist: a renamed one would drop out of its lane unseen.
[ -n "$first" ] && [ -n "$second" ] && [ "$(printf '%s\n' "$third" | tr '|' '\n' | wc -l)" -eq 3 ] && printf '%s\n' "$suites" | grep -qxF "$fourth" ||
    { echo "lanes.sh: a lane is empty or a named suite is missing" >&2; exit 1; }

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
lane() {  # number, filter regex
    HOMEWARD_TEST_LANE=$1 NO_COLOR=1 "$bundle" --testing-library swift-testing --no-parallel --filter "^(${2//./\\.})/" 2>&1 |
        tee "$logs/$1" | sed -u "s/^/[lane $1] /"
}
lane 1 "$first" & one=$!
lane 2 "$second" & two=$!
lane 3 "$third" & three=$!
lane 4 "$fourth" & four=$!
wait $one; first_status=$?
wait $two; second_status=$?
wait $three; third_status=$?
wait $four; fourth_status=$?

# Both lanes together must have run every listed test: a filter that missed a suite would
# otherwise pass without running it.
listed=$(printf '%s\n' "$ids" | wc -l)
ran=$(cat "$logs/1" "$logs/2" "$logs/3" "$logs/4" | sed -n 's/.*Test run with \([0-9]*\) tests\{0,1\} .*/\1/p' | paste -sd+)
ran=$((ran + 0))
# What failed, again at the end: a CI log keeps only its tail, and a failing test's
# messages (logs included) can push its name far above it.
failed=$(grep -h '✘' "$logs/1" "$logs/2" "$logs/3" "$logs/4" | grep -v 'Test run with' | cut -c1-300 | tail -40)
[ -z "$failed" ] || printf 'lanes.sh: what failed\n%s\n' "$failed"
echo "lanes.sh: lane 1 exited $first_status, lane 2 exited $second_status, lane 3 exited $third_status, lane 4 exited $fourth_status; $ran of $listed listed tests ran"
[ "$first_status" -eq 0 ] && [ "$second_status" -eq 0 ] && [ "$third_status" -eq 0 ] && [ "$fourth_status" -eq 0 ] && [ "$ran" = "$listed" ]

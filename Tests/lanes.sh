#!/usr/bin/env bash
# Runs the whole built suite as two lanes at once, each a serial `swift test`.
#
# Why: the integration tests spend most of their time waiting on processes and the broker
# (one core at a third of its time over the serial run), so two lanes on two cores take
# about half the wall time, and no suite's tests run beside each other. Lane 1 is
# JourneyTests but the personal-data suite, and the compose stack; lane 2 everything else
# (about 650 s and 710 s with the compose stack in lane 2, 2026-12-07). The lanes come from
# `swift test list`, so a new suite always lands in one. Lane 3 is the clearance lapse alone:
# it runs only shortly before 00:00 UTC and then mostly sleeps until midnight, so beside
# the others it costs no wall time, where in lane 1 it added about 7 minutes (2026-12-07).
# Each lane takes its own test ports
# (HOMEWARD_TEST_LANE, see freePortRun). Both lanes stream, each line tagged with its lane.
# The lanes run the test bundle itself (what `swift test` runs): two `swift test` at once
# would wait on each other's lock of .build.
set -uo pipefail
cd "$(dirname "$0")/.."

bundle="$(swift build --show-bin-path)/HomewardPackageTests.xctest"
ids=$("$bundle" --testing-library swift-testing --list-tests) || exit 1
suites=$(printf '%s\n' "$ids" | sed 's|/.*||' | sort -u)
third='JourneyTests.ClearanceLapseTests'
first=$(printf '%s\n' "$suites" | grep -e '^JourneyTests\.' -e '^DeployTests\.ComposeStackTests$' | grep -v -e '^JourneyTests\.PersonalDataTests$' -e "^$third\$" | paste -sd'|')
second=$(printf '%s\n' "$suites" | grep -vxF -f <(printf '%s\n' "$first" "$third" | tr '|' '\n') | paste -sd'|')
[ -n "$first" ] && [ -n "$second" ] && printf '%s\n' "$suites" | grep -qxF "$third" || { echo "lanes.sh: a lane is empty" >&2; exit 1; }

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
lane() {  # number, filter regex
    HOMEWARD_TEST_LANE=$1 NO_COLOR=1 "$bundle" --testing-library swift-testing --no-parallel --filter "^(${2//./\\.})/" 2>&1 |
        tee "$logs/$1" | sed -u "s/^/[lane $1] /"
}
lane 1 "$first" & one=$!
lane 2 "$second" & two=$!
lane 3 "$third" & three=$!
wait $one; first_status=$?
wait $two; second_status=$?
wait $three; third_status=$?

# Both lanes together must have run every listed test: a filter that missed a suite would
# otherwise pass without running it.
listed=$(printf '%s\n' "$ids" | wc -l)
ran=$(cat "$logs/1" "$logs/2" "$logs/3" | sed -n 's/.*Test run with \([0-9]*\) tests\{0,1\} .*/\1/p' | paste -sd+)
ran=$((ran + 0))
# What failed, again at the end: a CI log keeps only its tail, and a failing test's
# messages (logs included) can push its name far above it.
failed=$(grep -h '✘' "$logs/1" "$logs/2" "$logs/3" | grep -v 'Test run with' | cut -c1-300 | tail -40)
[ -z "$failed" ] || printf 'lanes.sh: what failed\n%s\n' "$failed"
echo "lanes.sh: lane 1 exited $first_status, lane 2 exited $second_status, lane 3 exited $third_status; $ran of $listed listed tests ran"
[ "$first_status" -eq 0 ] && [ "$second_status" -eq 0 ] && [ "$third_status" -eq 0 ] && [ "$ran" = "$listed" ]

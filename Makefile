# The two commands of the README, and the fuzzer. Each installs what is missing first.
.PHONY: run test fuzz deps

run: deps
	swift build
	./.build/debug/homeward up --demo

test: deps
	swift build --build-tests
	./Tests/lanes.sh

# Every decoder of requests and events under libFuzzer; FUZZ_ARGS="--runs 2000 event.intake.case-registered".
fuzz: deps
	./Tests/Fuzz/fuzz.sh $(FUZZ_ARGS)

deps:
	./deploy/local/install-deps.sh

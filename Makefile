# The two commands of the README. Both install what is missing first.
.PHONY: run test deps

run: deps
	swift build
	./.build/debug/homeward up --demo

test: deps
	swift build --build-tests
	swift test --skip-build --no-parallel

deps:
	./deploy/local/install-deps.sh

# The two commands of the README. Both install what is missing first.
.PHONY: run test deps

run: deps
	./deploy/local/run-stack.sh

test: deps
	swift build --build-tests
	swift test --skip-build --no-parallel

deps:
	./deploy/local/install-deps.sh

#!/usr/bin/env bash
# run-all.sh: installs what is missing, builds pkishim and runs every test;
# then again built by clang with AddressSanitizer + UndefinedBehaviorSanitizer;
# then the command-level tests under valgrind; then each
# fuzz target for 30 seconds. Any failure fails the run.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${PKISHIM_BUILD:-$src/build}
jobs=$(nproc)

bash "$src/tests/install-deps.sh"
export PATH="$HOME/.dotnet/tools:$PATH"

cmake -S "$src" -B "$build" -DPKISHIM_WERROR=ON >/dev/null
cmake --build "$build" -j"$jobs"
ctest --test-dir "$build" --output-on-failure -j"$jobs"

# The second build uses clang, so code that leans on gcc's habits (the order
# in which arguments are evaluated, say) fails here rather than in the field.
if [ "${PKISHIM_SKIP_SANITIZERS:-}" != 1 ]; then
	CC=clang cmake -S "$src" -B "$build-sanitize" -DCMAKE_BUILD_TYPE=Debug \
		-DPKISHIM_SANITIZE=ON -DPKISHIM_WERROR=ON >/dev/null
	cmake --build "$build-sanitize" -j"$jobs"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --test-dir "$build-sanitize" --output-on-failure -j"$jobs" -LE pwsh
fi

# Memory errors and leaks in the commands, under valgrind (tests/cmd/lib.sh):
# every command-level suite but those that drive strace or other programs.
if [ "${PKISHIM_SKIP_VALGRIND:-}" != 1 ]; then
	PKISHIM_VALGRIND=1 ctest --test-dir "$build" --output-on-failure -j"$jobs" \
		-L cmd -E 'cmd/test_(faults|secrets|interop)$'
fi

# Every fuzz target for 30 seconds on its committed seeds (README: the long runs).
if [ "${PKISHIM_SKIP_FUZZ:-}" != 1 ]; then
	PKISHIM_FUZZ_BUILD="$build-fuzz" bash "$src/tests/fuzz/run.sh" 30
fi

#!/usr/bin/env bash
# run-all.sh: installs what is missing, builds pkishim twice (plain, and with
# AddressSanitizer + UndefinedBehaviorSanitizer), and runs every test in both.
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

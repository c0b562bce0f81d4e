#!/usr/bin/env bash
# run.sh: builds the libFuzzer targets with clang (ASan + UBSan) and runs each
# on its committed seed corpus for SECONDS seconds (default 30; CI uses 30,
# the long runs in the README used 600).
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-30}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(binder storepath textext certfile svcfile)
build=${PKISHIM_FUZZ_BUILD:-$src/build-fuzz}

CC=clang cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DPKISHIM_FUZZ=ON \
	-DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null
for t in "${targets[@]}"; do
	work="$build/corpus/$t"
	mkdir -p "$work"
	echo "fuzz_$t: ${seconds}s"
	ASAN_OPTIONS=detect_leaks=1 "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" \
		-max_len=65536 -rss_limit_mb=2048 -print_final_stats=1 \
		"$work" "$src/tests/fuzz/corpus/$t" 2>&1 | tail -n 12
done
echo "fuzzing: ${#targets[@]} targets ran ${seconds}s each without a finding"

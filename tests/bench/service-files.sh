#!/bin/bash
# service-files.sh: one thumbprint in 3,000 copies of a real .cscfg, pkishim vs xmlstarlet.
#
#   PKISHIM_BIN=<dir of the built commands> tests/bench/service-files.sh [copies] [runs]
#
# Run by hand (not by CTest). Each run starts from the original bytes; the time
# is one call of each tool over all copies; the median of the runs is printed,
# with byte fidelity: how many files equal the expected bytes (the original
# with exactly the thumbprint value replaced). Beside them, the floor: reading
# every file and replacing it atomically, with no XML work at all.
#
# The copies live on a memory filesystem (/dev/shm) unless PKISHIM_BENCH_DIR
# names another place: on a disk, creating the inode each atomic replacement
# needs is the kernel's work and varies with the allocator's state (journal-less
# ext4 skips recently freed inodes one by one), while xmlstarlet overwrites in
# place. Give a disk directory to see that cost; the floor row shows it.
set -eu

BIN=${PKISHIM_BIN:-$(cd "$(dirname "$0")/../../build/cmdlets" 2>/dev/null && pwd)}
FLOOR=${PKISHIM_FLOOR:-$BIN/../tests/bench_replace_floor}
SHARED=${PKISHIM_SHARED:-$(cd "$(dirname "$0")/../../../shared" && pwd)}
SAMPLE=$SHARED/samples/cscfg/Azure-Samples__cloud-services-extended-support__ServiceConfiguration.Cloud.cscfg
COPIES=${1:-3000}
RUNS=${2:-5}
NEW=0123456789ABCDEF0123456789ABCDEF01234567
NS=http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration
command -v xmlstarlet >/dev/null || { echo "xmlstarlet is not installed"; exit 1; }
[ -x "$BIN/Set-ServiceCertificate" ] || { echo "set PKISHIM_BIN"; exit 1; }
[ -x "$FLOOR" ] || { echo "build bench_replace_floor or set PKISHIM_FLOOR"; exit 1; }
PLACE=${PKISHIM_BENCH_DIR:-/dev/shm}
[ -d "$PLACE" ] || PLACE=${TMPDIR:-/tmp}

WORK=$(mktemp -d "$PLACE/pkishim-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# The expected bytes: the sample with the thumbprint value replaced, nothing else.
python3 - "$SAMPLE" "$WORK/expected" "$NEW" <<'EOF'
import re, sys
data = open(sys.argv[1], 'rb').read()
m = re.search(rb'<Certificate\s[^>]*name="cert"[^>]*thumbprint="([^"]*)"', data)
open(sys.argv[2], 'wb').write(data[:m.start(1)] + sys.argv[3].encode() + data[m.end(1):])
EOF

# Overwrites the copies in place: the benchmark itself frees no inodes.
mkdir "$WORK/d"
fresh() {
	local i
	for i in $(seq 1 "$COPIES"); do cat "$SAMPLE" >"$WORK/d/s$i.cscfg"; done
	sync
}

seconds() { # runs "$@", prints the wall time in seconds
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >/dev/null
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc -l
}

fidelity() { # files equal to the expected bytes
	local n=0 f
	for f in "$WORK"/d/*.cscfg; do cmp -s "$f" "$WORK/expected" && n=$((n + 1)); done
	echo "$n"
}

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

pk_times=() xs_times=() wi_times=() fl_times=()
for r in $(seq 1 "$RUNS"); do
	fresh
	pk_times+=("$(seconds "$BIN/Set-ServiceCertificate" -Path "$WORK/d/*.cscfg" -Name cert -Thumbprint "$NEW")")
	pk_ok=$(fidelity)
	fresh
	wi_times+=("$(seconds "$BIN/Set-ServiceCertificate" -Path "$WORK/d/*.cscfg" -Name cert -Thumbprint "$NEW" -WhatIf)")
	fresh
	xs_times+=("$(seconds xmlstarlet ed -L -P -N "x=$NS" \
	    -u "/x:ServiceConfiguration/x:Role/x:Certificates/x:Certificate[@name='cert']/@thumbprint" \
	    -v "$NEW" "$WORK"/d/*.cscfg)")
	xs_ok=$(fidelity)
	fresh
	fl_times+=("$(seconds "$FLOOR" "$WORK"/d/*.cscfg)")
done
pk=$(printf '%s\n' "${pk_times[@]}" | median)
xs=$(printf '%s\n' "${xs_times[@]}" | median)
wi=$(printf '%s\n' "${wi_times[@]}" | median)
fl=$(printf '%s\n' "${fl_times[@]}" | median)
printf '%d copies of %s, median of %d runs, on %s (%s)\n' "$COPIES" "$(basename "$SAMPLE")" \
    "$RUNS" "$PLACE" "$(stat -f -c %T "$WORK" 2>/dev/null || echo unknown)"
printf '%-26s %10s %18s\n' tool seconds byte-exact
printf '%-26s %10.3f %12d/%d\n' "Set-ServiceCertificate" "$pk" "$pk_ok" "$COPIES"
printf '%-26s %10.3f %12d/%d\n' "xmlstarlet ed -L -P" "$xs" "$xs_ok" "$COPIES"
printf '%-26s %10.3f %18s\n' "  (same, -WhatIf: no write)" "$wi" "-"
printf '%-26s %10.3f %18s\n' "floor: atomic replace only" "$fl" "-"
printf 'speed-up: %.1fx\n' "$(echo "$xs / $pk" | bc -l)"

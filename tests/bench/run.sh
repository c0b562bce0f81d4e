#!/usr/bin/env bash
# run.sh: pkishim's speed, measured side by side in one run (by hand, never in
# CI). Every figure is the median of RUNS runs (default 21) of wall time.
#   tests/bench/run.sh [RUNS]       (PKISHIM_BUILD: the build directory, default build/)
#
# 1. The acceptance script's work (create into LocalMachine\My, PFX, CER) with
#    ECDSA P-256 and RSA 2048: the commands, the openssl CLI doing the same
#    three steps, and the floor (the same library calls in one process; also
#    as it was before 2026-12-07, for comparison: floor.c says what changed);
#    for ECDSA each command alone too, and the least three processes can cost
#    (the floor plus two processes that only start OpenSSL).
# 2. Export-Certificate of one certificate from a store of 1, 1,000 and 10,000.
# 3. Start-up: a command's -? against `openssl version`, and an empty process
#    (/bin/true) for what any program pays here.
# The service-file benchmark is tests/bench/service-files.sh.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${PKISHIM_BUILD:-$src/build}
runs=${1:-21}
export PATH="$build/cmdlets:$PATH"
floor="$build/tests/bench_floor"
work=$(mktemp -d "${TMPDIR:-/tmp}/pkishim-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
export PKISHIM_STORE_ROOT="$work/stores"
cd "$work"

# Microseconds. bash's own clock where it has one: `date` would add two process
# starts (a few ms on a slow virtual machine) to every sample.
if [ -n "${EPOCHREALTIME:-}" ]; then
	now() { t=${EPOCHREALTIME//[.,]/}; }
else
	now() { t=$(($(date +%s%N) / 1000)); }
fi

# The CPU time (user + system, milliseconds) of every process this shell has waited
# for: what other programs on a shared machine disturb least. `times` runs in this
# shell (a command substitution would be a new process, with nothing waited yet).
cpu() {
	local user sys v
	times >"$work/.times"
	{ read -r _ _; read -r user sys; } <"$work/.times"
	c=0
	for v in "$user" "$sys"; do
		local m=${v%%m*} s=${v#*m}
		s=${s%s}
		c=$((c + 10#$m * 60000 + 10#${s%.*} * 1000 + 10#${s#*.}))
	done
}

# median_ms NAME COMMAND...: runs the command RUNS times; prints and keeps the
# medians of wall time and of CPU time (the second figure).
declare -A median cpumedian
median_ms() {
	local name=$1 i t t0 t1 c c0
	shift
	local times=() cpus=()
	for ((i = 0; i < runs; i++)); do
		cpu
		c0=$c
		now
		t0=$t
		"$@" >/dev/null
		now
		t1=$t
		cpu
		times+=($((t1 - t0)))
		cpus+=($((c - c0)))
	done
	median[$name]=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
	cpumedian[$name]=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
	printf '  %-34s %9.2f ms  (CPU %d ms)\n' "$name" \
		"$(echo "${median[$name]} / 1000" | bc -l)" "${cpumedian[$name]}"
}

# ratio A B: of the wall-time medians, then (in brackets) of the CPU-time medians.
ratio() {
	local c=-
	[ "${cpumedian[$2]}" -gt 0 ] && c=$(echo "scale=2; ${cpumedian[$1]} / ${cpumedian[$2]}" | bc -l)
	echo "$(echo "scale=2; ${median[$1]} / ${median[$2]}" | bc -l) (CPU $c)"
}

pkishim_steps() {   # ALGORITHM
	local extra=(-KeySpec KeyExchange -KeyLength 2048) cert
	[ "$1" = ecdsa ] && extra=(-KeyAlgorithm ECDSA_nistP256)
	cert=$(New-SelfSignedCertificate -DnsName yourdomain.cloudapp.net \
		-CertStoreLocation 'cert:\LocalMachine\My' "${extra[@]}")
	PKISHIM_PASSWORD_FD=3 Export-PfxCertificate -Cert "$cert" -FilePath '.\my-cert-file.pfx' \
		3<<<"your-password"
	Export-Certificate -Type CERT -Cert "$cert" -FilePath '.\my-cert-file.cer'
}

openssl_steps() {   # ALGORITHM
	local key=(-newkey rsa:2048)
	[ "$1" = ecdsa ] && key=(-newkey ec -pkeyopt ec_paramgen_curve:P-256)
	openssl req -x509 "${key[@]}" -nodes -keyout key.pem -out cert.pem -days 365 \
		-subj /CN=yourdomain.cloudapp.net -addext 'subjectAltName=DNS:yourdomain.cloudapp.net' \
		-addext 'keyUsage=critical,digitalSignature,keyEncipherment' \
		-addext 'extendedKeyUsage=clientAuth,serverAuth' 2>/dev/null
	openssl pkcs12 -export -inkey key.pem -in cert.pem -out my-cert-file.pfx \
		-passout pass:your-password -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1
	openssl x509 -in cert.pem -outform DER -out my-cert-file.cer
}

echo "pkishim benchmarks: median of $runs runs, $(nproc) cores, $(openssl version)"
echo
echo "1. The acceptance script's work"
for alg in ecdsa rsa; do
	median_ms "$alg: pkishim commands" pkishim_steps "$alg"
	median_ms "$alg: openssl CLI" openssl_steps "$alg"
	median_ms "$alg: floor (library, one process)" "$floor" "$alg" .
	median_ms "$alg: floor as before 2026-12-07" env PKISHIM_BENCH_OLD_FLOOR=1 "$floor" "$alg" .
	echo "  $alg: pkishim/openssl = $(ratio "$alg: pkishim commands" "$alg: openssl CLI")," \
		"pkishim/floor = $(ratio "$alg: pkishim commands" "$alg: floor (library, one process)")," \
		"pkishim/floor as before = $(ratio "$alg: pkishim commands" "$alg: floor as before 2026-12-07")"
done
# What three processes cannot go below: the floor's one process plus two more that
# only start (the process, libcrypto's loading, OpenSSL's start) and do no work.
median_ms "a process that starts OpenSSL" "$floor" start -
bound=$((median["ecdsa: floor (library, one process)"] + 2 * median["a process that starts OpenSSL"]))
echo "  three processes at the least (floor + 2 starts): $(echo "scale=2; $bound / 1000" | bc -l) ms," \
	"= $(echo "scale=2; $bound / ${median["ecdsa: floor (library, one process)"]}" | bc -l)x the floor," \
	"$(echo "scale=2; $bound / ${median["ecdsa: openssl CLI"]}" | bc -l)x the openssl CLI"
cert=$(New-SelfSignedCertificate -DnsName yourdomain.cloudapp.net \
	-CertStoreLocation 'cert:\LocalMachine\My' -KeyAlgorithm ECDSA_nistP256)
median_ms "ecdsa: New-SelfSignedCertificate" New-SelfSignedCertificate \
	-DnsName yourdomain.cloudapp.net -CertStoreLocation 'cert:\LocalMachine\My' \
	-KeyAlgorithm ECDSA_nistP256
export_pfx() { PKISHIM_PASSWORD_FD=3 Export-PfxCertificate -Cert "$cert" \
	-FilePath '.\my-cert-file.pfx' -Force 3<<<"your-password"; }
median_ms "ecdsa: Export-PfxCertificate" export_pfx
median_ms "ecdsa: Export-Certificate" Export-Certificate -Type CERT -Cert "$cert" \
	-FilePath '.\my-cert-file.cer' -Force

echo
echo "2. Export-Certificate from a store of 1, 1000 and 10000 certificates"
rm -rf "$PKISHIM_STORE_ROOT"
have=0
for size in 1 1000 10000; do
	"$floor" fill $((size - have))
	have=$size
	first=$(find "$PKISHIM_STORE_ROOT/LocalMachine/my" -name '*.pfx' -print -quit)
	target='Cert:\LocalMachine\My\'"$(basename "$first" .pfx)"
	median_ms "store of $size" Export-Certificate -Cert "$target" -FilePath one.cer -Force
done
echo "  10000/1 = $(ratio "store of 10000" "store of 1")"

echo
echo "3. Start-up"
median_ms "New-SelfSignedCertificate -?" New-SelfSignedCertificate -?
median_ms "openssl version" openssl version
median_ms "/bin/true" /bin/true
echo "  pkishim/openssl = $(ratio "New-SelfSignedCertificate -?" "openssl version")"

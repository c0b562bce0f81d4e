#!/usr/bin/env bash
# first-call.sh: what the first PkiShim command in a fresh pwsh costs (by hand,
# never in CI; no timed assertions). Medians of RUNS runs (default 7) of:
#   A  fresh pwsh running a built-in cmdlet (Get-Date)             the floor
#   B  fresh pwsh, Import-Module PkiShim only                      module import
#   C  fresh pwsh + one New-SelfSignedCertificate (ECDSA)          the issue's case
#   D  the same command warm (second call in one pwsh)             per call
# The build's modules are the sandbox user's own (~/.local/share/powershell/Modules),
# which pwsh searches before $PSHOME, as it does an installed module.
#   tests/bench/first-call.sh [RUNS]    (PKISHIM_BUILD: the build directory, default build/)
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${PKISHIM_BUILD:-$src/build}
runs=${1:-7}
pwsh=${PWSH:-$(command -v pwsh || echo "$HOME/.dotnet/tools/pwsh")}
work=$(mktemp -d "${TMPDIR:-/tmp}/pkishim-first.XXXXXX")
trap 'rm -rf "$work"' EXIT
export PKISHIM_STORE_ROOT="$work/stores" HOME="$work/home"
mkdir -p "$HOME/.local/share/powershell"
ln -s "$build/ps/Modules" "$HOME/.local/share/powershell/Modules"
unset PSModulePath
cd "$work"

now() { date +%s%N; }
run_ms() { # SCRIPT: one fresh pwsh, wall milliseconds
	local t0=$(now)
	"$pwsh" -NoProfile -NonInteractive -Command "$1" >/dev/null
	echo $((($(now) - t0) / 1000000))
}
median() { sort -n | sed -n "$((runs / 2 + 1))p"; }

nssc='New-SelfSignedCertificate -Subject CN=b -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation Cert:\CurrentUser\My'
# Side by side (A B C, A B C, ...), so a machine that drifts shifts all three alike;
# the first call's cost is C - A within each round.
a=() b=() c=() extra=()
for ((i = 0; i < runs; i++)); do
	ta=$(run_ms 'Get-Date'); tb=$(run_ms 'Import-Module PkiShim'); tc=$(run_ms "$nssc")
	a+=("$ta") b+=("$tb") c+=("$tc") extra+=($((tc - ta)))
done
d=$("$pwsh" -NoProfile -NonInteractive -Command "
	\$null = $nssc
	\$times = foreach (\$i in 1..$runs) { \$t = [Diagnostics.Stopwatch]::StartNew(); \$null = $nssc; \$t.ElapsedMilliseconds }
	(\$times | Sort-Object)[[int][math]::Floor($runs / 2)]
")
printf '%-58s %6d ms\n' "A fresh pwsh + Get-Date" "$(printf '%s\n' "${a[@]}" | median)"
printf '%-58s %6d ms\n' "B fresh pwsh + Import-Module PkiShim" "$(printf '%s\n' "${b[@]}" | median)"
printf '%-58s %6d ms\n' "C fresh pwsh + New-SelfSignedCertificate (ECDSA)" "$(printf '%s\n' "${c[@]}" | median)"
printf '%-58s %6d ms\n' "D the same command warm (median of $runs in one pwsh)" "$d"
first=$(printf '%s\n' "${extra[@]}" | median)
printf '%-58s %6d ms\n' "C - A, paired: what the first PkiShim command adds" "$first"
printf '%-58s %6d ms   (target: at most 300)\n' "(C - A) - D: the first call over a warm one" "$((first - d))"

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
median_ms() { # NAME SCRIPT
	local name=$1 script=$2 i t0 times=()
	for ((i = 0; i < runs; i++)); do
		t0=$(now)
		"$pwsh" -NoProfile -NonInteractive -Command "$script" >/dev/null
		times+=($((($(now) - t0) / 1000000)))
	done
	printf '%-58s %6d ms\n' "$name" "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$((runs / 2 + 1))p")"
}

nssc='New-SelfSignedCertificate -Subject CN=b -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation Cert:\CurrentUser\My'
median_ms "A fresh pwsh + Get-Date" 'Get-Date'
median_ms "B fresh pwsh + Import-Module PkiShim" 'Import-Module PkiShim'
median_ms "C fresh pwsh + New-SelfSignedCertificate" "$nssc"
"$pwsh" -NoProfile -NonInteractive -Command "
	\$null = $nssc
	\$t = [Diagnostics.Stopwatch]::StartNew(); \$null = $nssc; \$w1 = \$t.ElapsedMilliseconds
	\$t.Restart(); \$null = $nssc; \$w2 = \$t.ElapsedMilliseconds
	'{0,-58} {1,6} ms' -f 'D warm New-SelfSignedCertificate (2nd, 3rd call)', ((\$w1 + \$w2) / 2)
"

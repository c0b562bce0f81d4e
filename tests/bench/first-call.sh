#!/usr/bin/env bash
# first-call.sh: what the first PkiShim command in a fresh pwsh costs (by hand,
# never in CI; no timed assertions). Medians of RUNS runs (default 7) of:
#   A  fresh pwsh running a built-in cmdlet (Get-Date)             the floor
#   B  fresh pwsh, Import-Module PkiShim only                      module import
#   C  fresh pwsh + one New-SelfSignedCertificate (ECDSA)          the issue's case
#   D  the same command warm (second call in one pwsh)             per call
# and, inside one pwsh, where the import goes: dot-sourcing the generated
# functions, emitting the enums, the type data and the proxies.
#   tests/bench/first-call.sh [RUNS]    (PKISHIM_BUILD: the build directory, default build/)
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${PKISHIM_BUILD:-$src/build}
runs=${1:-7}
pwsh=${PWSH:-$(command -v pwsh || echo "$HOME/.dotnet/tools/pwsh")}
work=$(mktemp -d "${TMPDIR:-/tmp}/pkishim-first.XXXXXX")
trap 'rm -rf "$work"' EXIT
export PKISHIM_STORE_ROOT="$work/stores" HOME="$work/home"
export PSModulePath="$build/ps/Modules"
mkdir -p "$HOME"
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
# Where the import goes, step by step, in one fresh pwsh.
"$pwsh" -NoProfile -NonInteractive -Command "
	\$t = [Diagnostics.Stopwatch]::StartNew()
	\$mod = Import-Module PkiShim -PassThru
	'{0,-58} {1,6} ms' -f 'import, all of it', \$t.ElapsedMilliseconds
	& \$mod { param(\$base)
		\$t = [Diagnostics.Stopwatch]::StartNew(); . (Join-Path \$base 'PkiShim.Commands.ps1'); '{0,-58} {1,6} ms' -f '  dot-source PkiShim.Commands.ps1 again', \$t.ElapsedMilliseconds
		\$t.Restart(); Initialize-PkiShimTypeData; '{0,-58} {1,6} ms' -f '  Initialize-PkiShimTypeData again', \$t.ElapsedMilliseconds
		\$t.Restart(); foreach (\$p in \$script:ProxyCommands) { \$null = New-PkiShimProxyScript \$p }; '{0,-58} {1,6} ms' -f '  New-PkiShimProxyScript x4 again', \$t.ElapsedMilliseconds
	} \$mod.ModuleBase
"

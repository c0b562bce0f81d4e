#!/usr/bin/env bash
# install-deps.sh: installs what building and testing pkishim needs on a fresh
# Debian 12 machine (run as root, or with sudo available). Idempotent: a
# machine that has everything is left alone.
set -euo pipefail

packages=(build-essential cmake pkg-config libssl-dev libxml2-dev libcunit1-dev
	openssl xmlstarlet python3-cryptography default-jre-headless strace valgrind
	clang libclang-rt-14-dev util-linux file ca-certificates libfuse3-dev fuse3)
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "install-deps: apt-get install ${missing[*]}"
	as_root apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# pwsh runs the PowerShell module and the acceptance script; it is a .NET global tool.
export PATH="$HOME/.dotnet/tools:$PATH"
if ! command -v pwsh >/dev/null 2>&1; then
	if command -v dotnet >/dev/null 2>&1; then
		echo "install-deps: dotnet tool install --global PowerShell --version 7.6.9"
		dotnet tool install --global PowerShell --version 7.6.9 >/dev/null
	else
		echo "install-deps: no dotnet SDK here, so no pwsh: the PowerShell parts are skipped" >&2
	fi
fi
if command -v pwsh >/dev/null 2>&1 && [ -f "$(dirname "$0")/../ps/install-pester.sh" ]; then
	bash "$(dirname "$0")/../ps/install-pester.sh"
fi

#!/usr/bin/env bash
# run-acceptance.sh: the main job, end to end. Installs what is missing, builds
# pkishim and its PowerShell module, installs them into a fresh prefix under
# build/acceptance/, and runs from there the Azure Cloud Services docs
# script (ps/cloud-services-certificates.ps1, exactly as published) in pwsh:
# a certificate in Cert:\LocalMachine\My, exported to my-cert-file.pfx and
# my-cert-file.cer in build/acceptance/. Where pwsh cannot be had, the same
# three steps run from bash and make the same two files.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${PKISHIM_BUILD:-$src/build}

bash "$src/tests/install-deps.sh"
export PATH="$HOME/.dotnet/tools:$PATH"
cmake -S "$src" -B "$build" >/dev/null
cmake --build "$build" -j"$(nproc)"

# Run as installed: a fresh prefix, its bin/ on PATH, pwsh finding the module in
# the prefix's share/powershell/Modules, which is pwsh's user module path for a
# HOME whose ~/.local is the prefix (README: Install).
out="$build/acceptance"
rm -rf "$out"
home="$out/home"
prefix="$home/.local"
mkdir -p "$home"
cmake --install "$build" --prefix "$prefix" >/dev/null
export PATH="$prefix/bin:$PATH"
cd "$out"
if command -v pwsh >/dev/null 2>&1; then
	# The module autoloads: the script has no Import-Module line.
	HOME="$home" pwsh -NoProfile -NonInteractive -File "$src/ps/cloud-services-certificates.ps1"
else
	echo "run-acceptance: no pwsh here; running the script's three steps from bash" >&2
	eval "$(pkishim shellenv)"
	cert=$(New-SelfSignedCertificate -DnsName yourdomain.cloudapp.net \
		-CertStoreLocation 'cert:\LocalMachine\My' -KeyLength 2048 -KeySpec KeyExchange)
	PKISHIM_PASSWORD_FD=3 Export-PfxCertificate -Cert "$cert" -FilePath '.\my-cert-file.pfx' \
		3<<<"your-password"
	Export-Certificate -Type CERT -Cert "$cert" -FilePath '.\my-cert-file.cer'
fi
ls -l "$out/my-cert-file.pfx" "$out/my-cert-file.cer"

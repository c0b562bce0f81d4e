#!/bin/sh
# install-pester.sh: installs Pester 5 for pwsh from NuGet (PSGallery is not
# needed). The NuGet package "Pester" holds the module under tools/; it is
# restored with the .NET SDK (which verifies the package signature) and copied
# into a module folder pwsh autoloads from.
#
#   ps/install-pester.sh [MODULES_DIR]
#
# MODULES_DIR defaults to the current user's pwsh module folder,
# ${XDG_DATA_HOME:-$HOME/.local/share}/powershell/Modules.
set -eu

version=5.7.1
dest=${1:-${XDG_DATA_HOME:-$HOME/.local/share}/powershell/Modules}
target="$dest/Pester/$version"

if [ -f "$target/Pester.psd1" ]; then
	echo "Pester $version is already in $target"
	exit 0
fi
if ! command -v dotnet >/dev/null 2>&1; then
	echo "install-pester.sh: dotnet (the .NET SDK) is needed to fetch Pester from NuGet." >&2
	exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/pester.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
cat >"$work/pester.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>netstandard2.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Pester" Version="[$version]" /></ItemGroup>
</Project>
PROJ
DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
	dotnet restore "$work/pester.csproj" --packages "$work/packages" >"$work/restore.log" 2>&1 || {
	cat "$work/restore.log" >&2
	echo "install-pester.sh: dotnet restore of Pester $version failed." >&2
	exit 1
}
src="$work/packages/pester/$version/tools"
if [ ! -f "$src/Pester.psd1" ]; then
	echo "install-pester.sh: the Pester $version package has no tools/Pester.psd1." >&2
	exit 1
fi
mkdir -p "$dest/Pester"
rm -rf "$target.tmp"
cp -R "$src" "$target.tmp"
mv "$target.tmp" "$target"
echo "Pester $version installed in $target"

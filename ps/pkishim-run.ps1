<#
pkishim-run.ps1: `pkishim run [--drive L=DIR]... [--drive-root DIR] [--] SCRIPT.ps1 [ARGS...]`
(the front command starts it with pwsh -NoProfile -File). Runs a script
written for Windows unchanged in a new `pwsh -NoProfile -File`, with the
Windows environment it assumes (PkiShim.WindowsEnvironment.ps1): the
variables are set here, before the script's first line can read them, and
said once on stderr; the drives are mapped again in the script's own session
when the Cert: module loads (PKISHIM_WINDOWS_ENV=1), at its first file-system
or PkiShim command. The script's output, errors and exit status are its own:
it inherits this process's standard input, output and error.
#>
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'PkiShim.WindowsEnvironment.ps1')

$drives = [System.Collections.Generic.List[string]]::new()
$driveRoot = $null
$rest = @($args)
while ($rest.Count -gt 0) {
	$option = [string]$rest[0]
	if ($option -eq '--') { $rest = @($rest | Select-Object -Skip 1); break }
	if ($option -notin '--drive', '--drive-root') { break }
	if ($rest.Count -lt 2) { [Console]::Error.WriteLine("pkishim run: $option needs a value."); exit 2 }
	if ($option -eq '--drive') { $drives.Add([string]$rest[1]) } else { $driveRoot = [string]$rest[1] }
	$rest = @($rest | Select-Object -Skip 2)
}
if ($rest.Count -eq 0) {
	[Console]::Error.WriteLine('usage: pkishim run [--drive LETTER=DIR]... [--drive-root DIR] [--] SCRIPT.ps1 [ARGS...]')
	exit 2
}
$script = [System.IO.Path]::GetFullPath([string]$rest[0], (Get-Location -PSProvider FileSystem).ProviderPath)
if (-not [System.IO.File]::Exists($script)) {
	[Console]::Error.WriteLine("pkishim run: the script '$($rest[0])' does not exist.")
	exit 2
}
try {
	$env:PKISHIM_DRIVES = Initialize-PkiShimWindowsEnvironment -ScriptPath $script -Drive $drives -DriveRoot $driveRoot
} catch {
	[Console]::Error.WriteLine("pkishim run: $($_.Exception.Message)")
	exit 2
}
$env:PKISHIM_WINDOWS_ENV = '1'
$env:PKISHIM_WINDOWS_ENV_QUIET = '1'

# pwsh as the front command found it (a .NET tool's process is dotnet itself).
$pwsh = if ($env:PKISHIM_PWSH) { $env:PKISHIM_PWSH } else { (Get-Command pwsh -CommandType Application)[0].Source }
$start = [System.Diagnostics.ProcessStartInfo]::new($pwsh)
foreach ($a in @('-NoProfile', '-File', $script) + @($rest | Select-Object -Skip 1)) { $start.ArgumentList.Add([string]$a) }
$start.UseShellExecute = $false
$child = [System.Diagnostics.Process]::Start($start)
$child.WaitForExit()
exit $child.ExitCode

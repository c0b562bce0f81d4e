# PkiShim.Run.psm1: Invoke-PkiShimScript (issue 16), `pkishim run` inside a pwsh session.
# A module of its own, so that loading PkiShim's compiled cmdlets parses no script.
Set-StrictMode -Version 3.0

<#
.SYNOPSIS
Runs a script written for Windows in this session, with the environment it assumes.
.DESCRIPTION
Maps drive C: and every drive letter the script names (C:\temp, d:\cert.pfx)
to folders (default ~/.local/share/pkishim/drives/<LETTER>), sets TEMP, TMP,
USERPROFILE, COMPUTERNAME, USERNAME, APPDATA, LOCALAPPDATA, ProgramData and
SystemDrive where they are unset, says each on stderr, then runs the script
with the arguments. `pkishim run SCRIPT.ps1` does the same in a new pwsh.
.EXAMPLE
Invoke-PkiShimScript ./make-cert.ps1 -Drive 'C=/srv/build/c' -ArgumentList 'contoso.com'

Runs make-cert.ps1 with C: mapped to /srv/build/c and 'contoso.com' as its first argument.
.EXAMPLE
Invoke-PkiShimScript ./rotate.ps1 -DriveRoot ./drives

Maps C: and every other letter rotate.ps1 names to ./drives/<LETTER>, then runs it.
#>
function Invoke-PkiShimScript {
	[CmdletBinding()]
	param(
		[Parameter(Mandatory, Position = 0)] [string] $Path,
		[Parameter(Position = 1, ValueFromRemainingArguments)] [object[]] $ArgumentList = @(),
		[string[]] $Drive = @(),
		[string] $DriveRoot
	)
	$script = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($Path)
	if (-not [System.IO.File]::Exists($script)) {
		$PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
			[System.IO.FileNotFoundException]::new("The script '$Path' does not exist.", $script),
			'ScriptNotFound', 'ObjectNotFound', $Path))
	}
	. (Join-Path $PSScriptRoot 'PkiShim.WindowsEnvironment.ps1')
	$null = Initialize-PkiShimWindowsEnvironment -ScriptPath $script -Drive $Drive -DriveRoot $DriveRoot
	& $script @ArgumentList
}

Export-ModuleMember -Function Invoke-PkiShimScript

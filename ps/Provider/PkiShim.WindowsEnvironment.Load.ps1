# Run by this module's manifest (ScriptsToProcess) in the importing session: with
# PKISHIM_WINDOWS_ENV=1 it maps a Windows script's drives and sets its variables
# (PkiShim.WindowsEnvironment.ps1) before the script's first file-system command
# runs. The functions stay inside this block; the drives are global.
if ($env:PKISHIM_WINDOWS_ENV -eq '1') {
	& {
		. (Join-Path $PSScriptRoot 'PkiShim.WindowsEnvironment.ps1')
		Initialize-PkiShimWindowsEnvironmentFromVariables
	}
}

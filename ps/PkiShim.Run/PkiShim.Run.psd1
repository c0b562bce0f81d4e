# PkiShim.Run: Invoke-PkiShimScript runs a script written for Windows with the drives
# and variables it assumes (README: Running Windows scripts); autoloaded by its name.
@{
	RootModule = 'PkiShim.Run.psm1'
	ModuleVersion = '0.1.0'
	GUID = '0c6f4f55-5d1e-4a0b-9a55-3b1c9a4f2e71'
	Author = 'pkishim'
	Description = 'Invoke-PkiShimScript: runs a PowerShell script written for Windows on Linux and macOS, with the drives and environment variables it assumes.'
	PowerShellVersion = '7.2'
	CompatiblePSEditions = @('Core')
	FunctionsToExport = @('Invoke-PkiShimScript')
	CmdletsToExport = @()
	AliasesToExport = @()
	VariablesToExport = @()
}

# PkiShim module manifest. Build-PkiShimModule.ps1 copies it into the built
# module and fills CmdletsToExport with the generated commands, so pwsh can
# autoload them (a script needs no Import-Module line). A binary module with no
# script part: nothing to parse when a script's first PkiShim command loads it, and
# its cmdlets see their callers' variables, as any cmdlet does. Invoke-PkiShimScript
# is a module of its own (PkiShim.Run).
@{
	# The commands: compiled cmdlets generated from the executables' tables (ps/Commands).
	RootModule = 'PkiShim.Commands.dll'
	ModuleVersion = '0.1.0'
	GUID = '5b0d4f0e-7c52-4c39-9a8e-2f1f6c3d8a41'
	Author = 'pkishim'
	Description = 'New-SelfSignedCertificate, Export-PfxCertificate, Export-Certificate and friends for pwsh on Linux and macOS, backed by pkishim''s native commands.'
	PowerShellVersion = '7.2'
	# Any PkiShim command brings the Cert: drive too (ps/Provider).
	RequiredModules = @('Microsoft.PowerShell.Security')
	CompatiblePSEditions = @('Core')
	CmdletsToExport = @()
	FunctionsToExport = @()
	AliasesToExport = @()
	VariablesToExport = @()
}

# PkiShim.Load.ps1: run by this module's manifest (ScriptsToProcess) in the importing
# session, after RequiredAssemblies has loaded PkiShim.Provider.dll.

# The certificate properties Windows shows (CertificateProperties.cs), on every
# X509Certificate2 of the session: -Force replaces pwsh's own, which fail off Windows.
Update-TypeData -TypeData ([PkiShim.Provider.CertificateProperties]::TypeData()) -Force

# With PKISHIM_WINDOWS_ENV=1: a Windows script's drives and variables
# (PkiShim.WindowsEnvironment.ps1), before the script's first file-system command
# runs. The functions stay inside this block; the drives are global.
if ($env:PKISHIM_WINDOWS_ENV -eq '1') {
	& {
		. (Join-Path $PSScriptRoot 'PkiShim.WindowsEnvironment.ps1')
		Initialize-PkiShimWindowsEnvironmentFromVariables
	}
}

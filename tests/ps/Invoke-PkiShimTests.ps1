<#
.SYNOPSIS
Runs one Pester test file (CTest calls it once per tests/ps/*.Tests.ps1).
Exit 0 all passed, 1 failures, 77 Pester missing outside CI (a skip for CTest);
in CI (CI=true) a missing Pester is a failure.
#>
param([Parameter(Mandatory)] [string] $Path)

$pester = Get-Module -ListAvailable -Name Pester |
	Where-Object { $_.Version.Major -eq 5 } | Sort-Object Version -Descending | Select-Object -First 1
if ($null -eq $pester) {
	$message = 'Pester 5 is not installed; ps/install-pester.sh installs it from NuGet.'
	if ($env:CI -eq 'true') { [Console]::Error.WriteLine($message); exit 1 }
	Write-Host "SKIP: $message"
	exit 77
}
Import-Module $pester.Path
$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.Output.RenderMode = 'Plaintext'
$result = Invoke-Pester -Configuration $config
if ($result.Result -ne 'Passed' -or $result.TotalCount -eq 0) { exit 1 }
exit 0

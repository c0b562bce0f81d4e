# PkiShim.Tables.ps1: reading the native commands' parameter tables, for the build's
# generators (Build-PkiShimModule.ps1: the cmdlets; Build-PkiShimHelp.ps1: their help),
# which dot-source it, so both read the same tables by the same rules.

# One executable's table (--pkishim-json; format: cmdlets/binder.h, above binder_print_json).
function Read-PkiShimTable([string]$BinDir, [string]$Name) {
	$exe = Join-Path $BinDir $(if ($IsWindows) { "$Name.exe" } else { $Name })
	$json = & $exe --pkishim-json
	if ($LASTEXITCODE -ne 0) { throw "$exe --pkishim-json failed with exit status $LASTEXITCODE." }
	$table = ($json -join "`n") | ConvertFrom-Json
	if ($table.name -ne $Name) { throw "$exe describes '$($table.name)', not '$Name'." }
	return $table
}

# Every command's table, sorted by name: the names given (from a build system a list
# arrives as one "a,b,c" argument), else every Verb-Noun executable in BinDir.
function Read-PkiShimTables([string]$BinDir, [string[]]$Command) {
	$names = @($Command | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
	if ($names.Count -eq 0) {
		$names = Get-ChildItem -LiteralPath $BinDir -File |
			Where-Object { $_.Name -match '^[A-Z][a-z]+-[A-Za-z]+(\.exe)?$' } |
			ForEach-Object { $_.Name -replace '\.exe$', '' }
	}
	return @(foreach ($name in ($names | Sort-Object -Unique)) { Read-PkiShimTable $BinDir $name })
}

# pwsh binds pipeline input only in the default set while that set's mandatory
# parameters are unbound, so a set whose ByValue parameter is a PKI class
# (Export-PfxCertificate's PfxCert) is the module's default: a PfxData then pipes in,
# and anything else still binds by type to the other set.
function Get-PkiShimDefaultSet($table) {
	foreach ($p in $table.parameters) {
		if ($p.pipelineByValue -and $p.kind -eq 'object' -and $p.type -like 'Microsoft.CertificateServices.Commands.*' -and
		    @($p.sets).Count -eq 1) {
			return @($p.sets)[0]
		}
	}
	return [string]$table.defaultParameterSet
}

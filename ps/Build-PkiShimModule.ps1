<#
.SYNOPSIS
Builds the PkiShim module from the native commands' own parameter tables.

.DESCRIPTION
Runs each executable with --pkishim-json (format: cmdlets/binder.h, above
binder_print_json) and writes:
  -CSharpFile           PkiShim.Commands.g.cs: one compiled cmdlet per command,
                        with the table's names, aliases, types, positions,
                        parameter sets, mandatory flags, pipeline binding and
                        validation, the Windows cmdlet's class name (so error ids
                        end as Windows' do), the PKI enums with Windows' values,
                        and the table the runtime (ps/Commands) reads. The build
                        compiles it into PkiShim.Commands.dll.
  -OutDir               the module: PkiShim.psd1 (CmdletsToExport filled in, so
                        pwsh autoloads the commands) and PkiShim.Config.psd1
                        (where the executables are: BinDir).
Because the cmdlets come from the executables at build time, the two cannot drift.

.EXAMPLE
pwsh -NoProfile -File ps/Build-PkiShimModule.ps1 -BinDir build/cmdlets -OutDir build/ps/Modules/PkiShim -CSharpFile build/ps/PkiShim.Commands.g.cs
#>
[CmdletBinding()]
param(
	[Parameter(Mandatory)] [string] $BinDir,
	[Parameter(Mandatory)] [string] $OutDir,
	[Parameter(Mandatory)] [string] $CSharpFile,
	# Command names; by default every Verb-Noun executable in BinDir.
	[string[]] $Command,
	# Where the executables will be at run time (default: BinDir).
	[string] $RecordedBinDir,
	# Build the manifest for Windows, where the PKI cmdlets must not be shadowed.
	[switch] $TargetWindows = $IsWindows
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$sourceDir = Join-Path $PSScriptRoot 'PkiShim'
. (Join-Path $PSScriptRoot 'PkiShim.Tables.ps1')
$BinDir = (Resolve-Path -LiteralPath $BinDir).ProviderPath
if (-not $RecordedBinDir) { $RecordedBinDir = $BinDir }
$windowsCmdlets = 'New-SelfSignedCertificate', 'Export-PfxCertificate', 'Export-Certificate',
	'Import-PfxCertificate', 'Import-Certificate', 'Get-PfxCertificate', 'Get-PfxData', 'Test-Certificate',
	'Get-StoreCertificate', 'Remove-StoreCertificate'

# The .NET class of each Windows cmdlet: a compiled cmdlet's error ids end with its
# class's name. Observed (pki-cmdlets.md §1, error transcripts) for the PKI module's
# first five, which name Export/Import-PfxCertificate without "Command"; read in
# PowerShell's source for Get-PfxCertificate; inferred for Get-PfxData and
# Test-Certificate (the PKI module's usual "...Command"). pkishim's own commands
# are PkiShim.Commands.<Verb><Noun>Command.
$windowsClasses = @{
	'New-SelfSignedCertificate' = 'Microsoft.CertificateServices.Commands.NewSelfSignedCertificateCommand'
	'Export-PfxCertificate' = 'Microsoft.CertificateServices.Commands.ExportPfxCertificate'
	'Import-PfxCertificate' = 'Microsoft.CertificateServices.Commands.ImportPfxCertificate'
	'Export-Certificate' = 'Microsoft.CertificateServices.Commands.ExportCertificateCommand'
	'Import-Certificate' = 'Microsoft.CertificateServices.Commands.ImportCertificateCommand'
	'Get-PfxData' = 'Microsoft.CertificateServices.Commands.GetPfxDataCommand'
	'Test-Certificate' = 'Microsoft.CertificateServices.Commands.TestCertificateCommand'
	'Get-PfxCertificate' = 'Microsoft.PowerShell.Commands.GetPfxCertificateCommand'
}

function Quote([string]$Text) { "'" + $Text.Replace("'", "''") + "'" }

function QuoteList($Items) { '@(' + ((@($Items) | ForEach-Object { Quote $_ }) -join ', ') + ')' }

# A C# string literal (verbatim, so backslashes stay as they are).
function CsString([string]$Text) { '@"' + $Text.Replace('"', '""') + '"' }

function ElementType([string]$TypeName) { $TypeName -replace '\[\]$', '' }

function IsEnumType($p) { ($p.kind -eq 'enum' -or $p.kind -eq 'enums') -and -not $p.validateSet }

# The C# type of a parameter; the PKI enums are generated below, Certificate and
# PfxData are ps/Commands/Types.cs.
function ParamType($p) {
	switch ($p.kind) {
		'switch' { return 'SwitchParameter' }
		'secure' { return 'System.Security.SecureString' }
		'datetime' { return 'System.DateTime' }
		'int' { return 'int' }
		'string' { return 'string' }
		'path' { return 'string' }
		'strings' { return 'string[]' }
		'cert' { return 'Microsoft.CertificateServices.Commands.Certificate' + $(if ($p.type -like '*[[]]') { '[]' } else { '' }) }
		{ $_ -eq 'enum' -or $_ -eq 'enums' } {
			$suffix = if ($p.kind -eq 'enums') { '[]' } else { '' }
			if ($p.validateSet) { return "string$suffix" }
			return 'global::' + (ElementType $p.type) + $suffix
		}
		default {
			if ($p.type -eq 'Microsoft.CertificateServices.Commands.PfxData') { return 'Microsoft.CertificateServices.Commands.PfxData' }
			if ($p.type -and ((ElementType $p.type) -as [type])) { return 'global::' + $p.type }
			return 'object'
		}
	}
}

function KindName([string]$Kind) { (Get-Culture).TextInfo.ToTitleCase($Kind) -replace 'Datetime', 'DateTime' }

function CsBool([bool]$Value) { if ($Value) { 'true' } else { 'false' } }

function IsPathParameter($p) {
	$p.kind -eq 'path' -or (($p.kind -eq 'string' -or $p.kind -eq 'strings') -and $p.name -match 'Path$')
}

# One [Parameter()] per set the parameter is in (one without a set name when in all).
function ParamAttributes($table, $p) {
	$all = @($table.parameterSets)
	$sets = @($p.sets)
	$mandatory = @($p.mandatorySets)
	$common = @()
	if ($p.position -ge 0) { $common += "Position = $($p.position)" }
	if ($p.pipelineByValue) { $common += 'ValueFromPipeline = true' }
	if ($p.pipelineByPropertyName) { $common += 'ValueFromPipelineByPropertyName = true' }
	$entries = @()
	if ($sets.Count -eq 0 -and ($mandatory.Count -eq 0 -or $mandatory -contains '__AllParameterSets' -or
	    ($all.Count -gt 0 -and @($all | Where-Object { $mandatory -notcontains $_ }).Count -eq 0))) {
		$parts = @()
		if ($mandatory.Count -gt 0) { $parts += 'Mandatory = true' }
		$entries += , ($parts + $common)
	} else {
		if ($sets.Count -eq 0) { $sets = $all }
		foreach ($s in $sets) {
			$parts = @("ParameterSetName = $(CsString $s)")
			if ($mandatory -contains $s) { $parts += 'Mandatory = true' }
			$entries += , ($parts + $common)
		}
	}
	foreach ($e in $entries) { "`t[Parameter($($e -join ', '))]" }
}

# Export-*: piped certificates all go into the one -FilePath file (script-corpus.md §2.6).
function AccumulatedParameter($table) {
	$names = @($table.parameters | ForEach-Object { $_.name })
	if ($names -notcontains 'FilePath') { return $null }
	$piped = @($table.parameters | Where-Object { $_.kind -eq 'cert' -and ($_.pipelineByValue -or $_.pipelineByPropertyName) })
	$filePath = @($table.parameters | Where-Object { $_.name -eq 'FilePath' -and -not $_.pipelineByValue -and -not $_.pipelineByPropertyName })
	if ($piped.Count -gt 0 -and $filePath.Count -gt 0) { return $piped[0].name }
	return $null
}

function ClassName([string]$Name) {
	if ($windowsClasses.ContainsKey($Name)) { return $windowsClasses[$Name] }
	return 'PkiShim.Commands.' + ($Name -replace '-', '') + 'Command'
}

function Write-Cmdlet($table) {
	$class = ClassName $table.name
	$namespace = $class.Substring(0, $class.LastIndexOf('.'))
	$shortName = $class.Substring($class.LastIndexOf('.') + 1)
	$verb, $noun = $table.name -split '-', 2
	$attributes = @((CsString $verb), (CsString $noun))
	$defaultSet = Get-PkiShimDefaultSet $table
	if ($defaultSet -and $defaultSet -ne '__AllParameterSets') {
		$attributes += "DefaultParameterSetName = $(CsString $defaultSet)"
	}
	if ($table.supportsShouldProcess) { $attributes += 'SupportsShouldProcess = true' }
	$help = $examples[$table.name]
	if ($null -ne $help -and $help.ContainsKey('HelpUri')) { $attributes += "HelpUri = $(CsString $help.HelpUri)" }

	$lines = @("namespace $namespace", '{')
	$lines += "[Cmdlet($($attributes -join ', '))]"
	if ($table.outputType) { $lines += "[OutputType($(CsString $table.outputType))]" }
	$lines += "public sealed class $shortName : PkiShim.Commands.NativeCommand"
	$lines += '{'
	foreach ($p in $table.parameters) {
		$lines += (ParamAttributes $table $p)
		if (@($p.aliases).Count -gt 0) { $lines += "`t[Alias($((@($p.aliases) | ForEach-Object { CsString $_ }) -join ', '))]" }
		if ($p.validateSet) { $lines += "`t[ValidateSet($((@($p.members) | ForEach-Object { CsString $_ }) -join ', '))]" }
		if ($p.notNullOrEmpty) { $lines += "`t[ValidateNotNullOrEmpty]" }
		if ($p.wildcards) { $lines += "`t[SupportsWildcards]" }
		$lines += "`tpublic $(ParamType $p) $($p.name) { get; set; }"
		$lines += ''
	}
	$accumulate = AccumulatedParameter $table
	$parameters = @($table.parameters | ForEach-Object {
		"`t`tnew($(CsString $_.name), PkiShim.Commands.ParameterKind.$(KindName $_.kind), $(CsBool (IsPathParameter $_)), $(CsBool $_.certLocation)),"
	})
	$lines += "`tprivate static readonly PkiShim.Commands.CommandTable s_table = new($(CsString $table.name), new PkiShim.Commands.TableParameter[]"
	$lines += "`t{"
	$lines += $parameters
	$lines += "`t}, $(if ($accumulate) { CsString $accumulate } else { 'null' }), $(([bool]$table.supportsShouldProcess).ToString().ToLowerInvariant()), $(($table.outputType -eq 'System.Boolean').ToString().ToLowerInvariant()));"
	$lines += ''
	$lines += "`tinternal override PkiShim.Commands.CommandTable Table => s_table;"
	$lines += '}'
	$lines += '}'
	return ($lines -join "`n") + "`n"
}

# The PKI module's enums, with Windows' numbers from the C tables (KeyUsage =
# X509KeyUsageFlags, ...), and no [Flags]: "A,B" is refused as the PKI module's
# enums refuse it (PowerShell/PowerShell#20119); -bor still combines values,
# which the native binder splits back into members.
function Write-Enums($tables) {
	$wanted = [ordered]@{}
	foreach ($table in $tables) {
		foreach ($p in $table.parameters) {
			$type = ElementType $p.type
			if ((IsEnumType $p) -and -not $wanted.Contains($type)) { $wanted[$type] = $p }
		}
	}
	$lines = @()
	foreach ($type in $wanted.Keys) {
		$p = $wanted[$type]
		$members = @($p.members)
		$values = @($p.memberValues)
		$lines += "namespace $($type.Substring(0, $type.LastIndexOf('.')))"
		$lines += '{'
		$lines += "public enum $($type.Substring($type.LastIndexOf('.') + 1))"
		$lines += '{'
		for ($i = 0; $i -lt $members.Count; $i++) {
			$value = if ($values.Count -eq $members.Count) { [int]$values[$i] } else { $i }
			$lines += "`t$($members[$i]) = $value,"
		}
		$lines += '}'
		$lines += '}'
	}
	return ($lines -join "`n") + "`n"
}

$tables = Read-PkiShimTables $BinDir $Command
$examples = Import-PowerShellDataFile -LiteralPath (Join-Path $PSScriptRoot 'help/PkiShim.Examples.psd1')

$code = [System.Text.StringBuilder]::new()
$null = $code.AppendLine('// Generated by ps/Build-PkiShimModule.ps1 from the executables'' --pkishim-json. Do not edit.')
$null = $code.AppendLine('#nullable disable')
$null = $code.AppendLine('using System.Management.Automation;')
$null = $code.AppendLine()
$null = $code.AppendLine((Write-Enums $tables))
foreach ($t in $tables) { $null = $code.AppendLine((Write-Cmdlet $t)) }

$exported = @($tables | ForEach-Object { $_.name })
if ($TargetWindows) {
	$exported = @($exported | Where-Object { $windowsCmdlets -notcontains $_ })
}
$manifest = Get-Content -LiteralPath (Join-Path $sourceDir 'PkiShim.psd1') -Raw
if (-not $manifest.Contains('CmdletsToExport = @()')) { throw 'PkiShim.psd1 lost its "CmdletsToExport = @()" line.' }
$manifest = $manifest.Replace('CmdletsToExport = @()', "CmdletsToExport = $(QuoteList ($exported | Sort-Object))")

$null = New-Item -ItemType Directory -Force -Path $OutDir
$null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $CSharpFile)
$utf8 = [System.Text.UTF8Encoding]::new($false)
$OutDir = (Resolve-Path -LiteralPath $OutDir).ProviderPath
[System.IO.File]::WriteAllText($CSharpFile, $code.ToString(), $utf8)
[System.IO.File]::WriteAllText((Join-Path $OutDir 'PkiShim.psd1'), $manifest, $utf8)
[System.IO.File]::WriteAllText((Join-Path $OutDir 'PkiShim.Config.psd1'),
	"# Where PkiShim finds its executables (written at build and install time).`n@{ BinDir = $(Quote $RecordedBinDir) }`n", $utf8)
Write-Verbose "PkiShim: $($tables.Count) commands written to $CSharpFile and $OutDir."

<#
.SYNOPSIS
Builds the PkiShim module from the native commands' own parameter tables.

.DESCRIPTION
Runs each executable with --pkishim-json (format: cmdlets/binder.h, above
binder_print_json) and writes, into OutDir:
  PkiShim.Commands.ps1  one advanced function per command, with the table's
                        names, aliases, types, positions, parameter sets,
                        mandatory flags, pipeline binding, validation and
                        comment-based help, plus the table the runtime reads;
  PkiShim.psd1          the manifest with FunctionsToExport filled in, so pwsh
                        autoloads the commands;
  PkiShim.psm1          the runtime, copied;
  PkiShim.Errors.psd1   the error table (C error codes -> records), copied;
  PkiShim.Config.psd1   where the executables are (BinDir).
Because the functions come from the executables at build time, the two cannot drift.

.EXAMPLE
pwsh -NoProfile -File ps/Build-PkiShimModule.ps1 -BinDir build/cmdlets -OutDir build/ps/PkiShim
#>
[CmdletBinding()]
param(
	[Parameter(Mandatory)] [string] $BinDir,
	[Parameter(Mandatory)] [string] $OutDir,
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
$BinDir = (Resolve-Path -LiteralPath $BinDir).ProviderPath
if (-not $RecordedBinDir) { $RecordedBinDir = $BinDir }
$windowsCmdlets = 'New-SelfSignedCertificate', 'Export-PfxCertificate', 'Export-Certificate',
	'Import-PfxCertificate', 'Import-Certificate', 'Get-PfxCertificate', 'Get-PfxData', 'Test-Certificate',
	'Get-StoreCertificate', 'Remove-StoreCertificate'

function Quote([string]$Text) { "'" + $Text.Replace("'", "''") + "'" }

function QuoteList($Items) { '@(' + ((@($Items) | ForEach-Object { Quote $_ }) -join ', ') + ')' }

# Comment-based help must not end its own comment block.
function HelpText([string]$Text) { if ($Text) { $Text.Replace('#>', '# >') } else { '' } }

function Read-Table([string]$Name) {
	$exe = Join-Path $BinDir $(if ($IsWindows) { "$Name.exe" } else { $Name })
	$json = & $exe --pkishim-json
	if ($LASTEXITCODE -ne 0) { throw "$exe --pkishim-json failed with exit status $LASTEXITCODE." }
	$table = ($json -join "`n") | ConvertFrom-Json
	if ($table.name -ne $Name) { throw "$exe describes '$($table.name)', not '$Name'." }
	return $table
}

function ElementType([string]$TypeName) { $TypeName -replace '\[\]$', '' }

# The PowerShell type of a parameter. Types this platform lacks: the PKI
# enums are created by the module at load time (Initialize-PkiShimEnums);
# anything else, and certificates (objects, Cert:\ strings, files), is [object].
function ParamType($p) {
	switch ($p.kind) {
		'switch' { return 'switch' }
		'secure' { return 'securestring' }
		'datetime' { return 'datetime' }
		'int' { return 'int' }
		'string' { return 'string' }
		'path' { return 'string' }
		'strings' { return 'string[]' }
		'cert' { return 'object' }
		{ $_ -eq 'enum' -or $_ -eq 'enums' } {
			$suffix = if ($p.kind -eq 'enums') { '[]' } else { '' }
			if ($p.validateSet) { return "string$suffix" }
			return (ElementType $p.type) + $suffix
		}
		default {
			if ($p.type -and ($p.type -as [type])) { return $p.type }
			return 'object'
		}
	}
}

# One [Parameter()] per set the parameter is in (one without a set name when in all).
function ParamAttributes($table, $p) {
	$all = @($table.parameterSets)
	$sets = @($p.sets)
	$mandatory = @($p.mandatorySets)
	$common = @()
	if ($p.position -ge 0) { $common += "Position = $($p.position)" }
	if ($p.pipelineByValue) { $common += 'ValueFromPipeline = $true' }
	if ($p.pipelineByPropertyName) { $common += 'ValueFromPipelineByPropertyName = $true' }
	$entries = @()
	if ($sets.Count -eq 0 -and ($mandatory.Count -eq 0 -or $mandatory -contains '__AllParameterSets' -or
	    ($all.Count -gt 0 -and @($all | Where-Object { $mandatory -notcontains $_ }).Count -eq 0))) {
		$parts = @()
		if ($mandatory.Count -gt 0) { $parts += 'Mandatory = $true' }
		$entries += , ($parts + $common)
	} else {
		if ($sets.Count -eq 0) { $sets = $all }
		foreach ($s in $sets) {
			$parts = @("ParameterSetName = $(Quote $s)")
			if ($mandatory -contains $s) { $parts += 'Mandatory = $true' }
			$entries += , ($parts + $common)
		}
	}
	foreach ($e in $entries) { "`t`t[Parameter($($e -join ', '))]" }
}

# A parameter typed by a PKI class this platform lacks (PfxData): bound by
# PSTypeName, so only objects named so (New-PkiShimPfxData) bind to it.
function PSTypeNameOf($p) {
	if ($p.kind -eq 'object' -and $p.type -and -not ($p.type -as [type])) { return $p.type }
	return $null
}

# pwsh binds pipeline input only in the default set while that set's mandatory
# parameters are unbound, so a set whose ByValue parameter is PSTypeName-typed
# (Export-PfxCertificate's PfxCert) is the default: a PfxData then pipes in,
# and anything else still binds by type to the other set (NOTES-pfxdata.md).
function ModuleDefaultSet($table) {
	foreach ($p in $table.parameters) {
		if ($p.pipelineByValue -and (PSTypeNameOf $p) -and @($p.sets).Count -eq 1) { return @($p.sets)[0] }
	}
	return $table.defaultParameterSet
}

function Write-Function($table) {
	$sb = [System.Text.StringBuilder]::new()
	$null = $sb.AppendLine("function $($table.name) {")
	$null = $sb.AppendLine('<#')
	$null = $sb.AppendLine('.SYNOPSIS')
	$null = $sb.AppendLine((HelpText $table.synopsis))
	$null = $sb.AppendLine('.DESCRIPTION')
	$null = $sb.AppendLine((HelpText $table.synopsis))
	$null = $sb.AppendLine("This function runs pkishim's native $($table.name) command; its parameters are generated from that command's own table.")
	foreach ($p in $table.parameters) {
		$null = $sb.AppendLine(".PARAMETER $($p.name)")
		$text = HelpText $p.help
		if (@($p.aliases).Count -gt 0) { $text += " Aliases: $(@($p.aliases) -join ', ')." }
		if (@($p.members).Count -gt 0) { $text += " Valid values: $(@($p.members) -join ', ')." }
		if ($p.windowsOnly) { $text += ' (Windows only: refused on this platform.)' }
		$null = $sb.AppendLine($text.Trim())
	}
	$help = $examples[$table.name]
	if ($null -ne $help) {
		foreach ($e in $help.Examples) {
			$null = $sb.AppendLine('.EXAMPLE')
			$null = $sb.AppendLine((HelpText $e.Code))
			$null = $sb.AppendLine()
			$null = $sb.AppendLine((HelpText $e.Remarks))
		}
	}
	$null = $sb.AppendLine('.OUTPUTS')
	$null = $sb.AppendLine($table.outputType)
	$null = $sb.AppendLine('.NOTES')
	$null = $sb.AppendLine('Generated by ps/Build-PkiShimModule.ps1 from the executable''s --pkishim-json.')
	$null = $sb.AppendLine('#>')
	$binding = @('PositionalBinding = $false')
	$defaultSet = ModuleDefaultSet $table
	if ($defaultSet -and $defaultSet -ne '__AllParameterSets') {
		$binding += "DefaultParameterSetName = $(Quote $defaultSet)"
	}
	if ($table.supportsShouldProcess) { $binding += 'SupportsShouldProcess = $true' }
	if ($null -ne $help -and $help.ContainsKey('HelpUri')) { $binding += "HelpUri = $(Quote $help.HelpUri)" }
	$null = $sb.AppendLine("`t[CmdletBinding($($binding -join ', '))]")
	if ($table.outputType) { $null = $sb.AppendLine("`t[OutputType($(Quote $table.outputType))]") }
	$null = $sb.AppendLine("`tparam(")
	$first = $true
	foreach ($p in $table.parameters) {
		if (-not $first) { $null = $sb.AppendLine(',') ; $null = $sb.AppendLine() }
		$first = $false
		foreach ($line in (ParamAttributes $table $p)) { $null = $sb.AppendLine($line) }
		if (@($p.aliases).Count -gt 0) { $null = $sb.AppendLine("`t`t[Alias($((@($p.aliases) | ForEach-Object { Quote $_ }) -join ', '))]") }
		if ($p.validateSet) { $null = $sb.AppendLine("`t`t[ValidateSet($((@($p.members) | ForEach-Object { Quote $_ }) -join ', '))]") }
		if ($p.notNullOrEmpty) { $null = $sb.AppendLine("`t`t[ValidateNotNullOrEmpty()]") }
		if ($p.wildcards) { $null = $sb.AppendLine("`t`t[SupportsWildcards()]") }
		if (PSTypeNameOf $p) { $null = $sb.AppendLine("`t`t[PSTypeName($(Quote (PSTypeNameOf $p)))]") }
		$null = $sb.Append("`t`t[$(ParamType $p)] `$$($p.name)")
	}
	$null = $sb.AppendLine()
	$null = $sb.AppendLine("`t)")
	$null = $sb.AppendLine("`tbegin { `$pkishimCall = New-PkiShimCall $(Quote $table.name) `$PSCmdlet }")
	$null = $sb.AppendLine("`tprocess { Step-PkiShimCall `$pkishimCall `$PSBoundParameters }")
	$null = $sb.AppendLine("`tend { Complete-PkiShimCall `$pkishimCall }")
	$null = $sb.AppendLine('}')
	return $sb.ToString()
}

# What the runtime needs per command: kinds, enum types, what pipes into one file.
function Write-TableData($table) {
	$names = @($table.parameters | ForEach-Object { $_.name })
	# Export-*: piped certificates all go into the one -FilePath file (script-corpus.md §2.6).
	$accumulate = $null
	if ($names -contains 'FilePath') {
		$piped = @($table.parameters | Where-Object { $_.kind -eq 'cert' -and ($_.pipelineByValue -or $_.pipelineByPropertyName) })
		$filePath = @($table.parameters | Where-Object { $_.name -eq 'FilePath' -and -not $_.pipelineByValue -and -not $_.pipelineByPropertyName })
		if ($piped.Count -gt 0 -and $filePath.Count -gt 0) { $accumulate = $piped[0].name }
	}
	$lines = @("`$script:PkiShimCommands[$(Quote $table.name)] = @{")
	$lines += "`tName = $(Quote $table.name)"
	$lines += "`tSupportsShouldProcess = `$$([bool]$table.supportsShouldProcess)"
	$lines += "`tAccumulate = $(if ($accumulate) { Quote $accumulate } else { '$null' })"
	$lines += "`tOutputType = $(Quote $table.outputType)"
	$lines += "`tParameters = @("
	foreach ($p in $table.parameters) {
		$enumType = '$null'
		if (($p.kind -eq 'enum' -or $p.kind -eq 'enums') -and -not $p.validateSet) { $enumType = Quote (ElementType $p.type) }
		$values = if ($p.PSObject.Properties['memberValues']) { '@(' + (@($p.memberValues) -join ', ') + ')' } else { '@()' }
		$lines += "`t`t@{ Name = $(Quote $p.name); Kind = $(Quote $p.kind); EnumType = $enumType; Members = $(QuoteList $p.members); MemberValues = $values }"
	}
	$lines += "`t)"
	$lines += '}'
	return ($lines -join "`n") + "`n"
}

# From a build system a list arrives as one "a,b,c" argument.
$Command = @($Command | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
if ($Command.Count -eq 0) {
	$Command = Get-ChildItem -LiteralPath $BinDir -File |
		Where-Object { $_.Name -match '^[A-Z][a-z]+-[A-Za-z]+(\.exe)?$' } |
		ForEach-Object { $_.Name -replace '\.exe$', '' } | Sort-Object
}
$tables = @(foreach ($name in ($Command | Sort-Object)) { Read-Table $name })
$examples = Import-PowerShellDataFile -LiteralPath (Join-Path $PSScriptRoot 'help/PkiShim.Examples.psd1')

$commands = [System.Text.StringBuilder]::new()
$null = $commands.AppendLine('# Generated by ps/Build-PkiShimModule.ps1 from the executables'' --pkishim-json. Do not edit.')
$null = $commands.AppendLine()
foreach ($t in $tables) {
	$null = $commands.AppendLine((Write-TableData $t))
	$null = $commands.AppendLine((Write-Function $t))
}

$exported = @($tables | ForEach-Object { $_.name })
if ($TargetWindows) {
	$exported = @($exported | Where-Object { $windowsCmdlets -notcontains $_ })
} else {
	$exported += 'Invoke-PkiShimScript'
}
$manifest = Get-Content -LiteralPath (Join-Path $sourceDir 'PkiShim.psd1') -Raw
if ($manifest -notmatch 'FunctionsToExport = @\(\)') { throw 'PkiShim.psd1 lost its "FunctionsToExport = @()" line.' }
$manifest = $manifest.Replace('FunctionsToExport = @()', "FunctionsToExport = $(QuoteList ($exported | Sort-Object))")

$null = New-Item -ItemType Directory -Force -Path $OutDir
$utf8 = [System.Text.UTF8Encoding]::new($false)
$OutDir = (Resolve-Path -LiteralPath $OutDir).ProviderPath
[System.IO.File]::WriteAllText((Join-Path $OutDir 'PkiShim.Commands.ps1'), $commands.ToString(), $utf8)
[System.IO.File]::WriteAllText((Join-Path $OutDir 'PkiShim.psd1'), $manifest, $utf8)
foreach ($f in 'PkiShim.psm1', 'PkiShim.WindowsEnvironment.ps1', 'PkiShim.Errors.psd1') {
	Copy-Item -LiteralPath (Join-Path $sourceDir $f) -Destination $OutDir -Force
}
[System.IO.File]::WriteAllText((Join-Path $OutDir 'PkiShim.Config.psd1'),
	"# Where PkiShim finds its executables (written at build and install time).`n@{ BinDir = $(Quote $RecordedBinDir) }`n", $utf8)
# Syntax check: a generated file that does not parse must fail the build, not the user.
foreach ($f in 'PkiShim.Commands.ps1', 'PkiShim.psm1', 'PkiShim.WindowsEnvironment.ps1') {
	$errors = $null
	$null = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $OutDir $f), [ref]$null, [ref]$errors)
	if ($errors) { throw "$f does not parse: $($errors[0])" }
}
Write-Verbose "PkiShim: $($tables.Count) commands written to $OutDir."

# PkiShim.psm1: runs pkishim's native commands behind PowerShell functions
# that have the Windows cmdlets' parameters (DESIGN §4).
#
# The functions themselves are generated at build time from each executable's
# own parameter table (Build-PkiShimModule.ps1 -> PkiShim.Commands.ps1); this
# file is what they share: finding and running the executables, turning bound
# parameters into argv (powershell-semantics.md §8), passing SecureStrings on
# stdin, turning JSON output into objects and stderr into error records, and
# store certificates as the Cert: drive's items (ps/Provider gives the drive).
Set-StrictMode -Version 3.0

$script:PkiShimCommands = @{}      # command name -> table (filled by PkiShim.Commands.ps1)
$script:PkiShimConfig = @{}        # BinDir recorded at build/install time
$script:ProviderPrefix = 'Microsoft.PowerShell.Security\Certificate::'
$script:CertPathPattern = '^\s*(Microsoft\.PowerShell\.Security\\Certificate::|cert:)'

# Commands that exist on Windows as real cmdlets; the module never shadows them there.
$script:WindowsCommands = @(
	'New-SelfSignedCertificate', 'Export-PfxCertificate', 'Export-Certificate',
	'Import-PfxCertificate', 'Import-Certificate', 'Get-PfxCertificate', 'Get-PfxData', 'Test-Certificate')

# ---------------------------------------------------------------------------
# Finding and running the executables

function Get-PkiShimExecutable {
	param([string]$Name)

	$file = if ($IsWindows) { "$Name.exe" } else { $Name }
	$dirs = @($env:PKISHIM_BIN, (Join-Path $PSScriptRoot 'bin'), $script:PkiShimConfig['BinDir'])
	foreach ($dir in $dirs) {
		if ([string]::IsNullOrEmpty($dir)) { continue }
		$candidate = Join-Path $dir $file
		if ([System.IO.File]::Exists($candidate)) { return $candidate }
	}
	$found = Get-Command -Name $file -CommandType Application -ErrorAction Ignore |
		Select-Object -First 1
	if ($null -ne $found) { return $found.Source }
	return $null
}

# An error record: with -Code (a pk_errname from the core), exception type,
# category, id and Windows' text come from PkiShim.Errors.psd1, the id followed
# by the Windows cmdlet's class name (PowerShell itself then appends the
# function's name: only a compiled cmdlet could end the id with the class).
function New-PkiShimErrorRecord {
	param([string]$Message, [string]$ErrorId, [System.Management.Automation.ErrorCategory]$Category, $Target,
	      [string]$Code, [string]$Command)

	if ($Code) {
		$entry = Get-PkiShimErrorEntry $Code
		if ($entry.ContainsKey('Message')) { $Message = $entry.Message }
		$ErrorId = $entry.ErrorId
		$class = $script:PkiShimErrors.Commands[$Command]
		if ($class) { $ErrorId += ',' + $class }
		$Category = $entry.Category
		$exception = New-Object -TypeName $entry.Exception -ArgumentList $Message
	} else {
		$exception = [System.InvalidOperationException]::new($Message)
	}
	return [System.Management.Automation.ErrorRecord]::new($exception, $ErrorId, $Category, $Target)
}

function Get-PkiShimErrorEntry {
	param([string]$Code)
	$entry = $script:PkiShimErrors.Codes[$Code]
	if ($null -eq $entry) { $entry = $script:PkiShimErrors.Codes['Unknown'] }
	return $entry
}

# Runs one executable: argv as given (never through a shell), the password
# (plain text of a SecureString) on its stdin with PKISHIM_PASSWORD_FD=0,
# PKISHIM_OUTPUT=json, in the session's file system location.
function Invoke-PkiShimProcess {
	param([string]$Path, [string[]]$ArgumentList, [securestring]$Password, [string]$WorkingDirectory)

	$utf8 = [System.Text.UTF8Encoding]::new($false)
	$psi = [System.Diagnostics.ProcessStartInfo]::new($Path)
	foreach ($a in $ArgumentList) { $psi.ArgumentList.Add($a) }
	$psi.UseShellExecute = $false
	$psi.RedirectStandardInput = $true
	$psi.RedirectStandardOutput = $true
	$psi.RedirectStandardError = $true
	$psi.StandardInputEncoding = $utf8
	$psi.StandardOutputEncoding = $utf8
	$psi.StandardErrorEncoding = $utf8
	if ($WorkingDirectory -and [System.IO.Directory]::Exists($WorkingDirectory)) {
		$psi.WorkingDirectory = $WorkingDirectory
	}
	$psi.Environment['PKISHIM_OUTPUT'] = 'json'
	[void]$psi.Environment.Remove('PKISHIM_PASSWORD_FD')
	if ($null -ne $Password) { $psi.Environment['PKISHIM_PASSWORD_FD'] = '0' }

	$process = [System.Diagnostics.Process]::Start($psi)
	try {
		$stdout = $process.StandardOutput.ReadToEndAsync()
		$stderr = $process.StandardError.ReadToEndAsync()
		try {
			if ($null -ne $Password) {
				# The only copy of the plain text lives in this call; .NET strings cannot be wiped.
				$process.StandardInput.Write([System.Net.NetworkCredential]::new('', $Password).Password)
			}
			$process.StandardInput.Close()
		} catch [System.IO.IOException] {
			# The command exited without reading its input; its status tells why.
		}
		$process.WaitForExit()
		return [pscustomobject]@{
			ExitCode = $process.ExitCode
			Output = $stdout.GetAwaiter().GetResult()
			Error = $stderr.GetAwaiter().GetResult()
		}
	} finally {
		$process.Dispose()
	}
}

# ---------------------------------------------------------------------------
# Turning bound parameters into argv (powershell-semantics.md §8)

function Test-PkiShimCertPath {
	param([string]$Text)
	return $Text -match $script:CertPathPattern
}

# "Microsoft.PowerShell.Security\Certificate::LocalMachine\My\AB.." -> "Cert:\LocalMachine\My\AB.."
function ConvertTo-PkiShimDrivePath {
	param([string]$PSPath)
	if ($PSPath.StartsWith($script:ProviderPrefix, [System.StringComparison]::OrdinalIgnoreCase)) {
		return 'Cert:\' + $PSPath.Substring($script:ProviderPrefix.Length)
	}
	return $PSPath
}

function Resolve-PkiShimFilePath {
	param($Cmdlet, [string]$Path)
	if ([string]::IsNullOrEmpty($Path)) { return $Path }
	# Cert:\ paths name store items, which the executables resolve themselves.
	if ($Path -match '^(Cert:|(Microsoft\.PowerShell\.Security\\)?Certificate::)') { return $Path }
	# A Windows drive path ("C:\temp\x.pfx") works only where that drive is mapped.
	if (-not $IsWindows -and $Path -match '^([A-Za-z]):' -and
	    $null -eq (Get-PSDrive -Name $Matches[1] -ErrorAction Ignore)) {
		$drive = $Matches[1].ToUpperInvariant()
		$Cmdlet.ThrowTerminatingError((New-PkiShimErrorRecord (
			"Cannot use the path '$Path': there is no drive ${drive}: here. Give a relative " +
			"path or a path of this system instead, or map the drive first: " +
			"New-PSDrive -Name $drive -PSProvider FileSystem -Root <directory>") `
			'WindowsDrivePathNotFound' ObjectNotFound $Path))
	}
	return $Cmdlet.GetUnresolvedProviderPathFromPSPath($Path)
}

# A temporary directory (0700) for certificates that live in no store or file.
function Get-PkiShimTempDir {
	param($Call)
	if ($null -eq $Call.TempDir) {
		$dir = Join-Path ([System.IO.Path]::GetTempPath()) ('pkishim-' + [guid]::NewGuid().ToString('N'))
		if ($IsWindows) {
			[void][System.IO.Directory]::CreateDirectory($dir)
		} else {
			[void][System.IO.Directory]::CreateDirectory($dir, [System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
		}
		$Call.TempDir = $dir
	}
	return $Call.TempDir
}

# What a -Cert/-Signer/-CloneCert value becomes on the command line: a store
# certificate by its Cert:\ path, any other X509Certificate2 as a temporary
# file (password-less PFX when it has an exportable key, else DER), a string
# as typed (Cert:\ path, thumbprint) or as a file path resolved against $PWD.
function ConvertTo-PkiShimCertArgument {
	param($Call, $Value)

	$object = if ($Value -is [psobject]) { $Value.PSObject.BaseObject } else { $Value }
	$pspath = $null
	if ($null -ne $Value -and $Value -isnot [string]) {
		$property = ([psobject]$Value).PSObject.Properties['PSPath']
		if ($null -ne $property) { $pspath = [string]$property.Value }
	}
	if ($object -is [string]) {
		if ($object.StartsWith($script:ProviderPrefix, [System.StringComparison]::OrdinalIgnoreCase)) {
			return ConvertTo-PkiShimDrivePath $object
		}
		if ((Test-PkiShimCertPath $object) -or $object -match '^\s*[0-9A-Fa-f ]{40,}\s*$' -or
		    $object.Contains('[Thumbprint]')) {
			return $object
		}
		return Resolve-PkiShimFilePath $Call.Cmdlet $object
	}
	if (-not [string]::IsNullOrEmpty($pspath) -and (Test-PkiShimCertPath $pspath)) {
		return ConvertTo-PkiShimDrivePath $pspath
	}
	if ($object -is [System.Security.Cryptography.X509Certificates.X509Certificate2]) {
		$dir = Get-PkiShimTempDir $Call
		if ($object.HasPrivateKey) {
			try {
				$bytes = $object.Export([System.Security.Cryptography.X509Certificates.X509ContentType]::Pkcs12, '')
				$file = Join-Path $dir ($object.Thumbprint + '.pfx')
				[System.IO.File]::WriteAllBytes($file, $bytes)
				return $file
			} catch {
				# A key that cannot leave its container: the certificate alone still identifies it.
				Write-Verbose "The private key of $($object.Thumbprint) cannot be exported; passing the certificate only."
			}
		}
		$file = Join-Path $dir ($object.Thumbprint + '.cer')
		[System.IO.File]::WriteAllBytes($file, $object.RawData)
		return $file
	}
	if ($object -is [System.IO.FileSystemInfo]) { return $object.FullName }
	$thumb = if ($null -ne $Value) { ([psobject]$Value).PSObject.Properties['Thumbprint'] } else { $null }
	if ($null -ne $thumb -and $thumb.Value) { return [string]$thumb.Value }
	return [string]$Value
}

# An array item protected from the native binder's comma splitting when it needs it.
function ConvertTo-PkiShimArrayItem {
	param([string]$Item)
	if ($Item.IndexOf(',') -lt 0 -and -not $Item.StartsWith("'") -and -not $Item.StartsWith('"')) {
		return $Item
	}
	if ($Item.IndexOf('"') -lt 0) { return '"' + $Item + '"' }
	return "'" + $Item.Replace("'", "''") + "'"
}

function Test-PkiShimPathParameter {
	param($Parameter)
	return $Parameter.Kind -eq 'path' -or
		(($Parameter.Kind -eq 'string' -or $Parameter.Kind -eq 'strings') -and $Parameter.Name -match 'Path$')
}

# Builds argv from the bound parameters in table order: full names, -Name:value
# (so no value is ever read as a parameter name), arrays as one comma list,
# DateTime as ISO 8601 UTC, paths absolute, certificates as paths; the
# SecureString is returned apart and never enters argv.
function ConvertTo-PkiShimArgv {
	param($Call, [hashtable]$Bound)

	$argv = [System.Collections.Generic.List[string]]::new()
	$password = $null
	foreach ($p in $Call.Table.Parameters) {
		if (-not $Bound.ContainsKey($p.Name)) { continue }
		$value = $Bound[$p.Name]
		# $null given to a parameter that is not mandatory binds as if it were absent,
		# as PowerShell binds it for a cmdlet (a mandatory one never gets here: the
		# function's own binder refuses it with "... because it is null.").
		if ($null -eq $value) { continue }
		$name = '-' + $p.Name
		switch ($p.Kind) {
			'switch' {
				$argv.Add($name + ':' + $(if ([bool]$value) { 'True' } else { 'False' }))
			}
			'secure' {
				$password = $value
			}
			'datetime' {
				$utc = ([datetime]$value).ToUniversalTime()
				$argv.Add($name + ':' + $utc.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", [cultureinfo]::InvariantCulture))
			}
			'object' {
				$argv.Add($name + ':' + (ConvertTo-PkiShimObjectArgument $Call $value))
			}
			'cert' {
				$items = @(foreach ($v in @($value)) { if ($null -ne $v) { ConvertTo-PkiShimCertArgument $Call $v } })
				if ($items.Count -eq 1) {
					$argv.Add($name + ':' + $items[0])
				} elseif ($items.Count -gt 1) {
					$argv.Add($name)
					foreach ($i in $items) { $argv.Add($i) }
				}
			}
			{ $_ -eq 'strings' -or $_ -eq 'enums' } {
				$items = @(foreach ($v in @($value)) {
					$text = [System.Management.Automation.LanguagePrimitives]::ConvertTo($v, [string], [cultureinfo]::InvariantCulture)
					if (Test-PkiShimPathParameter $p) { $text = Resolve-PkiShimFilePath $Call.Cmdlet $text }
					$text
				})
				if ($items.Count -eq 0) { continue }
				if ($items.Count -eq 1 -and $items[0] -eq '') {
					$argv.Add($name)
					$argv.Add('')
					continue
				}
				$argv.Add($name + ':' + ((@(foreach ($i in $items) { ConvertTo-PkiShimArrayItem $i })) -join ','))
			}
			default {
				$text = [System.Management.Automation.LanguagePrimitives]::ConvertTo($value, [string], [cultureinfo]::InvariantCulture)
				if (Test-PkiShimPathParameter $p) { $text = Resolve-PkiShimFilePath $Call.Cmdlet $text }
				if ([string]::IsNullOrEmpty($text)) {
					# "-Name:" would take the next argument as the value.
					$argv.Add($name)
					$argv.Add('')
				} else {
					$argv.Add($name + ':' + $text)
				}
			}
		}
	}
	return [pscustomobject]@{ Argv = $argv; Password = $password }
}

# ---------------------------------------------------------------------------
# Output: JSON lines -> objects

function Add-PkiShimProviderProperties {
	param($Certificate, $Json)
	$o = [psobject]$Certificate
	$o | Add-Member -NotePropertyName PSPath -NotePropertyValue $Json.PSPath -Force
	$o | Add-Member -NotePropertyName PSParentPath -NotePropertyValue $Json.PSParentPath -Force
	$o | Add-Member -NotePropertyName PSChildName -NotePropertyValue $Json.Thumbprint -Force
	$o | Add-Member -NotePropertyName PSDrive -NotePropertyValue 'Cert' -Force
	$o | Add-Member -NotePropertyName PSProvider -NotePropertyValue 'Microsoft.PowerShell.Security\Certificate' -Force
	$o | Add-Member -NotePropertyName PSIsContainer -NotePropertyValue $false -Force
	return $o
}

# A certificate line becomes the X509Certificate2 in its file (a store file is
# a password-less PFX); store certificates get the provider's properties so
# they show, pipe and bind like Cert:\ items on Windows.
function ConvertTo-PkiShimCertificate {
	param($Json, [securestring]$Password)

	$flags = [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::Exportable
	$cert = $null
	if (-not [string]::IsNullOrEmpty($Json.File) -and [System.IO.File]::Exists($Json.File)) {
		try {
			$cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($Json.File, [string]'', $flags)
		} catch {
			if ($null -eq $Password) { throw }
			$cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($Json.File, $Password, $flags)
		}
	}
	if ($null -eq $cert) { return $Json }
	if (-not [string]::IsNullOrEmpty($Json.PSPath)) {
		# The drive's own item (its PSPath, PSParentPath, ... from the engine) when Cert: exists.
		if (Get-PSProvider -PSProvider Certificate -ErrorAction Ignore) {
			$item = Get-Item -LiteralPath $Json.PSPath -ErrorAction Ignore
			if ($null -ne $item) { return $item }
		}
		return Add-PkiShimProviderProperties $cert $Json
	}
	return $cert
}

function ConvertFrom-PkiShimOutput {
	param($Call, [string]$Text, [securestring]$Password)

	foreach ($line in $Text -split "\r?\n") {
		if ($line.Length -eq 0) { continue }
		if ($line.StartsWith('What if:')) {
			$Call.Cmdlet.Host.UI.WriteLine($line)
			continue
		}
		if (-not $line.StartsWith('{')) {
			ConvertFrom-PkiShimTextLine $Call $line
			continue
		}
		$json = $line | ConvertFrom-Json
		$names = $json.PSObject.Properties.Name
		if ($names -contains 'PfxDataFile') {
			ConvertTo-PkiShimPfxData $json $Password
		} elseif ($names -contains 'Thumbprint' -and $names -contains 'File' -and $names -contains 'HasPrivateKey') {
			ConvertTo-PkiShimCertificate $json $Password
		} elseif ($names -contains 'FullName' -and @($names).Count -eq 1) {
			Microsoft.PowerShell.Management\Get-Item -LiteralPath $json.FullName -Force
		} else {
			$json
		}
	}
}

# stderr: "VERBOSE: x" lines are verbose records, "WARNING: x" lines warning
# records; JSON lines (cmdlet.h, cmdlet_error) and "<Command>: message" lines
# are errors (continuation lines belong to the message before them). Errors
# holds the messages, Records the JSON lines' ErrorCode/Message/TargetObject
# in the same order.
function Split-PkiShimStderr {
	param([string]$Name, [string]$Text)

	$verbose = [System.Collections.Generic.List[string]]::new()
	$errors = [System.Collections.Generic.List[string]]::new()
	$records = [System.Collections.Generic.List[object]]::new()
	$prefix = $Name + ': '
	$warnings = [System.Collections.Generic.List[string]]::new()
	$inWarning = $false
	foreach ($line in $Text -split "\r?\n") {
		if (Add-PkiShimWarningLine $warnings $line ([ref]$inWarning)) { continue }
		if ($line.StartsWith('VERBOSE: ')) {
			$verbose.Add($line.Substring(9))
		} elseif ($line.StartsWith('{"ErrorCode":')) {
			$record = $line | ConvertFrom-Json
			$records.Add($record)
			$errors.Add($record.Message)
		} elseif ($line.StartsWith($prefix)) {
			$records.Add([pscustomobject]@{ ErrorCode = 'Unknown'; Message = $line.Substring($prefix.Length); TargetObject = $null })
			$errors.Add($line.Substring($prefix.Length))
		} elseif ($line.Length -gt 0) {
			if ($errors.Count -gt 0) {
				$errors[$errors.Count - 1] += "`n" + $line
				$records[$records.Count - 1].Message += "`n" + $line
			} else {
				$errors.Add($line)
				$records.Add([pscustomobject]@{ ErrorCode = 'Unknown'; Message = $line; TargetObject = $null })
			}
		}
	}
	return [pscustomobject]@{ Verbose = $verbose; Errors = $errors; Records = $records; Warnings = $warnings }
}

# What an error is about when the core did not say: the input the command
# works on (the certificate object as given, else the path), as Windows' records name it.
function Get-PkiShimErrorTarget {
	param($Call, [hashtable]$Bound)
	foreach ($name in 'Cert', 'PFXData', 'FilePath', 'LiteralPath', 'Path', 'CertStoreLocation') {
		if ($Bound.ContainsKey($name) -and $null -ne $Bound[$name]) {
			$value = @($Bound[$name])
			if ($value.Count -eq 1) { return $value[0] }
			return $Bound[$name]
		}
	}
	return $null
}

# Each error the command reported: non-terminating (WriteError) when it
# concerns one input; the one it stopped on (the last, with a non-zero exit)
# terminates when the table says its code stops the command. With a non-zero
# exit and no error line, one terminating record.
function Write-PkiShimErrors {
	param($Call, [hashtable]$Bound, $Records, [int]$ExitCode)

	$cmdlet = $Call.Cmdlet
	if ($ExitCode -ne 0 -and $Records.Count -eq 0) {
		$Records = @([pscustomobject]@{ ErrorCode = 'Unknown'; TargetObject = $null
			Message = "The command failed with exit status $ExitCode." })
	}
	$last = @($Records).Count - 1
	for ($i = 0; $i -le $last; $i++) {
		$r = @($Records)[$i]
		$target = if ($null -ne $r.TargetObject) { $r.TargetObject } else { Get-PkiShimErrorTarget $Call $Bound }
		$record = New-PkiShimErrorRecord -Message $r.Message -Target $target -Code $r.ErrorCode -Command $Call.Name
		if ($i -eq $last -and $ExitCode -ne 0 -and (Get-PkiShimErrorEntry $r.ErrorCode).Terminating) {
			$cmdlet.ThrowTerminatingError($record)
		}
		$cmdlet.WriteError($record)
	}
}

# ---------------------------------------------------------------------------
# What the generated functions call: begin -> New, process -> Step, end -> Complete

function New-PkiShimCall {
	param([string]$Name, $Cmdlet)
	return [pscustomobject]@{
		Name = $Name
		Cmdlet = $Cmdlet
		Table = $script:PkiShimCommands[$Name]
		Pending = [System.Collections.Generic.List[hashtable]]::new()
		TempDir = $null
	}
}

function Copy-PkiShimBound {
	param($Call, $Bound)
	$copy = @{}
	foreach ($p in $Call.Table.Parameters) {
		if ($Bound.ContainsKey($p.Name)) { $copy[$p.Name] = $Bound[$p.Name] }
	}
	return $copy
}

function Step-PkiShimCall {
	param($Call, $Bound)
	$copy = Copy-PkiShimBound $Call $Bound
	if ($Call.Table.Accumulate -and $Call.Cmdlet.MyInvocation.ExpectingInput) {
		# Every piped certificate goes into the one output file, written at the end.
		$Call.Pending.Add($copy)
		return
	}
	Invoke-PkiShimCall $Call $copy
}

function Complete-PkiShimCall {
	param($Call)
	try {
		if ($Call.Pending.Count -gt 0) {
			$merged = $Call.Pending[0]
			$name = $Call.Table.Accumulate
			$merged[$name] = @(foreach ($b in $Call.Pending) { if ($b.ContainsKey($name)) { $b[$name] } })
			$Call.Pending.Clear()
			Invoke-PkiShimCall $Call $merged
		}
	} finally {
		if ($null -ne $Call.TempDir) {
			[System.IO.Directory]::Delete($Call.TempDir, $true)
			$Call.TempDir = $null
		}
	}
}

# What -WhatIf and -Confirm name, as a cmdlet names its target: the output
# file, else the certificates (subject and thumbprint), else the paths or store;
# never the arguments.
function Get-PkiShimShouldProcessTarget {
	param($Call, [hashtable]$Bound)
	foreach ($name in 'FilePath', 'Cert', 'PFXData', 'LiteralPath', 'Path', 'CertStoreLocation', 'Subject', 'DnsName') {
		if (-not $Bound.ContainsKey($name) -or $null -eq $Bound[$name]) { continue }
		$items = foreach ($v in @($Bound[$name])) {
			$o = if ($v -is [psobject]) { $v.PSObject.BaseObject } else { $v }
			if ($o -is [System.Security.Cryptography.X509Certificates.X509Certificate2]) {
				'{0} ({1})' -f $o.Subject, $o.Thumbprint
			} elseif ($name -eq 'FilePath' -or $name -eq 'LiteralPath') {
				Resolve-PkiShimFilePath $Call.Cmdlet ([string]$o)
			} else {
				[string]$o
			}
		}
		return (@($items) -join ', ')
	}
	return $Call.Name
}

function Invoke-PkiShimCall {
	param($Call, [hashtable]$Bound)

	$cmdlet = $Call.Cmdlet
	$exe = Get-PkiShimExecutable $Call.Name
	if ($null -eq $exe) {
		$cmdlet.ThrowTerminatingError((New-PkiShimErrorRecord (
			"The pkishim executable '$($Call.Name)' was not found in `$env:PKISHIM_BIN, " +
			"the module's bin folder, '$($script:PkiShimConfig['BinDir'])' or PATH.") `
			'PkiShimExecutableNotFound' ObjectNotFound $Call.Name))
	}
	$whatIf = $Call.Table.SupportsShouldProcess -and [bool]$WhatIfPreference
	if ($Call.Table.SupportsShouldProcess -and -not $whatIf -and
	    -not $cmdlet.ShouldProcess((Get-PkiShimShouldProcessTarget $Call $Bound), $Call.Name)) {
		return
	}
	$built = ConvertTo-PkiShimArgv $Call $Bound
	$argv = $built.Argv
	if ($whatIf) { $argv.Add('-WhatIf') }
	if ($VerbosePreference -ne 'SilentlyContinue' -and $VerbosePreference -ne 'Ignore') { $argv.Add('-Verbose') }
	Write-Debug ("{0} {1}" -f $exe, ($argv -join ' '))

	if (-not $cmdlet.MyInvocation.BoundParameters.ContainsKey('ErrorAction')) {
		# A script module does not see its caller's $ErrorActionPreference (a cmdlet
		# does): take the caller's, so WriteError below obeys it as a cmdlet's would.
		$ErrorActionPreference = $cmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference')
	}
	$cwd = $cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath
	$result = Invoke-PkiShimProcess -Path $exe -ArgumentList $argv -Password $built.Password -WorkingDirectory $cwd
	$stderr = Split-PkiShimStderr $Call.Name $result.Error
	foreach ($v in $stderr.Verbose) { $cmdlet.WriteVerbose($v) }
	foreach ($w in $stderr.Warnings) { $cmdlet.WriteWarning($w) }
	ConvertFrom-PkiShimOutput $Call $result.Output $built.Password
	Write-PkiShimErrors $Call $Bound $stderr.Records $result.ExitCode
}

# ---------------------------------------------------------------------------
# PfxData (Get-PfxData, Export-PfxCertificate -PFXData) and the other shapes
# a few commands return: [bool] for Test-Certificate, warnings on stderr.

# The one place a PfxData is made: a PSObject named as the PKI module's type
# until a real Microsoft.CertificateServices.Commands.PfxData class exists.
function New-PkiShimPfxData {
	param([object[]]$EndEntityCertificates, [object[]]$OtherCertificates,
		[bool]$PasswordProtected, [string[]]$ProtectedTo = @())
	$typeName = 'Microsoft.CertificateServices.Commands.PfxData'
	$data = [pscustomobject]@{
		PasswordProtected = $PasswordProtected
		ProtectedTo = [string[]]$ProtectedTo
		EndEntityCertificates = [System.Security.Cryptography.X509Certificates.X509Certificate2[]]@($EndEntityCertificates | Where-Object { $null -ne $_ })
		OtherCertificates = [System.Security.Cryptography.X509Certificates.X509Certificate2[]]@($OtherCertificates | Where-Object { $null -ne $_ })
	}
	$data.PSObject.TypeNames.Insert(0, $typeName)
	return $data
}

# Get-PfxData's JSON names the file and the thumbprints; the certificates
# (with their keys) come from the file itself, opened with the same SecureString.
function ConvertTo-PkiShimPfxData {
	param($Json, [securestring]$Password)
	$flags = [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::Exportable
	$plain = if ($null -ne $Password -and $Json.PasswordProtected) {
		[System.Net.NetworkCredential]::new('', $Password).Password
	} else { '' }
	$all = [System.Security.Cryptography.X509Certificates.X509Certificate2Collection]::new()
	$all.Import([string]$Json.PfxDataFile, $plain, $flags)
	$pick = {
		param($Thumbprints)
		foreach ($t in @($Thumbprints)) {
			@($all | Where-Object { $_.Thumbprint -eq $t } | Sort-Object { -not $_.HasPrivateKey })[0]
		}
	}
	return New-PkiShimPfxData -EndEntityCertificates (& $pick $Json.EndEntityCertificates) `
		-OtherCertificates (& $pick $Json.OtherCertificates) `
		-PasswordProtected ([bool]$Json.PasswordProtected) -ProtectedTo @($Json.ProtectedTo)
}

function Test-PkiShimPfxData {
	param($Value)
	return $null -ne $Value -and $Value -isnot [string] -and
		(([psobject]$Value).PSObject.TypeNames -contains 'Microsoft.CertificateServices.Commands.PfxData' -or
		 $null -ne ([psobject]$Value).PSObject.Properties['EndEntityCertificates'])
}

# An object parameter on the command line: a PfxData becomes a password-less
# PFX in the call's 0700 temporary directory (removed when the call ends),
# which Export-PfxCertificate -PFXData reads; a string is a file path.
function ConvertTo-PkiShimObjectArgument {
	param($Call, $Value)
	if (Test-PkiShimPfxData $Value) {
		$certs = [System.Security.Cryptography.X509Certificates.X509Certificate2Collection]::new()
		foreach ($c in @($Value.EndEntityCertificates) + @($Value.OtherCertificates)) {
			if ($null -ne $c) { [void]$certs.Add($c) }
		}
		$file = Join-Path (Get-PkiShimTempDir $Call) ('pfxdata-' + [guid]::NewGuid().ToString('N') + '.pfx')
		[System.IO.File]::WriteAllBytes($file, $certs.Export([System.Security.Cryptography.X509Certificates.X509ContentType]::Pkcs12, ''))
		return $file
	}
	$text = [System.Management.Automation.LanguagePrimitives]::ConvertTo($Value, [string], [cultureinfo]::InvariantCulture)
	return Resolve-PkiShimFilePath $Call.Cmdlet $text
}

# A text line of output: True/False are [bool] for commands that return one.
function ConvertFrom-PkiShimTextLine {
	param($Call, [string]$Line)
	if ($Call.Table.ContainsKey('OutputType') -and $Call.Table.OutputType -eq 'System.Boolean' -and
	    ($Line -ceq 'True' -or $Line -ceq 'False')) {
		return $Line -ceq 'True'
	}
	return $Line
}

# "WARNING: text" on stderr, with tab-indented continuation lines, is one warning record.
function Add-PkiShimWarningLine {
	param($Warnings, [string]$Line, [ref]$InWarning)
	if ($Line.StartsWith('WARNING: ')) {
		$Warnings.Add($Line.Substring(9))
		$InWarning.Value = $true
		return $true
	}
	if ($InWarning.Value -and $Line.StartsWith("`t")) {
		$Warnings[$Warnings.Count - 1] += "`n" + $Line
		return $true
	}
	$InWarning.Value = $false
	return $false
}

# ---------------------------------------------------------------------------
# Types the tables name but this platform lacks (the PKI module's enums)

function Initialize-PkiShimEnums {
	$wanted = [ordered]@{}
	foreach ($table in $script:PkiShimCommands.Values) {
		foreach ($p in $table.Parameters) {
			if ($p.EnumType -and -not $wanted.Contains($p.EnumType) -and -not ($p.EnumType -as [type])) {
				$wanted[$p.EnumType] = $p
			}
		}
	}
	if ($wanted.Count -eq 0) { return }
	$assemblyName = [System.Reflection.AssemblyName]::new('PkiShim.Enums.' + [guid]::NewGuid().ToString('N'))
	$assembly = [System.Reflection.Emit.AssemblyBuilder]::DefineDynamicAssembly($assemblyName, 'Run')
	$module = $assembly.DefineDynamicModule($assemblyName.Name)
	foreach ($typeName in $wanted.Keys) {
		$builder = $module.DefineEnum($typeName, 'Public', [int])
		# Windows' numbers from the C table (KeyUsage = X509KeyUsageFlags, ...), and
		# no [Flags]: "A,B" is refused as the PKI module's enums refuse it
		# (PowerShell/PowerShell#20119); -bor still combines values, which the
		# native binder splits back into members.
		$p = $wanted[$typeName]
		$members = @($p.Members)
		$values = @($p.MemberValues)
		for ($i = 0; $i -lt $members.Count; $i++) {
			$value = if ($values.Count -eq $members.Count) { [int]$values[$i] } else { $i }
			[void]$builder.DefineLiteral($members[$i], $value)
		}
		[void]$builder.CreateType()
	}
}

# ---------------------------------------------------------------------------
# Certificate display: the ETS properties PowerShell defines only work on Windows.


function Initialize-PkiShimTypeData {
	$type = 'System.Security.Cryptography.X509Certificates.X509Certificate2'
	Update-TypeData -TypeName $type -MemberType ScriptProperty -MemberName EnhancedKeyUsageList -Force -Value {
		# Windows' names for the usual EKUs (OpenSSL's differ: "TLS Web Server Authentication").
		$windowsNames = @{
			'1.3.6.1.5.5.7.3.1' = 'Server Authentication'
			'1.3.6.1.5.5.7.3.2' = 'Client Authentication'
			'1.3.6.1.5.5.7.3.3' = 'Code Signing'
			'1.3.6.1.5.5.7.3.4' = 'Secure Email'
			'1.3.6.1.5.5.7.3.8' = 'Time Stamping'
			'1.3.6.1.5.5.7.3.9' = 'OCSP Signing'
			'1.3.6.1.4.1.311.10.3.4' = 'Encrypting File System'
			'1.3.6.1.4.1.311.20.2.2' = 'Smart Card Logon'
			'1.3.6.1.4.1.311.80.1' = 'Document Encryption'
			'1.3.6.1.5.5.8.2.2' = 'IP security IKE intermediate'
		}
		foreach ($ext in $this.Extensions) {
			if ($ext.Oid.Value -eq '2.5.29.37') {
				$eku = [System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension]::new($ext, $ext.Critical)
				foreach ($oid in $eku.EnhancedKeyUsages) {
					$friendly = $windowsNames[$oid.Value]
					if (-not $friendly) { $friendly = $oid.FriendlyName }
					$item = [pscustomobject]@{ FriendlyName = $friendly; ObjectId = $oid.Value }
					$item | Add-Member -MemberType ScriptMethod -Name ToString -Force -Value {
						if ($this.FriendlyName) { '{0} ({1})' -f $this.FriendlyName, $this.ObjectId } else { $this.ObjectId }
					}
					$item
				}
			}
		}
	}
	Update-TypeData -TypeName $type -MemberType ScriptProperty -MemberName DnsNameList -Force -Value {
		$names = [System.Collections.Generic.List[string]]::new()
		$cn = $this.Subject
		if ($cn.StartsWith('CN=') -and $cn.IndexOf(',') -lt 0) { $names.Add($cn.Substring(3)) }
		foreach ($ext in $this.Extensions) {
			if ($ext.Oid.Value -eq '2.5.29.17') {
				$san = [System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension]::new($ext.RawData, $ext.Critical)
				foreach ($dns in $san.EnumerateDnsNames()) { if (-not $names.Contains($dns)) { $names.Add($dns) } }
			}
		}
		, $names.ToArray()
	}
}

# ---------------------------------------------------------------------------
# Windows scripts unchanged (pkishim run, PKISHIM_WINDOWS_ENV=1)

. (Join-Path $PSScriptRoot 'PkiShim.WindowsEnvironment.ps1')

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
	$null = Initialize-PkiShimWindowsEnvironment -ScriptPath $script -Drive $Drive -DriveRoot $DriveRoot
	& $script @ArgumentList
}

# ---------------------------------------------------------------------------
# Loading

$script:PkiShimErrors = Import-PowerShellDataFile -LiteralPath (Join-Path $PSScriptRoot 'PkiShim.Errors.psd1')
$configFile = Join-Path $PSScriptRoot 'PkiShim.Config.psd1'
if (Test-Path -LiteralPath $configFile) {
	$script:PkiShimConfig = Import-PowerShellDataFile -LiteralPath $configFile
}
. (Join-Path $PSScriptRoot 'PkiShim.Commands.ps1')

$exported = @($script:PkiShimCommands.Keys | Sort-Object)
if ($IsWindows) {
	# The real cmdlets and the real Cert: drive stay in charge on Windows.
	$exported = @($exported | Where-Object { $script:WindowsCommands -notcontains $_ -and
		$_ -notmatch '^(Get|Remove)-StoreCertificate$' })
} else {
	Initialize-PkiShimEnums
	Initialize-PkiShimTypeData
	Initialize-PkiShimWindowsEnvironmentFromVariables
	$exported += 'Invoke-PkiShimScript'
}
Export-ModuleMember -Function $exported

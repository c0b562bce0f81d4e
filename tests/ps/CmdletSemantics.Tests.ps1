# The commands behave like cmdlets (issue 17), against the real executables
# from a child pwsh as a user runs scripts: per-input failures are
# non-terminating errors that -ErrorAction, $ErrorActionPreference,
# -ErrorVariable, 2>$null and $? control; failures that stop the command are
# terminating; records carry the exception type, category, id and target from
# the error table (ps/Shared/ErrorTable.cs), and the FullyQualifiedErrorId ends
# in the Windows cmdlet's class, as a compiled cmdlet's does.

BeforeAll {
	. (Join-Path $PSScriptRoot 'PkiShimTestLib.ps1')
	$script:sandbox = New-TestSandbox
	# As users run them: the module from a fresh install prefix, pwsh -NoProfile -File.
	$script:prefix = Install-TestPrefix $sandbox
	$script:missing = 'Cert:\CurrentUser\My\0000000000000000000000000000000000000000'
	# One child pwsh for all cases: each prints "name=value" lines.
	$script:run = Invoke-TestPwsh -Sandbox $sandbox -Installed $prefix -Script @"
`$missing = '$missing'
`$pw = ConvertTo-SecureString -String 'pw' -AsPlainText -Force

# SilentlyContinue: nothing shown, `$? false, the ErrorRecord in -ErrorVariable.
Export-Certificate -Cert `$missing -FilePath n.cer -ErrorAction SilentlyContinue -ErrorVariable ev
"sc.status=`$?"
"sc.type=`$(`$ev[0].GetType().FullName)"
"sc.exception=`$(`$ev[0].Exception.GetType().FullName)"
"sc.category=`$(`$ev[0].CategoryInfo.Category)"
"sc.fqid=`$(`$ev[0].FullyQualifiedErrorId)"
"sc.target=`$(`$ev[0].TargetObject)"
"sc.message=`$(`$ev[0].Exception.Message)"

# Ignore: not even in `$Error.
`$Error.Clear()
Export-Certificate -Cert `$missing -FilePath n.cer -ErrorAction Ignore
"ignore.count=`$(`$Error.Count)"

# Non-terminating: try does not catch it without Stop, the script goes on.
`$caught = 'no'
try { Export-Certificate -Cert `$missing -FilePath n.cer 2>`$null; 'nt.after=reached' } catch { `$caught = 'yes' }
"nt.caught=`$caught"

# -ErrorAction Stop and `$ErrorActionPreference = 'Stop' make it terminating, typed.
try { Export-Certificate -Cert `$missing -FilePath n.cer -ErrorAction Stop } catch [System.Management.Automation.ItemNotFoundException] { 'stop.caught=ItemNotFound' }
& { `$ErrorActionPreference = 'Stop'; try { Export-Certificate -Cert `$missing -FilePath n.cer } catch [System.Management.Automation.ItemNotFoundException] { 'pref.caught=ItemNotFound' } }

`$cert = New-SelfSignedCertificate -Subject 'CN=semantics' -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation Cert:\CurrentUser\My
try { Export-PfxCertificate -Cert `$cert -FilePath (Join-Path `$PWD 'no/such/dir/a.pfx') -Password `$pw -ErrorAction Stop }
catch [System.IO.DirectoryNotFoundException] { "dir.fqid=`$(`$_.FullyQualifiedErrorId)"; "dir.target=`$(`$_.TargetObject.Thumbprint -eq `$cert.Thumbprint)" }

Export-PfxCertificate -Cert `$cert -FilePath a.pfx -Password `$pw | Out-Null
`$bad = ConvertTo-SecureString -String 'wrong' -AsPlainText -Force
try { Import-PfxCertificate -FilePath a.pfx -Password `$bad -CertStoreLocation Cert:\CurrentUser\My -ErrorAction Stop }
catch [System.Security.Cryptography.CryptographicException] { "pw.message=`$(`$_.Exception.Message)"; "pw.category=`$(`$_.CategoryInfo.Category)" }

try { Import-Certificate -FilePath none.cer -CertStoreLocation Cert:\CurrentUser\My -ErrorAction Stop }
catch [System.IO.FileNotFoundException] { "file.fqid=`$(`$_.FullyQualifiedErrorId)" }

# Get-PfxCertificate: a missing file among others is non-terminating (GetPfxCertCommandFileNotFound
# in CertificateCommands.cs, pki-cmdlets.md); the found one is still output.
Export-Certificate -Cert `$cert -FilePath a.cer | Out-Null
`$got = Get-PfxCertificate -FilePath a.cer, none.cer -ErrorVariable pe -ErrorAction SilentlyContinue
"pfx.count=`$(@(`$got).Count) errors=`$(`$pe.Count) `$(`$pe[0].Exception.GetType().Name) target=`$(`$pe[0].TargetObject)"

# A Windows-only parameter stops the command: terminating even without Stop.
try { New-SelfSignedCertificate -Subject 'CN=x' -KeyAlgorithm ECDSA_nistP256 -KeyLocation tpm 2>`$null; 'term.after=reached' }
catch { "term.caught=`$(`$_.Exception.GetType().Name) `$(`$_.CategoryInfo.Category)" }
"@
	$script:out = @{}
	foreach ($line in ($run.Out -split "`r?`n")) {
		if ($line -match '^([a-z.]+)=(.*)$') { $script:out[$Matches[1]] = $Matches[2] }
	}
}

AfterAll {
	Remove-TestSandbox $script:sandbox
}

Describe 'A failure on one input' {
	It 'is hidden by -ErrorAction SilentlyContinue, sets $? and fills -ErrorVariable with the ErrorRecord' {
		$out['sc.status'] | Should -Be 'False'
		$out['sc.type'] | Should -Be 'System.Management.Automation.ErrorRecord'
		$run.Err | Should -Not -Match 'n\.cer|0000000000'
	}
	It 'is left out of $Error by -ErrorAction Ignore' {
		$out['ignore.count'] | Should -Be '0'
	}
	It 'is non-terminating: try does not catch it, the script goes on, 2>$null hides it' {
		$out['nt.caught'] | Should -Be 'no'
		$run.Out | Should -Match 'nt\.after=reached'
	}
	It 'terminates with -ErrorAction Stop and with $ErrorActionPreference = Stop, as its exception type' {
		$out['stop.caught'] | Should -Be 'ItemNotFound'
		$out['pref.caught'] | Should -Be 'ItemNotFound'
	}
}

Describe 'Error records' {
	It 'name a missing Cert:\ path as the provider does: ItemNotFoundException, ObjectNotFound, PathNotFound, the path' {
		$out['sc.exception'] | Should -Be 'System.Management.Automation.ItemNotFoundException'
		$out['sc.category'] | Should -Be 'ObjectNotFound'
		$out['sc.target'] | Should -Be $missing
		# Windows' id + the cmdlet's class, and nothing after it: a compiled cmdlet (powershell-semantics.md §4.2).
		$out['sc.fqid'] | Should -BeExactly 'PathNotFound,Microsoft.CertificateServices.Commands.ExportCertificateCommand'
		$out['sc.message'] | Should -Not -Match 'Exception calling|PkiShim'
	}
	It 'give a missing folder as DirectoryNotFoundException with the certificate as target (pki-cmdlets.md: Export-PfxCertificate)' {
		$out['dir.fqid'] | Should -BeExactly 'System.IO.DirectoryNotFoundException,Microsoft.CertificateServices.Commands.ExportPfxCertificate'
		$out['dir.target'] | Should -Be 'True'
	}
	It 'give a wrong password as CryptographicException with Windows'' text' {
		$out['pw.message'] | Should -Be 'The specified network password is not correct.'
		$out['pw.category'] | Should -Be 'AuthenticationError'
	}
	It 'give a missing input file as FileNotFoundException' {
		$out['file.fqid'] | Should -BeExactly 'System.IO.FileNotFoundException,Microsoft.CertificateServices.Commands.ImportCertificateCommand'
	}
	It 'keep the other inputs going: Get-PfxCertificate outputs the found file and one error for the missing one' {
		$out['pfx.count'] | Should -Match '^1 errors=1 FileNotFoundException target=\S*none\.cer$'
	}
	It 'stop the command for a failure that is not about one input (a Windows-only parameter)' {
		$out['term.caught'] | Should -Be 'PlatformNotSupportedException NotImplemented'
		$run.Out | Should -Not -Match 'term\.after'
	}
}

Describe 'The error table' {
	BeforeAll {
		# ps/Shared/ErrorTable.cs, compiled into the cmdlets and the Cert: provider: one
		# new("Name", m => new Exception(m), ErrorCategory.X, "ErrorId", terminating...) per code.
		$code = Get-Content -Raw -LiteralPath (Join-Path $script:Src 'ps/Shared/ErrorTable.cs')
		$script:entries = @([regex]::Matches($code,
			'new\("(?<name>[A-Za-z]+)",\s*m\s*=>\s*new\s+(?<exception>[A-Za-z0-9_.]+)\(m\),\s*ErrorCategory\.(?<category>[A-Za-z]+),\s*"(?<id>[^"]+)",\s*(?<terminating>true|false)') |
			ForEach-Object { [pscustomobject]@{ Name = $_.Groups['name'].Value; Exception = $_.Groups['exception'].Value
				Category = $_.Groups['category'].Value; ErrorId = $_.Groups['id'].Value; Terminating = $_.Groups['terminating'].Value } })
		$script:coreNames = @([regex]::Matches((Get-Content -Raw -LiteralPath (Join-Path $script:Src 'crypto/error.c')),
			'\[-PK_(?:OK|ERR_[A-Z_]+)\] = \{ "([A-Za-z]+)",') | ForEach-Object { $_.Groups[1].Value } |
			Where-Object { $_ -ne 'Success' })
	}
	It 'has an entry for every code the core names (crypto/error.c pk_errname), and no other' {
		$coreNames.Count | Should -BeGreaterThan 10
		$entries.Count | Should -BeGreaterThan 10
		foreach ($n in $coreNames) { $entries.Name | Should -Contain $n }
		foreach ($e in $entries) { @($coreNames) + 'Unknown' | Should -Contain $e.Name }
		@($entries.Name | Sort-Object -Unique).Count | Should -Be $entries.Count
	}
	It 'names exception types and categories that exist' {
		# The file's usings: System, System.IO, System.Management.Automation, System.Security.Cryptography.
		foreach ($e in $entries) {
			$type = foreach ($ns in '', 'System.', 'System.IO.', 'System.Management.Automation.', 'System.Security.Cryptography.') {
				if ("$ns$($e.Exception)" -as [type]) { "$ns$($e.Exception)" -as [type]; break }
			}
			$type | Should -Not -BeNullOrEmpty -Because "$($e.Name): $($e.Exception)"
			$type.IsSubclassOf([System.Exception]) | Should -BeTrue -Because $e.Exception
			[enum]::IsDefined([System.Management.Automation.ErrorCategory], $e.Category) | Should -BeTrue -Because $e.Category
			# Where Windows lets a .NET exception through, its id is the exception's type name.
			if ($e.ErrorId -like 'System.*') { $e.ErrorId | Should -BeExactly $type.FullName -Because $e.Name }
		}
	}
}

Describe 'Enums' {
	BeforeAll {
		$script:enums = Invoke-TestPwsh -Sandbox $sandbox -Installed $prefix -Script @'
$ku = 'Microsoft.CertificateServices.Commands.KeyUsage' -as [type]
# Importing happens on first use: run a command first.
$null = Get-Command New-SelfSignedCertificate
$ku = (Get-Command New-SelfSignedCertificate).Parameters['KeyUsage'].ParameterType.GetElementType()
"values=" + ((@([enum]::GetValues($ku)) | ForEach-Object { '{0}={1}' -f $_, [int]$_ }) -join ' ')
"flags=" + [bool]$ku.GetCustomAttributes([System.FlagsAttribute], $false)
function Get-KU($c) { ($c.Extensions | Where-Object { $_.Oid.Value -eq '2.5.29.15' }).KeyUsages }
$c = New-SelfSignedCertificate -Subject CN=n -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation Cert:\CurrentUser\My -KeyUsage 128
"ku128=$(Get-KU $c)"
$c = New-SelfSignedCertificate -Subject CN=b -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation Cert:\CurrentUser\My -KeyUsage ($ku::CertSign -bor $ku::CRLSign)
"kubor=$(Get-KU $c)"
$ks = (Get-Command New-SelfSignedCertificate).Parameters['KeySpec'].ParameterType
"keyspec=$([int]$ks::KeyExchange) $([int]$ks::Signature)"
'@
		$script:eo = @{}
		foreach ($line in ($enums.Out -split "`r?`n")) { if ($line -match '^([a-z0-9]+)=(.*)$') { $script:eo[$Matches[1]] = $Matches[2] } }
	}
	It 'number KeyUsage as X509KeyUsageFlags (pki-cmdlets.md §2.2), not [Flags] (PowerShell/PowerShell#20119)' {
		$eo['values'] | Should -Be ('None=0 EncipherOnly=1 CRLSign=2 CertSign=4 KeyAgreement=8 DataEncipherment=16 ' +
			'KeyEncipherment=32 NonRepudiation=64 DigitalSignature=128 DecipherOnly=32768')
		$eo['flags'] | Should -Be 'False'
		$eo['keyspec'] | Should -Be '1 2'
	}
	It 'take numbers and -bor combinations as Windows does' {
		$eo['ku128'] | Should -Be 'DigitalSignature' -Because $enums.Err
		$eo['kubor'] | Should -Be 'CrlSign, KeyCertSign'
	}
}

Describe 'Help' {
	BeforeAll {
		$script:help = Invoke-TestPwsh -Sandbox $sandbox -Installed $prefix -Script @'
foreach ($name in (Get-Command -Module PkiShim -CommandType Cmdlet).Name) {
	$h = Get-Help $name -Full
	"$name examples=$(@($h.examples.example).Count) uri=$((Get-Command $name).HelpUri)"
}
"alias=" + ((Get-Help Export-Certificate -Parameter FilePath).description.Text -join ' ')
'@
	}
	It 'has at least two examples for every command, written for this project' {
		$lines = @($help.Out -split "`r?`n" | Where-Object { $_ -match ' examples=' })
		$lines.Count | Should -BeGreaterOrEqual 11 -Because $help.Err
		foreach ($l in $lines) { [int]($l -replace '^.* examples=(\d+).*$', '$1') | Should -BeGreaterOrEqual 2 -Because $l }
	}
	It 'opens the Windows reference page with -Online (HelpUri)' {
		$help.Out | Should -Match 'New-SelfSignedCertificate examples=\d+ uri=https://learn\.microsoft\.com/powershell/module/pki/new-selfsignedcertificate'
		$help.Out | Should -Match 'Get-PfxCertificate examples=\d+ uri=https://learn\.microsoft\.com/powershell/module/microsoft\.powershell\.security/get-pfxcertificate'
	}
	It 'shows parameter aliases' {
		$help.Out | Should -Match 'alias=.*Aliases: FullName\.'
	}
}

# The PKI module's types, as compiled cmdlets give them: -Cert is a Certificate and
# -PFXData a PfxData in the syntax, the certificate's type converter takes what
# Windows' takes, and store items have the PKI type data's properties.
Describe 'The PKI types' {
	BeforeAll {
		$script:types = Invoke-TestPwsh -Sandbox $sandbox -Installed $prefix -Script @'
$syntax = (Get-Command Export-PfxCertificate -Syntax | Out-String) -replace '\s+', ' '
"syntax.cert=$($syntax -match '\[-Cert\] <Certificate> ')"
"syntax.pfxdata=$($syntax -match '\[-PFXData\] <PfxData> ')"
$c = New-SelfSignedCertificate -Subject 'CN=types' -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation Cert:\CurrentUser\My
$path = "Cert:\CurrentUser\My\$($c.Thumbprint)"
$item = Get-ChildItem $path
"item.type=$($item.GetType().FullName)"
foreach ($n in 'EnrollmentPolicyEndPoint', 'EnrollmentServerEndPoint', 'PolicyId', 'SendAsTrustedIssuer') {
	"prop.$n=$([bool]$item.PSObject.Properties[$n])"
}
"prop.endpoint=$($item.EnrollmentPolicyEndPoint.GetType().FullName) $($item.EnrollmentServerEndPoint.GetType().FullName)"
"prop.sendas=$($item.SendAsTrustedIssuer.GetType().Name) $($item.SendAsTrustedIssuer)"
function Thumb($file) { [System.Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadCertificateFromFile((Join-Path $PWD $file)).Thumbprint }
# -Cert takes a string path, an X509Certificate2 made by .NET, a store item from Get-Item, and pipeline input.
Export-Certificate -Cert $path -FilePath types-string.cer | Out-Null
"cert.string=$((Thumb types-string.cer) -eq $c.Thumbprint)"
$x509 = [System.Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadCertificate($c.RawData)
"cert.x509.pspath=$([bool]$x509.PSObject.Properties['PSPath'])"
Export-Certificate -Cert $x509 -FilePath types-x509.cer | Out-Null
"cert.x509=$((Thumb types-x509.cer) -eq $c.Thumbprint)"
Export-Certificate -Cert (Get-Item $path) -FilePath types-item.cer | Out-Null
"cert.item=$((Thumb types-item.cer) -eq $c.Thumbprint)"
Get-ChildItem $path | Export-Certificate -FilePath types-pipe.cer | Out-Null
"cert.pipe=$((Thumb types-pipe.cer) -eq $c.Thumbprint)"
'@
		$script:to = @{}
		foreach ($line in ($types.Out -split "`r?`n")) { if ($line -match '^([a-zA-Z0-9.]+)=(.*)$') { $script:to[$Matches[1]] = $Matches[2] } }
	}
	It 'shows -Cert as a Certificate and -PFXData as a PfxData in Get-Command -Syntax' {
		$to['syntax.cert'] | Should -Be 'True' -Because $types.Err
		$to['syntax.pfxdata'] | Should -Be 'True'
	}
	It 'gives store items the PKI type data''s properties: the enrollment end points, PolicyId, SendAsTrustedIssuer $false' {
		$to['item.type'] | Should -Be 'System.Security.Cryptography.X509Certificates.X509Certificate2' -Because $types.Err
		foreach ($n in 'EnrollmentPolicyEndPoint', 'EnrollmentServerEndPoint', 'PolicyId', 'SendAsTrustedIssuer') {
			$to["prop.$n"] | Should -Be 'True' -Because $n
		}
		$to['prop.endpoint'] | Should -Be ('Microsoft.CertificateServices.Commands.EnrollmentEndPointProperty ' +
			'Microsoft.CertificateServices.Commands.EnrollmentEndPointProperty')
		$to['prop.sendas'] | Should -Be 'Boolean False'
	}
	It 'takes as -Cert a string path, an X509Certificate2 from .NET, a store item from Get-Item, and piped store items' {
		$to['cert.string'] | Should -Be 'True' -Because $types.Err
		$to['cert.x509.pspath'] | Should -Be 'False'
		$to['cert.x509'] | Should -Be 'True' -Because $types.Err
		$to['cert.item'] | Should -Be 'True' -Because $types.Err
		$to['cert.pipe'] | Should -Be 'True' -Because $types.Err
	}
}

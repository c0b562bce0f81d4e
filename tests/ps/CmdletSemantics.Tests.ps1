# The commands behave like cmdlets (issue 17), against the real executables
# from a child pwsh as a user runs scripts: per-input failures are
# non-terminating errors that -ErrorAction, $ErrorActionPreference,
# -ErrorVariable, 2>$null and $? control; failures that stop the command are
# terminating; records carry the exception type, category, id and target from
# PkiShim.Errors.psd1.

BeforeAll {
	. (Join-Path $PSScriptRoot 'PkiShimTestLib.ps1')
	$script:sandbox = New-TestSandbox
	$script:missing = 'Cert:\CurrentUser\My\0000000000000000000000000000000000000000'
	# One child pwsh for all cases: each prints "name=value" lines.
	$script:run = Invoke-TestPwsh -Sandbox $sandbox -Script @"
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
		# Windows' id + the cmdlet's class; PowerShell appends the function's name (powershell-semantics.md §4.2).
		$out['sc.fqid'] | Should -BeLike 'PathNotFound,Microsoft.CertificateServices.Commands.ExportCertificateCommand*'
		$out['sc.message'] | Should -Not -Match 'Exception calling|PkiShim'
	}
	It 'give a missing folder as DirectoryNotFoundException with the certificate as target (pki-cmdlets.md: Export-PfxCertificate)' {
		$out['dir.fqid'] | Should -BeLike 'System.IO.DirectoryNotFoundException,Microsoft.CertificateServices.Commands.ExportPfxCertificate*'
		$out['dir.target'] | Should -Be 'True'
	}
	It 'give a wrong password as CryptographicException with Windows'' text' {
		$out['pw.message'] | Should -Be 'The specified network password is not correct.'
		$out['pw.category'] | Should -Be 'AuthenticationError'
	}
	It 'give a missing input file as FileNotFoundException' {
		$out['file.fqid'] | Should -BeLike 'System.IO.FileNotFoundException,Microsoft.CertificateServices.Commands.ImportCertificateCommand*'
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
	It 'has an entry for every code the core names (crypto/error.c pk_errname)' {
		$table = Import-PowerShellDataFile -LiteralPath (Join-Path $script:Src 'ps/PkiShim/PkiShim.Errors.psd1')
		$names = [regex]::Matches((Get-Content -Raw -LiteralPath (Join-Path $script:Src 'crypto/error.c')),
			'\[-PK_(?:OK|ERR_[A-Z_]+)\] = \{ "([A-Za-z]+)",') | ForEach-Object { $_.Groups[1].Value } |
			Where-Object { $_ -ne 'Success' }
		$names.Count | Should -BeGreaterThan 10
		foreach ($n in $names) { $table.Codes.Keys | Should -Contain $n }
		foreach ($e in $table.Codes.Values) {
			($e.Exception -as [type]) | Should -Not -BeNullOrEmpty -Because $e.Exception
			[System.Management.Automation.ErrorCategory]$e.Category | Should -Not -BeNullOrEmpty
		}
	}
}

Describe 'Enums' {
	BeforeAll {
		$script:enums = Invoke-TestPwsh -Sandbox $sandbox -Script @'
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
		$script:help = Invoke-TestPwsh -Sandbox $sandbox -Script @'
foreach ($name in (Get-Command -Module PkiShim -CommandType Function | Where-Object Name -notin 'Get-ChildItem', 'Get-Item', 'Remove-Item', 'Test-Path').Name) {
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

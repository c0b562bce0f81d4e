# The script-corpus.md §3 reference examples that can run on Linux, verbatim
# (only the "PS C:\>" prompt that transcripts put in front is dropped), each in
# its own pwsh with its own store, the module autoloading.

BeforeDiscovery {
	$examples = @(
		@{ Id = '#1'; Subject = 'CN=www.fabrikam.com'; Store = 'LocalMachine\My'; Code = @'
$params = @{
    DnsName = 'www.fabrikam.com', 'www.contoso.com'
    CertStoreLocation = 'Cert:\LocalMachine\My'
}
New-SelfSignedCertificate @params
'@ }
		@{ Id = '#2'; Subject = 'CN=www.fabrikam.com'; Store = 'LocalMachine\My'; Code = @'
PS C:\> New-SelfSignedCertificate -DnsName "www.fabrikam.com", "www.contoso.com" -CertStoreLocation "cert:\LocalMachine\My"
'@ }
		@{ Id = '#4'; Subject = 'E=patti.fuller@contoso.com, CN=Patti Fuller'; Store = 'CurrentUser\My'; Code = @'
PS C:\>New-SelfSignedCertificate -Type Custom -Subject "E=patti.fuller@contoso.com,CN=Patti Fuller" -TextExtension @("2.5.29.37={text}1.3.6.1.5.5.7.3.4","2.5.29.17={text}email=patti.fuller@contoso.com&upn=pattifuller@contoso.com") -KeyAlgorithm RSA -KeyLength 2048 -SmimeCapabilities -CertStoreLocation "Cert:\CurrentUser\My"
'@ }
		@{ Id = '#5'; Subject = 'E=patti.fuller@contoso.com, CN=Patti Fuller'; Store = 'CurrentUser\My'; Code = @'
$params = @{
    Type = 'Custom'
    Subject = 'E=patti.fuller@contoso.com,CN=Patti Fuller'
    TextExtension = @(
        '2.5.29.37={text}1.3.6.1.5.5.7.3.4',
        '2.5.29.17={text}email=patti.fuller@contoso.com&upn=pattifuller@contoso.com' )
    KeyAlgorithm = 'RSA'
    KeyLength = 2048
    SmimeCapabilities = $true
    CertStoreLocation = 'Cert:\CurrentUser\My'
}
New-SelfSignedCertificate @params
'@ }
		@{ Id = '#6'; Subject = 'CN=Patti Fuller, OU=UserAccounts, DC=corp, DC=contoso, DC=com'; Store = 'CurrentUser\My'; Code = @'
$params = @{
    Type = 'Custom'
    Subject = 'CN=Patti Fuller,OU=UserAccounts,DC=corp,DC=contoso,DC=com'
    TextExtension = @(
        '2.5.29.37={text}1.3.6.1.5.5.7.3.2',
        '2.5.29.17={text}upn=pattifuller@contoso.com' )
    KeyUsage = 'DigitalSignature'
    KeyAlgorithm = 'RSA'
    KeyLength = 2048
    CertStoreLocation = 'Cert:\CurrentUser\My'
}
New-SelfSignedCertificate @params
'@ }
		@{ Id = '#9'; Subject = 'CN=Patti Fuller'; Store = 'LocalMachine\MY'; Code = @'
PS C:\>New-SelfSignedCertificate -Type Custom -Container test* -Subject "CN=Patti Fuller" -TextExtension @("2.5.29.37={text}1.3.6.1.5.5.7.3.2","2.5.29.17={text}upn=pattifuller@contoso.com") -KeyUsage DigitalSignature -KeyAlgorithm RSA -KeyLength 2048 -NotAfter (Get-Date).AddMonths(6)
'@ }
		@{ Id = '#10'; Subject = 'CN=localhost'; Store = 'LocalMachine\MY'; Code = @'
PS C:\> New-SelfSignedCertificate -Subject "localhost" -TextExtension @("2.5.29.17={text}DNS=localhost&IPAddress=127.0.0.1&IPAddress=::1")
'@ }
	)
}

BeforeAll {
	. (Join-Path $PSScriptRoot 'PkiShimTestLib.ps1')
	if (-not (Test-CommandBuilt 'New-SelfSignedCertificate')) { throw "New-SelfSignedCertificate is not built in $script:Bin." }
	function Invoke-Example([string]$Code, [string]$After = '') {
		$sandbox = New-TestSandbox
		try {
			$text = ($Code -replace '(?m)^PS [^>]*>\s?', '') + "`n" + $After
			return Invoke-TestPwsh -Sandbox $sandbox -Script $text
		} finally {
			Remove-TestSandbox $sandbox
		}
	}
}

Describe 'Reference example <Id>' -ForEach $examples {
	It 'runs and returns the new certificate from the store it names' {
		$r = Invoke-Example ('$result = & {' + "`n" + $Code + "`n}") @'
$result | Format-Table | Out-String -Width 200
"subject=$($result.Subject)"
"parent=$($result.PSParentPath)"
"key=$($result.HasPrivateKey)"
"type=$($result.GetType().Name)"
'@
		$r.ExitCode | Should -Be 0 -Because $r.Err
		$r.Err | Should -BeNullOrEmpty
		$r.Out | Should -Match ('(?m)subject=' + [regex]::Escape($Subject) + '\r?$')
		$r.Out | Should -Match ('(?i)parent=Microsoft\.PowerShell\.Security\\Certificate::' + [regex]::Escape($Store))
		$r.Out | Should -Match 'key=True'
		$r.Out | Should -Match 'type=X509Certificate2'
		$r.Out | Should -Match '   PSParentPath: Microsoft\.PowerShell\.Security\\Certificate::'
	}
}

Describe 'Reference examples that fail on Windows too' {
	It '#7 (the published splat lacks "=") fails in PowerShell''s parser, before any command runs' {
		$r = Invoke-Example @'
$params = @{
    Type = 'Custom'
    Subject = 'CN=Patti Fuller,OU=UserAccounts,DC=corp,DC=contoso,DC=com'
    TextExtension @(
        '2.5.29.37={text}1.3.6.1.5.5.7.3.2',
        '2.5.29.17={text}upn=pattifuller@contoso.com' )
    KeyUsage = 'DigitalSignature'
    KeyAlgorithm = 'ECDSA_nistP256'
    CurveExport = 'CurveName'
    CertStoreLocation = 'Cert:\CurrentUser\My'
}
New-SelfSignedCertificate @params
'@
		$r.ExitCode | Should -Not -Be 0
		($r.Out + $r.Err) | Should -Match 'ParserError|Missing ''='' operator after key in hash literal'
	}

	It '#8 (the TPM provider) is refused with a clear error' {
		$r = Invoke-Example @'
$params = @{
    Type = 'Custom'
    Provider = 'Microsoft Platform Crypto Provider'
    Subject = 'CN=Patti Fuller'
    TextExtension = @(
        '2.5.29.37={text}1.3.6.1.5.5.7.3.2',
        '2.5.29.17={text}upn=pattifuller@contoso.com' )
    KeyExportPolicy = 'NonExportable'
    KeyUsage = 'DigitalSignature'
    KeyAlgorithm = 'RSA'
    KeyLength = 2048
    CertStoreLocation = 'Cert:\CurrentUser\My'
}
try { New-SelfSignedCertificate @params -ErrorAction Stop; 'created' } catch { "refused: $($_.Exception.Message)" }
'@
		$r.Out | Should -Match 'refused: .*not supported'
	}
}

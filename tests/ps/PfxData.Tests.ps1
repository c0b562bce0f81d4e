# Get-PfxData's PfxData objects, Export-PfxCertificate -PFXData (by argument
# and by pipeline), Test-Certificate's [bool] and warnings, and the Azure
# check's objects, in child pwsh processes as a user's script runs them.

BeforeAll {
	. (Join-Path $PSScriptRoot 'PkiShimTestLib.ps1')
	foreach ($n in 'New-SelfSignedCertificate', 'Export-PfxCertificate', 'Get-PfxData', 'Test-Certificate', 'Test-ServiceCertificate') {
		if (-not (Test-CommandBuilt $n)) { throw "$n is not built in $script:Bin." }
	}
	$script:sandbox = New-TestSandbox
	# One protected PFX every test reads: made by pkishim as the acceptance script makes it.
	$r = Invoke-TestPwsh -Sandbox $sandbox -Script @'
$pw = ConvertTo-SecureString -String 'old-pw' -Force -AsPlainText
$cert = New-SelfSignedCertificate -DnsName www.contoso.com -CertStoreLocation Cert:\LocalMachine\My -KeyLength 2048 -KeySpec KeyExchange
$null = Export-PfxCertificate -Cert $cert -FilePath ./old.pfx -Password $pw
$cert.Thumbprint
'@
	if ($r.ExitCode -ne 0) { throw "setup failed: $($r.Err)" }
	$script:thumb = $r.Out.Trim()
	$script:prelude = @'
$ErrorActionPreference = 'Stop'
$old = ConvertTo-SecureString -String 'old-pw' -Force -AsPlainText
$new = ConvertTo-SecureString -String 'new-pw' -Force -AsPlainText
'@ + "`n"
}

AfterAll {
	Remove-TestSandbox $script:sandbox
}

Describe 'Get-PfxData' {
	It 'returns a PfxData with the certificate, its key, and the protection' {
		$r = Invoke-TestPwsh -Sandbox $sandbox -Script ($prelude + @'
$d = Get-PfxData -FilePath .\old.pfx -Password $old
"type=$($d.PSObject.TypeNames[0])"
"protected=$($d.PasswordProtected) $($d.PasswordProtected.GetType().Name)"
"protectedTo=$(@($d.ProtectedTo).Count)"
"ee=$(@($d.EndEntityCertificates).Count) $($d.EndEntityCertificates[0].GetType().FullName)"
"thumb=$($d.EndEntityCertificates[0].Thumbprint) key=$($d.EndEntityCertificates[0].HasPrivateKey)"
"other=$(@($d.OtherCertificates).Count)"
'@)
		$r.ExitCode | Should -Be 0 -Because $r.Err
		$r.Out | Should -Match 'type=Microsoft\.CertificateServices\.Commands\.PfxData'
		$r.Out | Should -Match 'protected=True Boolean'
		$r.Out | Should -Match 'protectedTo=0'
		$r.Out | Should -Match 'ee=1 System\.Security\.Cryptography\.X509Certificates\.X509Certificate2'
		$r.Out | Should -Match "thumb=$thumb key=True"
		$r.Out | Should -Match 'other=0'
	}

	It 'refuses a wrong password with Windows'' text as an error record' {
		$r = Invoke-TestPwsh -Sandbox $sandbox -Script ($prelude + @'
try { Get-PfxData .\old.pfx -Password $new; 'no error' } catch { "caught: $($_.Exception.Message)" }
'@)
		$r.Out | Should -Match 'caught: The specified network password is not correct\.'
	}

	It 'binds -FilePath from a FileInfo by property name (alias FullName)' {
		$r = Invoke-TestPwsh -Sandbox $sandbox -Script ($prelude + @'
(Get-Item .\old.pfx | Get-PfxData -Password $old).EndEntityCertificates[0].Thumbprint
'@)
		$r.ExitCode | Should -Be 0 -Because $r.Err
		$r.Out.Trim() | Should -Be $thumb
	}
}

Describe 'Export-PfxCertificate -PFXData' {
	It 're-encrypts: the new file opens with the new password only (<How>)' -ForEach @(
		@{ How = 'argument'; Line = 'Export-PfxCertificate -PFXData $d -FilePath ./new.pfx -Password $new -CryptoAlgorithmOption AES256_SHA256' }
		@{ How = 'pipeline'; Line = '$d | Export-PfxCertificate -FilePath ./new.pfx -Password $new -Force' }
		@{ How = 'positional'; Line = 'Export-PfxCertificate $d ./new.pfx -Password $new -Force' }
	) {
		$r = Invoke-TestPwsh -Sandbox $sandbox -Script ($prelude + @"
`$d = Get-PfxData -FilePath .\old.pfx -Password `$old
`$f = $Line
"file=`$(`$f.Name)"
`$flags = [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::Exportable
`$c = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new((Resolve-Path ./new.pfx).Path, 'new-pw', `$flags)
"thumb=`$(`$c.Thumbprint) key=`$(`$c.HasPrivateKey)"
try { `$null = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new((Resolve-Path ./new.pfx).Path, 'old-pw'); 'old opens' } catch { 'old refused' }
"@)
		$r.ExitCode | Should -Be 0 -Because $r.Err
		$r.Out | Should -Match 'file=new\.pfx'
		$r.Out | Should -Match "thumb=$thumb key=True"
		$r.Out | Should -Match 'old refused'
	}

	It 'pipes Get-PfxData straight into Export-PfxCertificate' {
		$r = Invoke-TestPwsh -Sandbox $sandbox -Script ($prelude + @'
Get-PfxData -FilePath .\old.pfx -Password $old | Export-PfxCertificate -FilePath ./piped.pfx -Password $new | ForEach-Object Name
'@)
		$r.ExitCode | Should -Be 0 -Because $r.Err
		$r.Out.Trim() | Should -Be 'piped.pfx'
	}

	It 'still takes a certificate by pipeline and by position' {
		$r = Invoke-TestPwsh -Sandbox $sandbox -Script ($prelude + @"
Import-Module PkiShim   # Get-Item is built in: pwsh does not autoload for it (README)
Get-Item Cert:\LocalMachine\My\$thumb | Export-PfxCertificate -FilePath ./c1.pfx -Password `$new | ForEach-Object Name
Export-PfxCertificate Cert:\LocalMachine\My\$thumb ./c2.pfx -Password `$new | ForEach-Object Name
"@)
		$r.ExitCode | Should -Be 0 -Because $r.Err
		$r.Out | Should -Match 'c1\.pfx'
		$r.Out | Should -Match 'c2\.pfx'
	}
}

Describe 'Test-Certificate' {
	It 'returns [bool] and writes Windows'' warning and error as records' {
		$r = Invoke-TestPwsh -Sandbox $sandbox -Script @"
`$r = Test-Certificate -Cert Cert:\LocalMachine\My\$thumb -WarningVariable w -ErrorVariable e -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
"value=`$r `$(`$r.GetType().Name)"
"warnings=`$(`$w.Count) `$(`$w[0].Message -replace '\s+', ' ')"
"errors=`$(`$e.Count) `$(`$e[0].Exception.Message)"
`$ok = Test-Certificate -Cert Cert:\LocalMachine\My\$thumb -AllowUntrustedRoot -Policy SSL -DNSName www.contoso.com -WarningAction SilentlyContinue
"allowed=`$ok `$(`$ok.GetType().Name)"
"@
		$r.ExitCode | Should -Be 0 -Because $r.Err
		$r.Out | Should -Match 'value=False Boolean'
		$r.Out | Should -Match 'warnings=1 Chain status: CERT_TRUST_IS_UNTRUSTED_ROOT'
		$r.Out | Should -Match 'errors=1 A certificate chain processed, but terminated in a root certificate which is not trusted by the trust provider\. 0x800b0109 \(-2146762487 CERT_E_UNTRUSTEDROOT\)'
		$r.Out | Should -Match 'allowed=True Boolean'
	}

	It 'takes certificates from the pipeline, one [bool] each' {
		$r = Invoke-TestPwsh -Sandbox $sandbox -Script @'
Import-Module PkiShim   # Get-ChildItem is built in: pwsh does not autoload for it (README)
$all = @(Get-ChildItem Cert:\LocalMachine\My | Test-Certificate -AllowUntrustedRoot -WarningAction SilentlyContinue)
"count=$($all.Count) $(($all | ForEach-Object { $_.GetType().Name }) -join ',')"
'@
		$r.ExitCode | Should -Be 0 -Because $r.Err
		$r.Out | Should -Match 'count=1 Boolean'
	}
}

Describe 'Test-ServiceCertificate -PfxPath / -Cert (the Azure check)' {
	It 'returns one object per rule with status, reason and fix' {
		$r = Invoke-TestPwsh -Sandbox $sandbox -Script ($prelude + @'
$v = Test-ServiceCertificate -PfxPath .\old.pfx -Password $old -Domain www.contoso.com
"count=$(@($v).Count)"
foreach ($x in $v) { "$($x.Rule)=$($x.Status)" }
"thumb=$(@($v)[0].Thumbprint)"
'@)
		$r.ExitCode | Should -Be 0 -Because $r.Err
		$r.Out | Should -Match 'count=8'
		foreach ($rule in 'X509v3', 'PrivateKey', 'KeyExchange', 'KeyLength', 'PfxEncryption', 'DomainName', 'Validity') {
			$r.Out | Should -Match "$rule=Pass"
		}
		$r.Out | Should -Match 'Configuration=Skipped'
		$r.Out | Should -Match "thumb=$thumb"
	}

	It 'fails an AES256-SHA256 export with the docs'' sentence and a terminating error' {
		$r = Invoke-TestPwsh -Sandbox $sandbox -Script ($prelude + @'
$d = Get-PfxData -FilePath .\old.pfx -Password $old
$null = Export-PfxCertificate -PFXData $d -FilePath ./aes.pfx -Password $new -CryptoAlgorithmOption AES256_SHA256
try {
	Test-ServiceCertificate -PfxPath ./aes.pfx -Password $new | Where-Object Status -eq Fail | ForEach-Object { "$($_.Rule): $($_.Reason)" }
} catch { "caught: $($_.Exception.Message)" }
'@)
		$r.Out | Should -Match 'PfxEncryption: Azure Cloud Services does not accept AES256-SHA256 encrypted certificate\.'
		$r.Out | Should -Match 'caught: 1 Azure rule failed\.'
	}
}

# The acceptance script (the Azure Cloud Services steps, #29) runs unchanged
# with pwsh -NonInteractive -File, the module autoloading from PSModulePath,
# and makes my-cert-file.pfx and my-cert-file.cer in the current directory,
# checked as the export issue checks them (openssl and .NET).

BeforeAll {
	. (Join-Path $PSScriptRoot 'PkiShimTestLib.ps1')
	foreach ($n in 'New-SelfSignedCertificate', 'Export-PfxCertificate', 'Export-Certificate') {
		if (-not (Test-CommandBuilt $n)) { throw "$n is not built in $script:Bin." }
	}
	$script:scriptFile = Join-Path $script:Src 'ps/cloud-services-certificates.ps1'
	$script:sandbox = New-TestSandbox
	$script:run = Invoke-TestPwsh -Sandbox $sandbox -Script '' -ScriptFile $scriptFile
	$script:pfx = Join-Path $sandbox.Work 'my-cert-file.pfx'
	$script:cer = Join-Path $sandbox.Work 'my-cert-file.cer'
}

AfterAll {
	Remove-TestSandbox $script:sandbox
}

Describe 'cloud-services-certificates.ps1' {
	It 'is the published script, unchanged, with no Import-Module line' {
		(Get-Content -Raw -LiteralPath $scriptFile) |
			Should -BeExactly (Get-Content -Raw -LiteralPath (Join-Path $script:Shared 'scripts/cloud-services-certificates.ps1'))
		(Get-Content -Raw -LiteralPath $scriptFile) | Should -Not -Match 'Import-Module'
	}

	It 'runs without an error' {
		$run.ExitCode | Should -Be 0 -Because $run.Err
		$run.Err | Should -BeNullOrEmpty
	}

	It 'writes both files in the current directory' {
		[System.IO.File]::Exists($pfx) | Should -BeTrue
		[System.IO.File]::Exists($cer) | Should -BeTrue
	}

	It 'shows the two exported files as Windows does (FileInfo objects)' {
		$run.Out | Should -Match 'my-cert-file\.pfx'
		$run.Out | Should -Match 'my-cert-file\.cer'
	}

	It 'makes a PFX with TripleDES-SHA1 bags, a SHA-1 MAC and the KeyExchange key usage' {
		$info = Invoke-OpenSsl @('pkcs12', '-info', '-in', $pfx, '-passin', 'pass:your-password', '-noenc')
		$info.ExitCode | Should -Be 0 -Because $info.Out
		$info.Out | Should -Match 'MAC: sha1'
		$info.Out | Should -Match 'Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC'
		$info.Out | Should -Match 'PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC'
		$info.Out | Should -Match 'X509v3 Key Usage: 10'
		$info.Out | Should -Match 'subject=CN\s?=\s?yourdomain\.cloudapp\.net'
	}

	It 'makes a .cer that is the DER certificate whose SHA-1 is the PFX certificate''s thumbprint' {
		$fromPfx = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($pfx, 'your-password')
		$fromPfx.HasPrivateKey | Should -BeTrue
		$fromPfx.Subject | Should -Be 'CN=yourdomain.cloudapp.net'
		$bytes = [System.IO.File]::ReadAllBytes($cer)
		$bytes[0] | Should -Be 0x30
		$sha1 = [System.Convert]::ToHexString([System.Security.Cryptography.SHA1]::HashData($bytes))
		$sha1 | Should -Be $fromPfx.Thumbprint
		$der = Invoke-OpenSsl @('x509', '-inform', 'DER', '-in', $cer, '-noout', '-fingerprint', '-sha1')
		($der.Out -replace '^.*=', '' -replace ':', '') | Should -Be $fromPfx.Thumbprint
	}

	It 'put the certificate in the LocalMachine\My store it names' {
		$thumb = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($cer).Thumbprint
		$r = Invoke-TestPwsh -Sandbox $sandbox -Script @"
Import-Module PkiShim
(Get-Item 'Cert:\LocalMachine\My\$thumb').Subject
"@
		$r.Out.Trim() | Should -Be 'CN=yourdomain.cloudapp.net' -Because $r.Err
	}
}

Describe 'Cert:\CurrentUser\My without PKISHIM_STORE_ROOT' {
	BeforeAll {
		$script:userBox = New-TestSandbox
		$script:r = Invoke-TestPwsh -Sandbox $userBox -NoStoreRoot -Script @'
$c = New-SelfSignedCertificate -DnsName dotnet.example -CertStoreLocation Cert:\CurrentUser\My
$store = [System.Security.Cryptography.X509Certificates.X509Store]::new('My', 'CurrentUser')
$store.Open('ReadOnly')
$found = $store.Certificates | Where-Object Thumbprint -eq $c.Thumbprint
"dotnet=$($null -ne $found) key=$($found.HasPrivateKey)"
"file=$(Test-Path "$HOME/.dotnet/corefx/cryptography/x509stores/my/$($c.Thumbprint).pfx")"
"listed=$(@(Get-ChildItem Cert:\CurrentUser\My | Where-Object Subject -eq 'CN=dotnet.example').Count)"
"test=$(Test-Path "Cert:\CurrentUser\My\$($c.Thumbprint)")"
Remove-Item "Cert:\CurrentUser\My\$($c.Thumbprint)"
"after=$(Test-Path "Cert:\CurrentUser\My\$($c.Thumbprint)")"
$rsa = [System.Security.Cryptography.RSA]::Create(2048)
$req = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=added-by-dotnet', $rsa,
    [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
$made = $req.CreateSelfSigned([DateTimeOffset]::Now.AddMinutes(-5), [DateTimeOffset]::Now.AddDays(1))
$rw = [System.Security.Cryptography.X509Certificates.X509Store]::new('My', 'CurrentUser')
$rw.Open('ReadWrite'); $rw.Add($made); $rw.Close()
$seen = Get-StoreCertificate -Path "Cert:\CurrentUser\My\$($made.Thumbprint)" -Item
"dotnetadded=$($seen.Thumbprint -eq $made.Thumbprint) dotnetkey=$($seen.HasPrivateKey)"
'@
	}
	AfterAll { Remove-TestSandbox $script:userBox }

	It 'lands in .NET''s own store, with its key' {
		$r.Out | Should -Match 'dotnet=True key=True' -Because $r.Err
		$r.Out | Should -Match 'file=True'
	}

	It 'finds, with its key, a certificate .NET added to the same store' {
		$r.Out | Should -Match 'dotnetadded=True dotnetkey=True' -Because $r.Err
	}

	It 'is listed by Get-ChildItem and found by Test-Path, then removed by Remove-Item' {
		$r.Out | Should -Match 'listed=1'
		$r.Out | Should -Match 'test=True'
		$r.Out | Should -Match 'after=False'
	}
}

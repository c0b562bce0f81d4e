# $null for the certificate-typed parameters (issue 16): a parameter that is not
# mandatory binds $null as if it were absent, as PowerShell binds it for the
# Windows cmdlets; a mandatory one refuses it with PowerShell's own text. The
# table covers every certificate- or object-typed parameter of every command.

BeforeAll {
	. (Join-Path $PSScriptRoot 'PkiShimTestLib.ps1')
	$script:sandbox = New-TestSandbox
}

AfterAll {
	Remove-TestSandbox $script:sandbox
}

Describe 'binding $null' {
	It 'covers every certificate-typed parameter of the built commands' {
		$found = foreach ($name in (Get-TestCommandNames)) {
			foreach ($p in (Get-TestTable $name).parameters) { if ($p.kind -eq 'cert') { "$name -$($p.name)" } }
		}
		@($found | Sort-Object) | Should -Be @('Export-Certificate -Cert', 'Export-PfxCertificate -Cert',
			'New-SelfSignedCertificate -CloneCert', 'New-SelfSignedCertificate -Signer', 'Set-ServiceCertificate -Cert',
			'Test-Certificate -Cert', 'Test-ServiceCertificate -Cert')
	}

	It '<Line> <Outcome>' -ForEach @(
		@{ Line = 'New-SelfSignedCertificate -DnsName n.example -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation Cert:\CurrentUser\My -Signer $null'
		   Outcome = 'makes a self-signed certificate'; Want = 'CN=n.example|CN=n.example' }
		@{ Line = 'New-SelfSignedCertificate -DnsName n.example -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation Cert:\CurrentUser\My -CloneCert $null'
		   Outcome = 'makes a certificate from the other parameters'; Want = 'CN=n.example|CN=n.example' }
		@{ Line = '$s = $null; New-SelfSignedCertificate -DnsName n.example -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation Cert:\CurrentUser\My -Signer $s -CloneCert $s'
		   Outcome = 'treats a variable that holds $null the same'; Want = 'CN=n.example|CN=n.example' }
		@{ Line = 'Export-Certificate -Cert $null -FilePath x.cer'
		   Outcome = 'refuses $null for a mandatory -Cert'; Want = "Cannot bind argument to parameter 'Cert' because it is null." }
		@{ Line = 'Export-PfxCertificate -Cert $null -FilePath x.pfx -Password (ConvertTo-SecureString x -AsPlainText -Force)'
		   Outcome = 'refuses $null for a mandatory -Cert'; Want = "Cannot bind argument to parameter 'Cert' because it is null." }
		@{ Line = 'Set-ServiceCertificate -Path x.cscfg -Name SSL -Cert $null'
		   Outcome = 'refuses $null for a mandatory -Cert'; Want = "Cannot bind argument to parameter 'Cert' because it is null." }
		@{ Line = 'Test-Certificate -Cert $null'
		   Outcome = 'refuses $null for a mandatory -Cert'; Want = "Cannot bind argument to parameter 'Cert' because it is null." }
		@{ Line = 'Test-ServiceCertificate -Cert $null -Domain www.contoso.com'
		   Outcome = 'refuses $null for a mandatory -Cert'; Want = "Cannot bind argument to parameter 'Cert' because it is null." }
	) {
		$script = "try { `$c = & { $Line }; '{0}|{1}' -f `$c.Subject, `$c.Issuer } catch { `$_.Exception.Message }"
		$run = Invoke-TestPwsh -Sandbox $sandbox -Script $script
		$run.Out.Trim() | Should -BeExactly $Want -Because $run.Err
	}
}

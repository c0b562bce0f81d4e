# A rotation is one pipeline: the new certificate binds to
# Set-ServiceCertificate by value (-Cert) or by its Thumbprint property.

BeforeAll {
	. (Join-Path $PSScriptRoot 'PkiShimTestLib.ps1')
	foreach ($n in 'New-SelfSignedCertificate', 'Set-ServiceCertificate', 'Get-ServiceCertificate') {
		if (-not (Test-CommandBuilt $n)) { throw "$n is not built in $script:Bin." }
	}
	$script:sample = Join-Path $script:Shared 'samples/cscfg/Azure-Samples__cloud-services-extended-support__ServiceConfiguration.Cloud.cscfg'
	$script:sandbox = New-TestSandbox
}

AfterAll {
	Remove-TestSandbox $script:sandbox
}

Describe 'New-SelfSignedCertificate | Set-ServiceCertificate' {
	BeforeEach {
		# The bytes, not the file: shared/ is read-only, and Copy-Item keeps the mode.
		[System.IO.File]::WriteAllBytes((Join-Path $sandbox.Work 'ServiceConfiguration.Cloud.cscfg'),
			[System.IO.File]::ReadAllBytes($sample))
	}

	It 'writes the new certificate''s thumbprint into every matching .cscfg' {
		$r = Invoke-TestPwsh -Sandbox $sandbox -Script @'
$cert = New-SelfSignedCertificate -DnsName rotate.example -CertStoreLocation Cert:\CurrentUser\My |
    Tee-Object -Variable made | Set-ServiceCertificate -Path *.cscfg -Name cert
"made=$($made.Thumbprint)"
"now=$((Get-ServiceCertificate -Path .\ServiceConfiguration.Cloud.cscfg -Name cert).Thumbprint)"
'@
		$r.ExitCode | Should -Be 0 -Because $r.Err
		$made = [regex]::Match($r.Out, 'made=([0-9A-F]{40})').Groups[1].Value
		$made | Should -Not -BeNullOrEmpty -Because ($r.Out + $r.Err)
		$r.Out | Should -Match "now=$made"
		(Get-Content -Raw (Join-Path $sandbox.Work 'ServiceConfiguration.Cloud.cscfg')) | Should -Match "thumbprint=`"$made`""
	}

	It 'binds an object''s Thumbprint property by name' {
		$r = Invoke-TestPwsh -Sandbox $sandbox -Script @"
[pscustomobject]@{ Thumbprint = '$('ab' * 20)' } | Set-ServiceCertificate -Path *.cscfg -Name cert
"@
		$r.ExitCode | Should -Be 0 -Because $r.Err
		(Get-Content -Raw (Join-Path $sandbox.Work 'ServiceConfiguration.Cloud.cscfg')) | Should -Match "thumbprint=`"$('AB' * 20)`""
	}

	It 'changes nothing with -WhatIf' {
		$before = Get-Content -Raw -LiteralPath $sample
		$r = Invoke-TestPwsh -Sandbox $sandbox -Script @"
Set-ServiceCertificate -Path *.cscfg -Name cert -Thumbprint '$('CD' * 20)' -WhatIf
"@
		$r.ExitCode | Should -Be 0 -Because $r.Err
		$r.Out | Should -Match 'What if:'
		Get-Content -Raw (Join-Path $sandbox.Work 'ServiceConfiguration.Cloud.cscfg') | Should -BeExactly $before
	}
}

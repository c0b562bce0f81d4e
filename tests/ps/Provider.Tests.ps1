# The Cert: drive (issue 11) as users run it: an install into a fresh prefix,
# only what the install puts on PATH on PATH, and scripts started with
# pwsh -NoProfile -File that never import anything. HOME is the sandbox's, so
# CurrentUser is .NET's own directory store there and both sides share it;
# PKISHIM_STORE_ROOT is unset except where a test sets it.

BeforeAll {
	. (Join-Path $PSScriptRoot 'PkiShimTestLib.ps1')
	$script:sandbox = New-TestSandbox
	$script:prefix = Install-TestPrefix $sandbox

	function Invoke-CertScript([string] $Script, [hashtable] $Environment = @{}) {
		$run = Invoke-TestPwsh -Sandbox $sandbox -Installed $prefix -NoStoreRoot -Script $Script -Environment $Environment
		return $run
	}
	# Two certificates in CurrentUser\My, made the way a script makes them.
	$made = Invoke-CertScript @'
foreach ($n in 'one.example', 'two.example') {
	(New-SelfSignedCertificate -DnsName $n -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation Cert:\CurrentUser\My).Thumbprint
}
'@
	if ($made.ExitCode -ne 0) { throw "setup failed: $($made.Err)" }
	$script:thumbs = @($made.Out -split "`n" | Where-Object { $_ -match '^[0-9A-F]{40}$' })
}

AfterAll {
	Remove-TestSandbox $script:sandbox
}

Describe 'Cert: from a script''s first line' {
	It 'lists a store when Get-ChildItem Cert:\CurrentUser\My is the first line' {
		$run = Invoke-CertScript "Get-ChildItem -Path Cert:\CurrentUser\My | ForEach-Object Thumbprint"
		$run.ExitCode | Should -Be 0 -Because $run.Err
		@($run.Out -split "`n" | Where-Object { $_ } | Sort-Object) | Should -Be @($thumbs | Sort-Object)
	}

	It 'gives items the provider''s PSPath, as Windows does' {
		$run = Invoke-CertScript "(Get-ChildItem Cert:\CurrentUser\My\$($thumbs[0])).PSPath"
		$run.Out.Trim() | Should -BeExactly "Microsoft.PowerShell.Security\Certificate::CurrentUser\My\$($thumbs[0])"
	}

	It 'is listed by Get-PSDrive, and the built-in commands stay built in' {
		$run = Invoke-CertScript @'
(Get-PSDrive -Name Cert).Provider.Name
(Get-Command Get-ChildItem).Source
(Get-Command Get-ChildItem).CommandType
'@
		$run.Out -split "`n" | Select-Object -First 3 | Should -Be @('Certificate', 'Microsoft.PowerShell.Management', 'Cmdlet')
	}

	It 'lists the locations at Cert:\ and the stores of a location as X509Store objects' {
		$run = Invoke-CertScript @'
(Get-ChildItem Cert:\ | ForEach-Object Location) -join ','
$my = Get-ChildItem Cert:\CurrentUser | Where-Object Name -eq 'My'
$my.PSObject.TypeNames[0]
'@
		$lines = $run.Out -split "`n"
		$lines[0] | Should -Be 'CurrentUser,LocalMachine'
		$lines[1] | Should -Be 'System.Security.Cryptography.X509Certificates.X509Store'
	}
}

Describe 'paths inside Cert:' {
	It 'supports Set-Location and relative paths' {
		$run = Invoke-CertScript @"
Set-Location Cert:\CurrentUser\My
(Get-ChildItem | Measure-Object).Count
(Get-Item .\$($thumbs[1])).Thumbprint
Test-Path .\$($thumbs[0])
"@
		$run.ExitCode | Should -Be 0 -Because $run.Err
		$run.Out -split "`n" | Select-Object -First 3 | Should -Be @('2', $thumbs[1], 'True')
	}

	It 'makes and imports into the current location when -CertStoreLocation is left out, as Windows'' cmdlets do' {
		$run = Invoke-CertScript @'
$ErrorActionPreference = 'Stop'
Set-Location Cert:\CurrentUser\My
$c = New-SelfSignedCertificate -DnsName here.example
$c.PSParentPath
Set-Location Cert:\LocalMachine
(New-SelfSignedCertificate -DnsName there.example).PSParentPath
$c | Export-Certificate -FilePath $HOME/here.cer | Out-Null
Set-Location Cert:\LocalMachine\Root
(Import-Certificate -FilePath $HOME/here.cer).PSParentPath
$p = ConvertTo-SecureString -String pw -Force -AsPlainText
$c | Export-PfxCertificate -FilePath $HOME/here.pfx -Password $p | Out-Null
Set-Location Cert:\CurrentUser\TrustedPeople
(Import-PfxCertificate -FilePath $HOME/here.pfx -Password $p).PSParentPath
try { New-SelfSignedCertificate -DnsName nowhere.example } catch { $_.FullyQualifiedErrorId }
Set-Location $HOME
(New-SelfSignedCertificate -DnsName default.example).PSParentPath
'@ -Environment @{ PKISHIM_STORE_ROOT = (Join-Path $sandbox.Work 'here-stores') }
		$run.ExitCode | Should -Be 0 -Because $run.Err
		$prefix = 'Microsoft.PowerShell.Security\Certificate::'
		@($run.Out -split "`n" | Where-Object { $_ }) | Should -Be @("${prefix}CurrentUser\My", "${prefix}LocalMachine\My",
			"${prefix}LocalMachine\Root", "${prefix}CurrentUser\TrustedPeople",
			'System.ArgumentException,Microsoft.CertificateServices.Commands.NewSelfSignedCertificateCommand', "${prefix}LocalMachine\MY")
	}

	It 'joins, splits and resolves Cert: paths' {
		$run = Invoke-CertScript @"
`$p = Join-Path 'cert:\CurrentUser\My\' '$($thumbs[0])'
Test-Path `$p
Split-Path `$p -Leaf
(Resolve-Path `$p).ProviderPath
Test-Path Cert:\CurrentUser\My -PathType Container
Test-Path "Cert:\CurrentUser\My\$('0' * 40)"
"@
		$run.ExitCode | Should -Be 0 -Because $run.Err
		$lines = $run.Out -split "`n"
		$lines[0] | Should -Be 'True'
		$lines[1] | Should -Be $thumbs[0]
		$lines[2] | Should -Match ([regex]::Escape($thumbs[0]) + '$')
		$lines[3] | Should -Be 'True'
		$lines[4] | Should -Be 'False'
	}

	It 'filters with the provider''s dynamic parameters' {
		$run = Invoke-CertScript "(Get-ChildItem Cert:\CurrentUser\My -DnsName 'two.*').Thumbprint; (Get-ChildItem Cert:\ -Recurse -SSLServerAuthentication | Measure-Object).Count -ge 2"
		$run.ExitCode | Should -Be 0 -Because $run.Err
		($run.Out -split "`n")[0] | Should -Be $thumbs[1]
		($run.Out -split "`n")[1] | Should -Be 'True'
	}
}

Describe 'the certificate properties Windows'' type data adds' {
	It 'lists DNS names as DnsNameRepresentation (Punycode and Unicode) and EKUs as EnhancedKeyUsageRepresentation' {
		$run = Invoke-CertScript @'
$c = New-SelfSignedCertificate -DnsName 'www.fabrikam.com', 'xn--bcher-kva.example' -CertStoreLocation Cert:\CurrentUser\My
$item = Get-Item "Cert:\CurrentUser\My\$($c.Thumbprint)"
foreach ($o in $c, $item) {
	$o.DnsNameList[0].GetType().FullName
	$o.DnsNameList.Unicode -join ','
	$o.DnsNameList.Punycode -join ','
	"$($o.DnsNameList -contains 'www.fabrikam.com') $($o.DnsNameList[1])"
	"$($o.DnsNameList[0].Equals([Microsoft.PowerShell.Commands.DnsNameRepresentation]::new('WWW.Fabrikam.com'))) $($o.EnhancedKeyUsageList[0].Equals([Microsoft.PowerShell.Commands.EnhancedKeyUsageRepresentation]::new('', '1.3.6.1.5.5.7.3.2')))"
	$o.EnhancedKeyUsageList[0].GetType().FullName
	($o.EnhancedKeyUsageList | ForEach-Object { "$_" }) -join ';'
}
'@ -Environment @{ PKISHIM_STORE_ROOT = (Join-Path $sandbox.Work 'dns-stores') }
		$run.ExitCode | Should -Be 0 -Because $run.Err
		$one = @('Microsoft.PowerShell.Commands.DnsNameRepresentation',
			'www.fabrikam.com,bücher.example', 'www.fabrikam.com,xn--bcher-kva.example',
			'True bücher.example (xn--bcher-kva.example)', 'True True',
			'Microsoft.PowerShell.Commands.EnhancedKeyUsageRepresentation',
			'Client Authentication (1.3.6.1.5.5.7.3.2);Server Authentication (1.3.6.1.5.5.7.3.1)')
		@($run.Out -split "`n" | Where-Object { $_ }) | Should -Be ($one + $one)
	}
}

Describe 'friendly names' {
	# .NET on Unix reads no friendly name from a PFX and refuses to set one; Windows
	# shows -FriendlyName on the cmdlet's object and on the store's item alike.
	It 'shows -FriendlyName on the new certificate, its Cert: item, an imported copy and Get-PfxData''s' {
		$run = Invoke-CertScript @'
$c = New-SelfSignedCertificate -Subject 'CN=named' -FriendlyName 'My App' -CertStoreLocation Cert:\CurrentUser\My
$c.FriendlyName
(Get-Item "Cert:\CurrentUser\My\$($c.Thumbprint)").FriendlyName
(Get-ChildItem Cert:\CurrentUser\My | Where-Object FriendlyName -eq 'My App').Thumbprint -eq $c.Thumbprint
$p = ConvertTo-SecureString -String pw -Force -AsPlainText
$c | Export-PfxCertificate -FilePath ./named.pfx -Password $p | Out-Null
(Import-PfxCertificate -FilePath ./named.pfx -CertStoreLocation Cert:\LocalMachine\My -Password $p).FriendlyName
(Get-PfxData -FilePath ./named.pfx -Password $p).EndEntityCertificates[0].FriendlyName
"[$((New-SelfSignedCertificate -Subject 'CN=unnamed' -CertStoreLocation Cert:\CurrentUser\My).FriendlyName)]"
'@ -Environment @{ PKISHIM_STORE_ROOT = (Join-Path $sandbox.Work 'named-stores') }
		$run.ExitCode | Should -Be 0 -Because $run.Err
		@($run.Out -split "`n" | Where-Object { $_ }) | Should -Be @('My App', 'My App', 'True', 'My App', 'My App', '[]')
	}
}

Describe 'stores as X509Store objects' {
	It 'opens Get-Item Cert:\CurrentUser\My ReadWrite and removes a certificate with it' {
		$made = Invoke-CertScript "(New-SelfSignedCertificate -DnsName gone.example -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation Cert:\CurrentUser\My).Thumbprint"
		$gone = $made.Out.Trim()
		$run = Invoke-CertScript @"
`$store = Get-Item Cert:\CurrentUser\My
`$store.Open('ReadWrite')
`$cert = `$store.Certificates | Where-Object Thumbprint -eq '$gone'
`$store.Remove(`$cert)
`$store.Close()
Test-Path Cert:\CurrentUser\My\$gone
"@
		$run.ExitCode | Should -Be 0 -Because $run.Err
		$run.Out.Trim() | Should -Be 'False'
	}

	It 'sees what .NET''s X509Store adds, and .NET sees what pkishim adds' {
		$run = Invoke-CertScript @"
`$key = [System.Security.Cryptography.ECDsa]::Create()
`$request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=dotnet.example', `$key, 'SHA256')
`$cert = `$request.CreateSelfSigned([datetimeoffset]::Now, [datetimeoffset]::Now.AddDays(1))
`$store = [System.Security.Cryptography.X509Certificates.X509Store]::new('My', 'CurrentUser')
`$store.Open('ReadWrite'); `$store.Add(`$cert); `$store.Close()
Test-Path "Cert:\CurrentUser\My\`$(`$cert.Thumbprint)"
`$store.Open('ReadOnly')
[bool](`$store.Certificates | Where-Object Thumbprint -eq '$($thumbs[0])')
"@
		$run.ExitCode | Should -Be 0 -Because $run.Err
		$run.Out -split "`n" | Select-Object -First 2 | Should -Be @('True', 'True')
	}
}

Describe 'changing stores through the drive' {
	It 'moves a certificate to another store of its location' {
		$made = Invoke-CertScript "(New-SelfSignedCertificate -DnsName move.example -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation Cert:\CurrentUser\My).Thumbprint"
		$t = $made.Out.Trim()
		$run = Invoke-CertScript "Move-Item Cert:\CurrentUser\My\$t Cert:\CurrentUser\Root; Test-Path Cert:\CurrentUser\Root\$t; Test-Path Cert:\CurrentUser\My\$t"
		$run.ExitCode | Should -Be 0 -Because $run.Err
		$run.Out -split "`n" | Select-Object -First 2 | Should -Be @('True', 'False')
	}

	It 'removes a certificate with -DeleteKey, and -WhatIf changes nothing' {
		$made = Invoke-CertScript "(New-SelfSignedCertificate -DnsName del.example -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation Cert:\CurrentUser\My).Thumbprint"
		$t = $made.Out.Trim()
		$run = Invoke-CertScript "Remove-Item Cert:\CurrentUser\My\$t -WhatIf; Test-Path Cert:\CurrentUser\My\$t; Remove-Item Cert:\CurrentUser\My\$t -DeleteKey; Test-Path Cert:\CurrentUser\My\$t"
		$run.ExitCode | Should -Be 0 -Because $run.Err
		@($run.Out -split "`n" | Where-Object { $_ -match '^(True|False)$' }) | Should -Be @('True', 'False')
	}

	It 'creates and removes a LocalMachine store, and refuses CurrentUser ones as Windows does' {
		$root = Join-Path $sandbox.Root 'lm-stores'
		$run = Invoke-CertScript -Environment @{ PKISHIM_STORE_ROOT = $root } -Script @'
New-Item Cert:\LocalMachine\TestStore | Out-Null
Test-Path Cert:\LocalMachine\TestStore
Remove-Item Cert:\LocalMachine\TestStore
Test-Path Cert:\LocalMachine\TestStore
try { New-Item Cert:\CurrentUser\Nope -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }
'@
		$lines = $run.Out -split "`n"
		$lines[0] | Should -Be 'True'
		$lines[1] | Should -Be 'False'
		$lines[2] | Should -Match 'CannotCreateUserStore|NotSupported|Cannot'
	}
}

# Windows scripts unchanged (issue 16): `pkishim run` from an installed prefix,
# and PKISHIM_WINDOWS_ENV=1 for `pwsh -File` run directly. The scripts are
# written here in the shapes of real published ones (script-corpus.md).

BeforeAll {
	. (Join-Path $PSScriptRoot 'PkiShimTestLib.ps1')
	$script:sandbox = New-TestSandbox
	$script:prefix = Install-TestPrefix $sandbox
	$script:drives = Join-Path $sandbox.Home '.local/share/pkishim/drives'

	# Runs the installed front command with a script written into the sandbox.
	function Invoke-PkiShimRun {
		param([string] $Script, [string[]] $Options = @(), [string[]] $Arguments = @(), [hashtable] $Environment = @{})
		$file = Join-Path $sandbox.Root ('win-' + [guid]::NewGuid().ToString('N') + '.ps1')
		[System.IO.File]::WriteAllText($file, $Script)
		$psi = [System.Diagnostics.ProcessStartInfo]::new((Join-Path $prefix 'bin/pkishim'))
		foreach ($a in @('run') + $Options + @($file) + $Arguments) { $psi.ArgumentList.Add($a) }
		$psi.WorkingDirectory = $sandbox.Work
		$psi.UseShellExecute = $false
		$psi.RedirectStandardOutput = $true
		$psi.RedirectStandardError = $true
		$psi.Environment['HOME'] = $sandbox.Home
		$psi.Environment['PATH'] = (Join-Path $prefix 'bin') + [System.IO.Path]::PathSeparator + $env:PATH
		$psi.Environment['PKISHIM_STORE_ROOT'] = $sandbox.Stores
		$psi.Environment['NO_COLOR'] = '1'
		foreach ($k in 'PSModulePath', 'PKISHIM_BIN', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'COMPUTERNAME', 'TEMP', 'TMP',
		             'USERPROFILE', 'USERNAME', 'APPDATA', 'LOCALAPPDATA', 'ProgramData', 'SystemDrive') {
			[void]$psi.Environment.Remove($k)
		}
		foreach ($k in $Environment.Keys) { $psi.Environment[$k] = $Environment[$k] }
		$p = [System.Diagnostics.Process]::Start($psi)
		$out = $p.StandardOutput.ReadToEndAsync()
		$err = $p.StandardError.ReadToEndAsync()
		$p.WaitForExit()
		return [pscustomobject]@{ ExitCode = $p.ExitCode; Out = $out.GetAwaiter().GetResult(); Err = $err.GetAwaiter().GetResult() }
	}
}

AfterAll {
	Remove-TestSandbox $script:sandbox
}

Describe 'pkishim run' {
	It 'maps C:\temp and c:\ to folders, so exports land there' {
		$run = Invoke-PkiShimRun @'
$cert = New-SelfSignedCertificate -DnsName www.contoso.example -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation Cert:\CurrentUser\My
New-Item -ItemType Directory -Path C:\temp -Force | Out-Null
$pwd = ConvertTo-SecureString -String 'P@ss' -Force -AsPlainText
Export-PfxCertificate -Cert $cert -FilePath C:\temp\x.pfx -Password $pwd | Out-Null
Export-Certificate -Cert $cert -FilePath c:\x.cer | Out-Null
'@
		$run.ExitCode | Should -Be 0 -Because $run.Err
		[System.IO.File]::Exists((Join-Path $drives 'C/temp/x.pfx')) | Should -BeTrue
		[System.IO.File]::Exists((Join-Path $drives 'C/x.cer')) | Should -BeTrue
	}

	It 'lets a script cd C:\temp and export to relative paths' {
		$run = Invoke-PkiShimRun @'
New-Item C:\temp\rel -ItemType Directory -Force | Out-Null
cd C:\temp\rel
$cert = New-SelfSignedCertificate -DnsName rel.example -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation Cert:\CurrentUser\My
Export-Certificate -Cert $cert -FilePath .\rel.cer | Out-Null
(Get-Location).Path
'@
		$run.ExitCode | Should -Be 0 -Because $run.Err
		[System.IO.File]::Exists((Join-Path $drives 'C/temp/rel/rel.cer')) | Should -BeTrue
	}

	It 'sets the Windows variables a script reads, before its first line' {
		$run = Invoke-PkiShimRun @'
"subject=CN=$env:COMPUTERNAME"
"temp=" + (Join-Path $env:TEMP 'cert.pfx')
"profile=$env:USERPROFILE user=$env:USERNAME drive=$env:SystemDrive"
'@
		$run.ExitCode | Should -Be 0 -Because $run.Err
		$run.Out | Should -Match ("subject=CN=" + [regex]::Escape([System.Environment]::MachineName.ToUpperInvariant()))
		$run.Out | Should -Match ('temp=' + [regex]::Escape((Join-Path ([System.IO.Path]::GetTempPath().TrimEnd('/')) 'cert.pfx')))
		$run.Out | Should -Match ('profile=' + [regex]::Escape($sandbox.Home) + ' user=\S+ drive=C:')
	}

	It 'says each thing it sets once, on stderr' {
		$run = Invoke-PkiShimRun '"out"'
		$run.Out.Trim() | Should -Be 'out'
		@($run.Err -split "`n" | Where-Object { $_ -match '^pkishim: drive C: is ' }).Count | Should -Be 1
		@($run.Err -split "`n" | Where-Object { $_ -match '^pkishim: \$env:COMPUTERNAME is ' }).Count | Should -Be 1
	}

	It 'never overrides what the user set' {
		$run = Invoke-PkiShimRun '"name=$env:COMPUTERNAME"' -Environment @{ COMPUTERNAME = 'BUILDBOX' }
		$run.Out | Should -Match 'name=BUILDBOX'
		$run.Err | Should -Not -Match 'COMPUTERNAME'
	}

	It 'maps a letter where --drive says' {
		$dir = Join-Path $sandbox.Root 'e-drive'
		$run = Invoke-PkiShimRun 'Set-Content -Path E:\marker.txt -Value 1' -Options @('--drive', "E=$dir")
		$run.ExitCode | Should -Be 0 -Because $run.Err
		[System.IO.File]::Exists((Join-Path $dir 'marker.txt')) | Should -BeTrue
	}

	It 'passes the script''s arguments, output and exit status through' {
		$run = Invoke-PkiShimRun "param([string]`$Name, [switch]`$Loud)`n`"`$Name `$Loud`"`nexit 7" -Arguments @('-Name', 'contoso', '-Loud')
		$run.Out.Trim() | Should -Be 'contoso True'
		$run.ExitCode | Should -Be 7
	}

	It 'ends with 1 when the script throws, as pwsh -File does' {
		$run = Invoke-PkiShimRun 'throw "broken"'
		$run.ExitCode | Should -Be 1
		$run.Err | Should -Match 'broken'
	}
}

Describe 'pkishim run with the shapes of published scripts' {
	It 'makes a self-signed certificate when a script passes -Signer $null' {
		$run = Invoke-PkiShimRun @'
$parent = $null   # set only in another branch of the published script
$c = New-SelfSignedCertificate -DnsName leaf.example -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation Cert:\CurrentUser\My -Signer $parent
$c.Issuer -eq $c.Subject
'@
		$run.ExitCode | Should -Be 0 -Because $run.Err
		$run.Out.Trim() | Should -Be 'True'
	}

	It 'removes the CA copy as the Host Guardian Service guide does' {
		$run = Invoke-PkiShimRun @'
$signCert = New-SelfSignedCertificate -Subject 'CN=HGS Signing Certificate' -KeyUsage DataEncipherment, DigitalSignature -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation Cert:\LocalMachine\My
$pw = ConvertTo-SecureString -String 'P@ss' -Force -AsPlainText
Export-PfxCertificate -FilePath '.\signCert.pfx' -Password $pw -Cert $signCert | Out-Null
Remove-Item $signCert.PSPath
Remove-Item -Path "Cert:\LocalMachine\CA\$($signCert.Thumbprint)"
(Test-Path "Cert:\LocalMachine\My\$($signCert.Thumbprint)"), (Test-Path "Cert:\LocalMachine\CA\$($signCert.Thumbprint)") -join ','
'@
		$run.ExitCode | Should -Be 0 -Because $run.Err
		$run.Out.Trim() | Should -Be 'False,False'
		[System.IO.File]::Exists((Join-Path $sandbox.Work 'signCert.pfx')) | Should -BeTrue
	}

	It 'makes Azure IoT''s leaf certificates with ca=FALSE&pathlength=0' {
		$run = Invoke-PkiShimRun @'
$c = New-SelfSignedCertificate -Subject 'CN=device-01' -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation Cert:\CurrentUser\My -TextExtension @("2.5.29.19={text}ca=FALSE&pathlength=0")
$bc = $c.Extensions | Where-Object { $_.Oid.Value -eq '2.5.29.19' }
'{0} {1} {2}' -f $bc.CertificateAuthority, $bc.HasPathLengthConstraint, $bc.PathLengthConstraint
'@
		$run.ExitCode | Should -Be 0 -Because $run.Err
		$run.Out.Trim() | Should -Be 'False True 0'
	}
}

Describe 'Windows drive paths in PkiShim commands without pkishim run' {
	It 'names the path and the fix when no drive C: is mapped' {
		$run = Invoke-TestPwsh -Sandbox $sandbox -Installed $prefix -Script @'
$c = New-SelfSignedCertificate -DnsName d.example -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation Cert:\CurrentUser\My
try { Export-Certificate -Cert $c -FilePath C:\temp\x.cer -ErrorAction Stop } catch { $_.Exception.Message }
'@
		$run.Out | Should -Match ([regex]::Escape("Cannot use the path 'C:\temp\x.cer'"))
		$run.Out | Should -Match 'New-PSDrive -Name C -PSProvider FileSystem -Root'
	}

	It 'uses a drive mapped with New-PSDrive in every path parameter' {
		$dir = Join-Path $sandbox.Root 'mapped-c'
		$null = New-Item -ItemType Directory -Path $dir -Force
		Copy-Item -LiteralPath (Join-Path $script:Src 'tests/data/xml/pair-ok.cscfg') -Destination (Join-Path $dir 's.cscfg')
		$run = Invoke-TestPwsh -Sandbox $sandbox -Installed $prefix -Script @"
New-PSDrive -Name C -PSProvider FileSystem -Root '$dir' | Out-Null
`$c = New-SelfSignedCertificate -DnsName m.example -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation Cert:\CurrentUser\My
`$pw = ConvertTo-SecureString -String 'P@ss' -Force -AsPlainText
Export-Certificate -Cert `$c -FilePath C:\x.cer | Out-Null
Export-PfxCertificate -Cert `$c -FilePath C:\x.pfx -Password `$pw | Out-Null
(Get-PfxCertificate -FilePath C:\x.cer).Thumbprint -eq `$c.Thumbprint
(Import-Certificate -FilePath C:\x.cer -CertStoreLocation Cert:\CurrentUser\Root).Thumbprint -eq `$c.Thumbprint
(Import-PfxCertificate -FilePath C:\x.pfx -Password `$pw -CertStoreLocation Cert:\CurrentUser\TrustedPeople).Thumbprint -eq `$c.Thumbprint
(Get-PfxData -FilePath C:\x.pfx -Password `$pw).EndEntityCertificates[0].Thumbprint -eq `$c.Thumbprint
@(Get-ServiceCertificate -Path C:\s.cscfg).Count -gt 0
"@
		$run.ExitCode | Should -Be 0 -Because $run.Err
		@($run.Out -split "`n" | Where-Object { $_ }) | Should -Be @('True', 'True', 'True', 'True', 'True')
		[System.IO.File]::Exists((Join-Path $dir 'x.pfx')) | Should -BeTrue
	}
}

Describe 'PKISHIM_WINDOWS_ENV=1 with pwsh -File' {
	It 'maps the drives the script names when its first file-system command runs' {
		$run = Invoke-TestPwsh -Sandbox $sandbox -Installed $prefix -Environment @{ PKISHIM_WINDOWS_ENV = '1' } -Script @'
New-Item -ItemType Directory -Path C:\ci -Force | Out-Null
$cert = New-SelfSignedCertificate -DnsName ci.example -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation Cert:\CurrentUser\My
Export-Certificate -Cert $cert -FilePath C:\ci\ci.cer | Out-Null
'@
		$run.ExitCode | Should -Be 0 -Because $run.Err
		[System.IO.File]::Exists((Join-Path $drives 'C/ci/ci.cer')) | Should -BeTrue
		$run.Err | Should -Match 'pkishim: drive C: is '
	}

	It 'leaves a session without it alone' {
		$run = Invoke-TestPwsh -Sandbox $sandbox -Installed $prefix -Script 'Get-ChildItem / | Out-Null; [bool](Get-PSDrive -Name C -ErrorAction Ignore)'
		$run.Out.Trim() | Should -Be 'False'
	}
}

Describe 'Invoke-PkiShimScript' {
	It 'runs a Windows script in the current session with the same environment' {
		$inner = Join-Path $sandbox.Root 'inner.ps1'
		[System.IO.File]::WriteAllText($inner, 'Set-Content -Path C:\inner.txt -Value $args[0]')
		$run = Invoke-TestPwsh -Sandbox $sandbox -Installed $prefix -Script "Invoke-PkiShimScript '$inner' hello"
		$run.ExitCode | Should -Be 0 -Because $run.Err
		[System.IO.File]::ReadAllText((Join-Path $drives 'C/inner.txt')).Trim() | Should -Be 'hello'
	}
}

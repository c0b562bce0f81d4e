# The compiled cmdlets' runtime (ps/Commands), against stand-in executables that
# record what they get: argv building, the SecureString off argv, paths against
# $PWD, certificates as arguments, pipeline accumulation, output objects, errors
# (ids ending in the cmdlet's class), -Verbose, -WhatIf and the callers'
# preferences. The stand-ins describe themselves with a table in --pkishim-json
# format, and the build's own steps (Build-TestModule) make the module from it.

BeforeAll {
	. (Join-Path $PSScriptRoot 'PkiShimTestLib.ps1')

	$script:sandbox = New-TestSandbox
	$tables = Join-Path $sandbox.Root 'tables'
	$null = New-Item -ItemType Directory -Path $tables
	function P([string]$Name, [string]$Kind, [string]$Type, [hashtable]$More = @{}) {
		$p = [ordered]@{ name = $Name; aliases = @(); kind = $Kind; type = $Type; position = -1; sets = @(); mandatorySets = @()
			pipelineByValue = $false; pipelineByPropertyName = $false; members = @(); memberValues = @(); validateSet = $false
			windowsOnly = $false; wildcards = $false; notNullOrEmpty = $false; certLocation = $false; help = "The $Name." }
		foreach ($k in $More.Keys) { $p[$k] = $More[$k] }
		return $p
	}
	$export = [ordered]@{
		name = 'Export-PkiShimFake'; synopsis = 'Exports a fake.'; outputType = 'System.IO.FileInfo'
		supportsShouldProcess = $true; defaultParameterSet = 'NormalCert'; parameterSets = @('PfxCert', 'NormalCert')
		parameters = @(
			(P 'Cert' 'cert' 'Microsoft.CertificateServices.Commands.Certificate' @{ aliases = @('PsPath'); position = 0
				sets = @('NormalCert'); mandatorySets = @('NormalCert'); pipelineByPropertyName = $true })
			(P 'PFXData' 'object' 'Microsoft.CertificateServices.Commands.PfxData' @{ position = 0; sets = @('PfxCert'); mandatorySets = @('PfxCert'); pipelineByValue = $true })
			(P 'FilePath' 'path' 'System.String' @{ aliases = @('FullName'); position = 1; mandatorySets = @('PfxCert', 'NormalCert') })
			(P 'Password' 'secure' 'System.Security.SecureString')
			(P 'DnsName' 'strings' 'System.String[]')
			(P 'TextExtension' 'strings' 'System.String[]')
			(P 'KeyLength' 'int' 'System.Int32')
			(P 'Force' 'switch' 'System.Management.Automation.SwitchParameter')
			(P 'NotAfter' 'datetime' 'System.DateTime')
			(P 'KeyUsage' 'enums' 'Microsoft.PkiShimTest.KeyUsage[]' @{ members = @('None', 'DigitalSignature', 'KeyEncipherment', 'CertSign', 'CRLSign')
				memberValues = @(0, 128, 32, 4, 2) })
			(P 'Type' 'enum' 'Microsoft.PkiShimTest.CertType' @{ members = @('Custom', 'CodeSigningCert', 'DocumentEncryptionCert') })
			(P 'Format' 'enum' 'System.String' @{ members = @('SST', 'CERT', 'P7B'); validateSet = $true })
			(P 'Subject' 'string' 'System.String')
		)
	}
	$get = [ordered]@{
		name = 'Get-PkiShimFake'; synopsis = 'Gets a fake.'; outputType = 'System.Object'
		supportsShouldProcess = $false; defaultParameterSet = '__AllParameterSets'; parameterSets = @()
		parameters = @((P 'Path' 'strings' 'System.String[]' @{ position = 0; wildcards = $true; pipelineByValue = $true }))
	}
	$script:names = 'Export-PkiShimFake', 'Get-PkiShimFake', 'Get-PkiShimGone', 'Get-StoreCertificate', 'Remove-StoreCertificate'
	$export | ConvertTo-Json -Depth 6 | Set-Content -LiteralPath (Join-Path $tables 'Export-PkiShimFake.json')
	$get | ConvertTo-Json -Depth 6 | Set-Content -LiteralPath (Join-Path $tables 'Get-PkiShimFake.json')
	foreach ($n in 'Get-PkiShimGone', 'Get-StoreCertificate', 'Remove-StoreCertificate') {
		$t = [ordered]@{}; foreach ($k in $get.Keys) { $t[$k] = $get[$k] }; $t.name = $n
		if ($n -eq 'Get-StoreCertificate') {
			$t.parameters = @($get.parameters[0], (P 'Item' 'switch' 'System.Management.Automation.SwitchParameter'),
				(P 'Recurse' 'switch' 'System.Management.Automation.SwitchParameter'))
		}
		$t | ConvertTo-Json -Depth 6 | Set-Content -LiteralPath (Join-Path $tables "$n.json")
	}
	$script:fake = New-FakeBin -Sandbox $sandbox -Names $names -TableDir $tables
	# The child sessions' own modules (Invoke-TestPwsh -Modules): a PkiShim built from the
	# stand-ins' tables by the build's steps (the generator, then the compiled cmdlets),
	# beside the build's Cert: drive module, which PkiShim requires (RequiredModules) and
	# which brings the certificate properties (EnhancedKeyUsageList, ...), as installed.
	$script:fakeModules = Join-Path $sandbox.Root 'modules'
	$null = Build-TestModule -BinDir $fake.Dir -OutDir (Join-Path $fakeModules 'PkiShim') -Command $names `
		-WorkDir (Join-Path $sandbox.Root 'module-build')
	[void][System.IO.Directory]::CreateSymbolicLink((Join-Path $fakeModules 'Microsoft.PowerShell.Security'),
		(Join-Path $script:Modules 'Microsoft.PowerShell.Security'))
	Remove-Item -LiteralPath (Join-Path $fake.Dir 'Get-PkiShimGone')

	# A certificate with a key in a password-less PFX, as store files are.
	$rsa = [System.Security.Cryptography.RSA]::Create(2048)
	$request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=fake.example',
		$rsa, 'SHA256', [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
	$oids = [System.Security.Cryptography.OidCollection]::new()
	[void]$oids.Add([System.Security.Cryptography.Oid]::new('1.3.6.1.5.5.7.3.1'))
	$request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension]::new($oids, $false))
	$script:cert = $request.CreateSelfSigned([datetime]::UtcNow.AddMinutes(-5), [datetime]::UtcNow.AddYears(1))
	$script:certFile = Join-Path $sandbox.Root 'store-cert.pfx'
	[System.IO.File]::WriteAllBytes($certFile, $cert.Export('Pkcs12', ''))
	$script:thumb = $cert.Thumbprint
	$json = [ordered]@{ Thumbprint = $thumb; Subject = 'CN=fake.example'; Issuer = 'CN=fake.example'; HasPrivateKey = $true
		PSParentPath = 'Microsoft.PowerShell.Security\Certificate::LocalMachine\My'
		PSPath = "Microsoft.PowerShell.Security\Certificate::LocalMachine\My\$thumb"; File = $certFile }
	$script:certJson = Join-Path $sandbox.Root 'cert.json'
	[System.IO.File]::WriteAllText($certJson, ($json | ConvertTo-Json -Compress) + "`n")

	function Invoke-Fake {
		param([string]$Script, [hashtable]$Environment = @{})
		Get-ChildItem -LiteralPath $fake.Log -File | Remove-Item
		$env = @{ FAKE_LOG = $fake.Log; PKISHIM_BIN = $fake.Dir }
		foreach ($k in $Environment.Keys) { $env[$k] = $Environment[$k] }
		$r = Invoke-TestPwsh -Sandbox $sandbox -Script $Script -Environment $env -Modules $fakeModules
		return $r
	}
	function Write-SandboxFile([string]$Name, [string]$Text) {
		$f = Join-Path $sandbox.Root $Name
		[System.IO.File]::WriteAllText($f, $Text)
		return $f
	}
	$script:store = "Cert:\LocalMachine\My\$thumb"
}

AfterAll {
	Remove-TestSandbox $script:sandbox
}

Describe 'A SecureString password' {
	It 'reaches the executable on stdin and never in its argv or environment' {
		$r = Invoke-Fake @"
`$pw = ConvertTo-SecureString -String 'S3cret-Pa55!' -Force -AsPlainText
Export-PkiShimFake -Cert '$store' -FilePath out.pfx -Password `$pw
"@
		$r.ExitCode | Should -Be 0 -Because $r.Err
		$run = Get-FakeRun $fake
		$run.Stdin | Should -BeExactly 'S3cret-Pa55!'
		$run.CmdlineRaw | Should -Not -Match 'S3cret'
		$run.EnvironRaw | Should -Not -Match 'S3cret'
		$run.EnvironRaw.Split([char]0) | Should -Contain 'PKISHIM_PASSWORD_FD=0'
		$run.Argv | Should -Not -Contain '-Password'
		$run.Argv | Should -Not -Contain 'System.Security.SecureString'
	}

	It 'leaves stdin closed and PKISHIM_PASSWORD_FD unset when no password is given' {
		$r = Invoke-Fake "Export-PkiShimFake -Cert '$store' -FilePath out.pfx" @{ PKISHIM_PASSWORD_FD = '7' }
		$r.ExitCode | Should -Be 0 -Because $r.Err
		$run = Get-FakeRun $fake
		$run.Stdin | Should -BeNullOrEmpty
		$run.EnvironRaw.Split([char]0) | Where-Object { $_ -like 'PKISHIM_PASSWORD_FD=*' } | Should -BeNullOrEmpty
	}
}

Describe 'The argv a command receives' {
	It 'uses full names, -Name:value, comma lists, ISO 8601 UTC dates and enum names' {
		$r = Invoke-Fake @"
Export-PkiShimFake -cert '$store' -FilePath /tmp/x.pfx -DnsName a.example,b.example ``
  -TextExtension @('2.5.29.37={text}1.3.6.1.5.5.7.3.2,1.3.6.1.5.5.7.3.1', '2.5.29.19={text}') ``
  -KeyLength 0x800 -Force -NotAfter ([datetime]::new(2030, 1, 31, 10, 0, 0, [System.DateTimeKind]::Utc)) -KeyUsage dig, certsign ``
  -Type CodeSigning -Format cert -Subject '-KeyLength'
"@
		$r.ExitCode | Should -Be 0 -Because $r.Err
		Get-FakeRunCount $fake | Should -Be 1 -Because $r.Err
		(Get-FakeRun $fake).Argv | Should -Be @(
			"-Cert:$store", '-FilePath:/tmp/x.pfx', '-DnsName:a.example,b.example',
			'-TextExtension:"2.5.29.37={text}1.3.6.1.5.5.7.3.2,1.3.6.1.5.5.7.3.1",2.5.29.19={text}',
			'-KeyLength:2048', '-Force:True', '-NotAfter:2030-01-31T10:00:00Z',
			'-KeyUsage:DigitalSignature,CertSign', '-Type:CodeSigningCert', '-Format:cert', '-Subject:-KeyLength')
	}

	It 'passes a switch given $false as -Name:False and an empty string as its own argument' {
		$r = Invoke-Fake "Export-PkiShimFake -Cert '$store' -FilePath /tmp/x.pfx -Force:`$false -Subject ''"
		$r.ExitCode | Should -Be 0 -Because $r.Err
		(Get-FakeRun $fake).Argv | Should -Be @("-Cert:$store", '-FilePath:/tmp/x.pfx', '-Force:False', '-Subject', '')
	}

	It 'resolves relative and backslash paths against $PWD, and runs in $PWD' {
		$r = Invoke-Fake @"
`$null = New-Item -ItemType Directory -Path sub
Set-Location sub
Export-PkiShimFake -Cert '$store' -FilePath .\my-cert-file.pfx
"@
		$r.ExitCode | Should -Be 0 -Because $r.Err
		$run = Get-FakeRun $fake
		$sub = Join-Path $sandbox.Work 'sub'
		$run.Argv[1] | Should -BeExactly "-FilePath:$sub/my-cert-file.pfx"
		$run.Cwd | Should -BeExactly $sub
	}

	It 'keeps wildcards in path lists for the executable to expand' {
		$r = Invoke-Fake "Get-PkiShimFake *.cscfg"
		$r.ExitCode | Should -Be 0 -Because $r.Err
		(Get-FakeRun $fake).Argv | Should -Be @("-Path:$($sandbox.Work)/*.cscfg")
	}
}

Describe 'Certificates given to -Cert' {
	It 'pass a store certificate object by its Cert:\ path' {
		$r = Invoke-Fake "`$c = Get-PkiShimFake x; Export-PkiShimFake -Cert `$c -FilePath /tmp/x.pfx" @{ FAKE_STDOUT = $certJson }
		$r.ExitCode | Should -Be 0 -Because $r.Err
		(Get-FakeRun $fake -Index 1).Argv[0] | Should -BeExactly "-Cert:Cert:\LocalMachine\My\$thumb"
	}

	It 'pass a certificate from no store as a temporary PFX that is removed afterwards' {
		$r = Invoke-Fake @"
`$c = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new('$certFile', '', 'Exportable')
Export-PkiShimFake -Cert `$c -FilePath /tmp/x.pfx
"@
		$r.ExitCode | Should -Be 0 -Because $r.Err
		$arg = (Get-FakeRun $fake).Argv[0]
		$arg | Should -Match "^-Cert:/.+/$thumb\.pfx$"
		Microsoft.PowerShell.Management\Test-Path -LiteralPath ($arg.Substring(6)) | Should -BeFalse
	}

	It 'collect every piped certificate into one run (Export-PfxCertificate''s whole-store pipeline)' {
		$r = Invoke-Fake @"
`$a = [pscustomobject]@{ PSPath = 'Microsoft.PowerShell.Security\Certificate::CurrentUser\My\$('A' * 40)' }
`$b = [pscustomobject]@{ PSPath = 'Microsoft.PowerShell.Security\Certificate::CurrentUser\My\$('B' * 40)' }
`$a, `$b | Export-PkiShimFake -FilePath /tmp/all.pfx
"@
		$r.ExitCode | Should -Be 0 -Because $r.Err
		Get-FakeRunCount $fake | Should -Be 1
		(Get-FakeRun $fake).Argv | Should -Be @('-Cert', "Cert:\CurrentUser\My\$('A' * 40)", "Cert:\CurrentUser\My\$('B' * 40)", '-FilePath:/tmp/all.pfx')
	}
}

Describe 'Output objects' {
	It 'are X509Certificate2 objects with the provider properties for certificates' {
		$r = Invoke-Fake @'
$c = Get-PkiShimFake x
$c.GetType().FullName
$c.PSParentPath
$c.PSChildName -eq $c.Thumbprint
$c.HasPrivateKey
$c.PSPath
'@ @{ FAKE_STDOUT = $certJson }
		$r.ExitCode | Should -Be 0 -Because $r.Err
		$lines = $r.Out -split "`n" | ForEach-Object Trim
		$lines[0] | Should -Be 'System.Security.Cryptography.X509Certificates.X509Certificate2'
		$lines[1] | Should -Be 'Microsoft.PowerShell.Security\Certificate::LocalMachine\My'
		$lines[2] | Should -Be 'True'
		$lines[3] | Should -Be 'True'
		$lines[4] | Should -Be "Microsoft.PowerShell.Security\Certificate::LocalMachine\My\$thumb"
	}

	It 'show as the Windows table, grouped under PSParentPath with the EKU names' {
		$r = Invoke-Fake 'Get-PkiShimFake x | Format-Table | Out-String -Width 120' @{ FAKE_STDOUT = $certJson }
		$r.ExitCode | Should -Be 0 -Because $r.Err
		$r.Out | Should -Match '   PSParentPath: Microsoft\.PowerShell\.Security\\Certificate::LocalMachine\\My'
		$r.Out | Should -Match ([regex]::Escape($thumb) + '  CN=fake\.example\s+Server Authentication')
	}

	It 'are plain X509Certificate2 objects for a certificate of no store (empty PSPath), its File relative to $PWD' {
		$rel = Join-Path $sandbox.Work 'loose.pfx'
		[System.IO.File]::Copy($certFile, $rel, $true)
		$json = [ordered]@{ Thumbprint = $thumb; Subject = 'CN=fake.example'; Issuer = 'CN=fake.example'; HasPrivateKey = $true
			PSParentPath = ''; PSPath = ''; File = 'loose.pfx' }
		$out = Write-SandboxFile 'loose.json' (($json | ConvertTo-Json -Compress) + "`n")
		$r = Invoke-Fake @'
$c = Get-PkiShimFake x
"type=$($c.GetType().FullName)"
"thumb=$($c.Thumbprint)"
"key=$($c.HasPrivateKey)"
"pspath=$([bool]$c.PSObject.Properties['PSPath'])"
'@ @{ FAKE_STDOUT = $out }
		$r.ExitCode | Should -Be 0 -Because $r.Err
		$r.Out | Should -Match 'type=System\.Security\.Cryptography\.X509Certificates\.X509Certificate2\s'
		$r.Out | Should -Match "thumb=$thumb\s"
		$r.Out | Should -Match 'key=True\s'
		$r.Out | Should -Match 'pspath=False'
	}

	It 'are FileInfo objects for files' {
		$file = Join-Path $sandbox.Work 'made.pfx'
		[System.IO.File]::WriteAllText($file, 'x')
		$out = Write-SandboxFile 'file.json' ((@{ FullName = $file } | ConvertTo-Json -Compress) + "`n")
		$r = Invoke-Fake "(Get-PkiShimFake x).GetType().FullName; (Get-PkiShimFake x).FullName" @{ FAKE_STDOUT = $out }
		($r.Out -split "`n")[0].Trim() | Should -Be 'System.IO.FileInfo'
		($r.Out -split "`n")[1].Trim() | Should -Be $file
	}
}

Describe 'Errors from an executable' {
	BeforeAll {
		$script:oneError = Write-SandboxFile 'err1.txt' "Export-PkiShimFake: The key is not exportable.`n"
		$script:twoErrors = Write-SandboxFile 'err2.txt' "Export-PkiShimFake: First problem.`nExport-PkiShimFake: Second problem.`n"
	}

	It 'set $? to false and carry the message alone' {
		$r = Invoke-Fake @"
Export-PkiShimFake -Cert '$store' -FilePath x.pfx
"status=`$?"
"message=`$(`$Error[0].Exception.Message)"
"command=`$(`$Error[0].InvocationInfo.MyCommand.Name)"
"@ @{ FAKE_EXIT = '1'; FAKE_STDERR = $oneError }
		$r.Out | Should -Match 'status=False'
		$r.Out | Should -Match 'message=The key is not exportable\.\s'
		$r.Out | Should -Match 'command=Export-PkiShimFake'
	}

	It 'end their FullyQualifiedErrorId in the cmdlet''s class, and take exception, category and target from a JSON line' {
		$json = Write-SandboxFile 'err-json.txt' ('{"ErrorCode":"FileNotFound","Message":"The file ''in.cer'' was not found.","TargetObject":"in.cer"}' + "`n")
		$r = Invoke-Fake @"
Export-PkiShimFake -Cert '$store' -FilePath x.pfx 2>`$null
"unknown=`$(`$Error[0].FullyQualifiedErrorId)"
`$Error.Clear()
`$env:FAKE_STDERR = '$json'
try { Export-PkiShimFake -Cert '$store' -FilePath x.pfx -ErrorAction Stop } catch [System.IO.FileNotFoundException] {
	"json=`$(`$_.FullyQualifiedErrorId)|`$(`$_.CategoryInfo.Category)|`$(`$_.TargetObject)|`$(`$_.Exception.Message)"
}
"@ @{ FAKE_EXIT = '1'; FAKE_STDERR = $oneError }
		$r.Out | Should -Match '(?m)^unknown=PkiShimCommandFailed,PkiShim\.Commands\.ExportPkiShimFakeCommand$'
		$r.Out | Should -Match ([regex]::Escape("json=System.IO.FileNotFoundException,PkiShim.Commands.ExportPkiShimFakeCommand|ObjectNotFound|in.cer|The file 'in.cer' was not found."))
	}

	It 'name as target the certificates piped into one run, as given' {
		$r = Invoke-Fake @"
`$a = [pscustomobject]@{ Cert = [pscustomobject]@{ Thumbprint = 'A' * 40; Tag = 'a' } }
`$b = [pscustomobject]@{ Cert = [pscustomobject]@{ Thumbprint = 'B' * 40; Tag = 'b' } }
`$a, `$b | Export-PkiShimFake -FilePath x.pfx -ErrorVariable e 2>`$null
"tags=`$(@(`$e[0].TargetObject | ForEach-Object Tag) -join ',')"
"@ @{ FAKE_STDERR = $oneError }
		$r.ExitCode | Should -Be 0 -Because $r.Err
		Get-FakeRunCount $fake | Should -Be 1
		(Get-FakeRun $fake).Argv | Should -Be @('-Cert', ('A' * 40), ('B' * 40), "-FilePath:$($sandbox.Work)/x.pfx")
		$r.Out | Should -Match 'tags=a,b'
	}

	It 'are caught by try/catch with -ErrorAction Stop' {
		$r = Invoke-Fake @"
try { Export-PkiShimFake -Cert '$store' -FilePath x.pfx -ErrorAction Stop; 'not caught' } catch { "caught: `$(`$_.Exception.Message)" }
"@ @{ FAKE_EXIT = '1'; FAKE_STDERR = $oneError }
		$r.Out.Trim() | Should -Be 'caught: The key is not exportable.'
	}

	It 'show in ConciseView as "Export-PkiShimFake: message"' {
		$r = Invoke-Fake @"
`$ErrorView = 'ConciseView'
Invoke-Expression "Export-PkiShimFake -Cert '$store' -FilePath x.pfx"
"@ @{ FAKE_EXIT = '1'; FAKE_STDERR = $oneError }
		($r.Out + $r.Err) | Should -Match '(?m)^Export-PkiShimFake: The key is not exportable\.$'
	}

	It 'are non-terminating before the last one, which stops the command' {
		$r = Invoke-Fake @"
`$e = `$null
Export-PkiShimFake -Cert '$store' -FilePath x.pfx -ErrorVariable e -ErrorAction SilentlyContinue
"count=`$(`$e.Count)"
try { Export-PkiShimFake -Cert '$store' -FilePath x.pfx 2>`$null } catch { "caught: `$(`$_.Exception.Message)" }
"@ @{ FAKE_EXIT = '1'; FAKE_STDERR = $twoErrors }
		$r.Out | Should -Match 'caught: Second problem\.'
	}

	It 'with status 0 are written as non-terminating errors' {
		$r = Invoke-Fake @"
Get-PkiShimFake x -ErrorVariable e 2>`$null
"count=`$(`$e.Count) `$(`$e[0].Exception.Message)"
"@ @{ FAKE_STDERR = (Write-SandboxFile 'err3.txt' "Get-PkiShimFake: A file was skipped.`n") }
		$r.Out | Should -Match 'count=1 A file was skipped\.'
	}

	It 'say so when the executable cannot be found' {
		$r = Invoke-Fake @"
try { Get-PkiShimGone x } catch { `$_.Exception.Message }
"@
		$r.Out | Should -Match "The pkishim executable 'Get-PkiShimGone' was not found"
	}
}

Describe 'Common parameters' {
	It '-Verbose reaches the executable and its VERBOSE lines become verbose records' {
		$r = Invoke-Fake @"
`$v = Get-PkiShimFake x -Verbose 4>&1
"verbose=`$(`$v.Message)"
"@ @{ FAKE_STDERR = (Write-SandboxFile 'verbose.txt' "VERBOSE: Read 2 files.`n") }
		$r.Out | Should -Match 'verbose=Read 2 files\.'
		(Get-FakeRun $fake).Argv | Should -Contain '-Verbose'
	}

	It 'the caller''s $VerbosePreference and $WhatIfPreference act as -Verbose and -WhatIf, in any scope' {
		$r = Invoke-Fake @"
function Invoke-Quietly { `$VerbosePreference = 'Continue'; Get-PkiShimFake x 4>`$null }
Invoke-Quietly
& { `$WhatIfPreference = `$true; Export-PkiShimFake -Cert '$store' -FilePath x.pfx }
Get-PkiShimFake y
"@ @{ FAKE_STDERR = (Write-SandboxFile 'verbose2.txt' "VERBOSE: Read 2 files.`n") }
		$r.ExitCode | Should -Be 0 -Because $r.Err
		Get-FakeRunCount $fake | Should -Be 3
		(Get-FakeRun $fake -Index 0).Argv | Should -Contain '-Verbose'
		(Get-FakeRun $fake -Index 1).Argv | Should -Contain '-WhatIf'
		(Get-FakeRun $fake -Index 2).Argv | Should -Not -Contain '-Verbose'
		$r.Out + $r.Err | Should -Not -Match 'Read 2 files'
	}

	It 'WARNING lines become warning records, not errors, and the command succeeds' {
		$r = Invoke-Fake @"
`$out = Get-PkiShimFake x -WarningVariable w -WarningAction SilentlyContinue -ErrorVariable e
"warning=`$(`$w.Message) errors=`$(`$e.Count) ok=`$?"
"@ @{ FAKE_STDERR = (Write-SandboxFile 'warning.txt' "WARNING: Ignoring the store file 'x.pfx'.`n") }
		$r.Out | Should -Match "warning=Ignoring the store file 'x\.pfx'\. errors=0 ok=True"
	}

	It '-WhatIf reaches the executable and its "What if:" lines reach the host' {
		$r = Invoke-Fake "Export-PkiShimFake -Cert '$store' -FilePath x.pfx -WhatIf" @{
			FAKE_STDOUT = (Write-SandboxFile 'whatif.txt' "What if: Performing the operation `"Export`" on target `"x.pfx`".`n") }
		$r.ExitCode | Should -Be 0 -Because $r.Err
		$r.Out | Should -Match 'What if: Performing the operation "Export" on target "x\.pfx"\.'
		(Get-FakeRun $fake).Argv | Should -Contain '-WhatIf'
	}

	It 'binding errors are PowerShell''s own, before any executable runs' {
		$r = Invoke-Fake @"
try { Export-PkiShimFake -Cert '$store' -FilePath x.pfx -Type Foo } catch { `$_.Exception.Message }
try { Export-PkiShimFake -Cert '$store' -FilePath x.pfx -KeyUsage 'DigitalSignature,KeyEncipherment' } catch { `$_.Exception.Message }
try { Export-PkiShimFake -Cert '$store' -FilePath x.pfx -Password 'plain' } catch { `$_.Exception.Message }
try { Export-PkiShimFake -Cert '$store' -FilePath x.pfx -Format Foo } catch { `$_.Exception.Message }
"@
		$r.Out | Should -Match 'Cannot convert value "Foo" to type "Microsoft\.PkiShimTest\.CertType"'
		$r.Out | Should -Match 'due to enumeration values that are not valid'
		$r.Out | Should -Match 'Cannot convert the value of type "System\.String" to type "System\.Security\.SecureString"'
		$r.Out | Should -Match 'does not belong to the set "SST,CERT,P7B"'
		Get-FakeRunCount $fake | Should -Be 0
	}
}

# Cert:\ is the provider's (tests/ps/Provider.Tests.ps1); PkiShim puts nothing in
# front of the built-in item cmdlets, which keep every other path as they are.
Describe 'the built-in item cmdlets with PkiShim loaded' {
	It 'leaves every other path to the built-in cmdlets, with their parameters' {
		$r = Invoke-Fake @'
Import-Module PkiShim
$null = New-Item -ItemType Directory -Path d
Set-Content -Path d/a.txt -Value a
$null = New-Item -ItemType Directory -Path d/sub
(Get-ChildItem d -File).Name
(Get-ChildItem -LiteralPath d -Directory).Name
(Get-Item d/a.txt).GetType().Name
Test-Path d/a.txt
Test-Path d/none.txt
Get-ChildItem d -Filter *.txt | Remove-Item
Test-Path d/a.txt
try { Get-Item d/none.txt -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }
'@
		$r.ExitCode | Should -Be 0 -Because $r.Err
		($r.Out -split "`n" | ForEach-Object Trim | Where-Object { $_ }) | Should -Be @(
			'a.txt', 'sub', 'FileInfo', 'True', 'False', 'False',
			'PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand')
		Get-FakeRunCount $fake | Should -Be 0
	}
}

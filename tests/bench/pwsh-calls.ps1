<#
.SYNOPSIS
The module's cost per cmdlet call in a warm pwsh, against the same work done
in pwsh with .NET (CertificateRequest, X509Store, X509Certificate2.Export) and
against one bare process start. By hand, never in CI (README: Benchmarks).

  pwsh -NoProfile -File tests/bench/pwsh-calls.ps1 [-Runs 21] [-Prefix <install prefix>]

Without -Prefix the build's module (PKISHIM_BUILD, default build/) is used.
Prints the median of -Runs calls of each step, in milliseconds.
#>
param([int] $Runs = 21, [string] $Prefix)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$src = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
if ($Prefix) {
	$env:PSModulePath = (Join-Path $Prefix 'share/powershell/Modules') + [IO.Path]::PathSeparator + $env:PSModulePath
} else {
	$build = if ($env:PKISHIM_BUILD) { $env:PKISHIM_BUILD } else { Join-Path $src 'build' }
	$env:PSModulePath = (Join-Path $build 'ps/Modules') + [IO.Path]::PathSeparator + $env:PSModulePath
	$env:PKISHIM_BIN = Join-Path $build 'cmdlets'
}
$work = Join-Path ([IO.Path]::GetTempPath()) ('pkishim-bench-' + [guid]::NewGuid().ToString('N'))
$null = New-Item -ItemType Directory -Path $work
$env:PKISHIM_STORE_ROOT = Join-Path $work 'stores'
Set-Location $work
Import-Module PkiShim
$password = ConvertTo-SecureString -String 'your-password' -Force -AsPlainText

function Measure-Median([string] $Name, [scriptblock] $Step) {
	& $Step | Out-Null   # warm-up
	$times = foreach ($i in 1..$Runs) {
		$watch = [Diagnostics.Stopwatch]::StartNew()
		& $Step | Out-Null
		$watch.Elapsed.TotalMilliseconds
	}
	$median = ($times | Sort-Object)[[int][math]::Floor($Runs / 2)]
	'  {0,-52} {1,8:N1} ms' -f $Name, $median
	return
}

$cert = New-SelfSignedCertificate -DnsName bench.example -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation Cert:\CurrentUser\My
"pwsh $($PSVersionTable.PSVersion), $Runs runs each, median"
'PkiShim (one native process per call):'
Measure-Median 'New-SelfSignedCertificate ECDSA P-256, into a store' {
	New-SelfSignedCertificate -DnsName bench.example -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation Cert:\CurrentUser\My }
Measure-Median 'Export-PfxCertificate' { Export-PfxCertificate -Cert $cert -FilePath (Join-Path $work 'a.pfx') -Password $password }
Measure-Median 'Export-Certificate' { Export-Certificate -Cert $cert -FilePath (Join-Path $work 'a.cer') }

'.NET in the same pwsh (no store but .NET''s own):'
$store = [Security.Cryptography.X509Certificates.X509Store]::new('My', 'CurrentUser')
$store.Open('ReadWrite')
$net = $null
Measure-Median 'CertificateRequest.CreateSelfSigned + X509Store.Add' {
	$key = [Security.Cryptography.ECDsa]::Create([Security.Cryptography.ECCurve+NamedCurves]::nistP256)
	$request = [Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=bench.example', $key, 'SHA256')
	$script:net = $request.CreateSelfSigned([datetimeoffset]::Now.AddMinutes(-10), [datetimeoffset]::Now.AddYears(1))
	$store.Add($script:net)
}
Measure-Median 'X509Certificate2.Export(Pkcs12) + write' {
	[IO.File]::WriteAllBytes((Join-Path $work 'n.pfx'), $net.Export('Pkcs12', 'your-password')) }
Measure-Median 'RawData + write' { [IO.File]::WriteAllBytes((Join-Path $work 'n.cer'), $net.RawData) }
$store.Close()

'A bare process start from pwsh:'
Measure-Median '& /bin/true' { & /bin/true }
$openssl = (Get-Command openssl -CommandType Application -ErrorAction Ignore | Select-Object -First 1)
if ($openssl) { Measure-Median '& openssl version' { & $openssl.Source version } }

Set-Location $HOME
Remove-Item -LiteralPath $work -Recurse -Force

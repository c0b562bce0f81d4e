# PkiShimTestLib.ps1: what the Pester tests share. Dot-source it in BeforeAll.
#
# CTest sets PKISHIM_BIN (the built executables), PKISHIM_MODULES (the folder
# holding the built PkiShim module), PKISHIM_SHARED, PKISHIM_SRC, PKISHIM_PWSH.
# Behaviour is tested in child pwsh processes started the way a user starts a
# script (pwsh -NonInteractive -File), with the module found through
# PSModulePath and never imported by hand, each with its own store root.
Set-StrictMode -Version 3.0

$script:Bin = $env:PKISHIM_BIN
$script:Modules = $env:PKISHIM_MODULES
$script:Shared = $env:PKISHIM_SHARED
$script:Src = $env:PKISHIM_SRC
$script:Pwsh = if ($env:PKISHIM_PWSH) { $env:PKISHIM_PWSH } else { (Get-Process -Id $PID).Path }
foreach ($v in 'Bin', 'Modules', 'Shared', 'Src') {
	if (-not (Get-Variable -Name $v -Scope Script -ValueOnly)) { throw "Run through ctest: PKISHIM_* variables are missing." }
}

# The commands that exist in this build (Verb-Noun executables).
function Get-TestCommandNames {
	Get-ChildItem -LiteralPath $script:Bin -File |
		Where-Object { $_.Name -match '^[A-Z][a-z]+-[A-Za-z]+$' } |
		ForEach-Object Name | Sort-Object
}

function Test-CommandBuilt([string]$Name) {
	return [System.IO.File]::Exists((Join-Path $script:Bin $Name))
}

function Get-TestTable([string]$Name) {
	((& (Join-Path $script:Bin $Name) --pkishim-json) -join "`n") | ConvertFrom-Json
}

# A private directory tree for one test: work/ (the current directory),
# stores/ (PKISHIM_STORE_ROOT) and home/ (HOME).
function New-TestSandbox {
	$root = Join-Path ([System.IO.Path]::GetTempPath()) ('pkishim-ps-' + [guid]::NewGuid().ToString('N'))
	foreach ($d in 'work', 'stores', 'home') { $null = New-Item -ItemType Directory -Path (Join-Path $root $d) }
	return [pscustomobject]@{
		Root = $root
		Work = Join-Path $root 'work'
		Stores = Join-Path $root 'stores'
		Home = Join-Path $root 'home'
	}
}

function Remove-TestSandbox($Sandbox) {
	if ($null -ne $Sandbox -and (Microsoft.PowerShell.Management\Test-Path -LiteralPath $Sandbox.Root)) {
		Microsoft.PowerShell.Management\Remove-Item -LiteralPath $Sandbox.Root -Recurse -Force
	}
}

# Runs a script file in a child pwsh (-NoProfile -NonInteractive -File) with
# the built modules as the sandbox user's, or (-Installed) from an install prefix. Environment: PKISHIM_STORE_ROOT = the
# sandbox's stores unless -NoStoreRoot; HOME = the sandbox's home; extra
# variables from -Environment ($null removes one).
function Invoke-TestPwsh {
	param(
		[Parameter(Mandatory)] $Sandbox,
		[AllowEmptyString()] [string] $Script = '',
		[hashtable] $Environment = @{},
		[switch] $NoStoreRoot,
		[string] $ScriptFile,
		# An install prefix (Install-TestPrefix): pwsh then finds pkishim as a user
		# does, through what the install put on PATH and pwsh's own module path.
		[string] $Installed,
		# The folder of modules the sandbox user has (default: the build's). A sandbox
		# keeps the first folder it was given.
		[string] $Modules = $script:Modules
	)
	if (-not $ScriptFile) {
		$ScriptFile = Join-Path $Sandbox.Root ('script-' + [guid]::NewGuid().ToString('N') + '.ps1')
		[System.IO.File]::WriteAllText($ScriptFile, $Script, [System.Text.UTF8Encoding]::new($false))
	}
	$psi = [System.Diagnostics.ProcessStartInfo]::new($script:Pwsh)
	foreach ($a in '-NoProfile', '-NonInteractive', '-File', $ScriptFile) { $psi.ArgumentList.Add($a) }
	$psi.WorkingDirectory = $Sandbox.Work
	$psi.UseShellExecute = $false
	$psi.RedirectStandardInput = $true
	$psi.RedirectStandardOutput = $true
	$psi.RedirectStandardError = $true
	$psi.Environment['HOME'] = $Sandbox.Home
	if ($Installed) {
		foreach ($k in 'PSModulePath', 'PKISHIM_BIN', 'XDG_DATA_HOME') { [void]$psi.Environment.Remove($k) }
		$psi.Environment['PATH'] = (Join-Path $Installed 'bin') + [System.IO.Path]::PathSeparator + $env:PATH
	} else {
		# The build's modules as the sandbox user's own (~/.local/share/powershell/Modules),
		# which pwsh searches before $PSHOME: a folder in $env:PSModulePath comes after it,
		# where the real Microsoft.PowerShell.Security would hide the Cert: drive's.
		$userModules = Join-Path $Sandbox.Home '.local/share/powershell/Modules'
		if (-not [System.IO.Directory]::Exists($userModules)) {
			[void][System.IO.Directory]::CreateDirectory((Split-Path -Parent $userModules))
			[void][System.IO.Directory]::CreateSymbolicLink($userModules, $Modules)
		}
		foreach ($k in 'PSModulePath', 'XDG_DATA_HOME') { [void]$psi.Environment.Remove($k) }
		$psi.Environment['PKISHIM_BIN'] = $script:Bin
	}
	$psi.Environment['NO_COLOR'] = '1'
	$psi.Environment['__SuppressAnsiEscapeSequences'] = '1'
	$psi.Environment['TERM'] = 'dumb'
	foreach ($k in 'PKISHIM_OUTPUT', 'PKISHIM_PASSWORD_FD', 'PKISHIM_STORE_ROOT') { [void]$psi.Environment.Remove($k) }
	if (-not $NoStoreRoot) { $psi.Environment['PKISHIM_STORE_ROOT'] = $Sandbox.Stores }
	foreach ($k in $Environment.Keys) {
		if ($null -eq $Environment[$k]) { [void]$psi.Environment.Remove($k) } else { $psi.Environment[$k] = [string]$Environment[$k] }
	}
	$p = [System.Diagnostics.Process]::Start($psi)
	$p.StandardInput.Close()
	$out = $p.StandardOutput.ReadToEndAsync()
	$err = $p.StandardError.ReadToEndAsync()
	$p.WaitForExit()
	$result = [pscustomobject]@{
		ExitCode = $p.ExitCode
		Out = $out.GetAwaiter().GetResult()
		Err = $err.GetAwaiter().GetResult()
	}
	$p.Dispose()
	return $result
}

# Installs the build (cmake --install) into the sandbox's ~/.local, the prefix a
# user without root picks: pwsh searches its share/powershell/Modules by itself.
function Install-TestPrefix {
	param([Parameter(Mandatory)] $Sandbox)
	if (-not $env:PKISHIM_BUILD) { throw 'Run through ctest: PKISHIM_BUILD is missing.' }
	$prefix = Join-Path $Sandbox.Home '.local'
	if ([System.IO.Directory]::Exists((Join-Path $prefix 'share/powershell/Modules'))) {
		throw 'This sandbox already runs the build''s modules; give the install a sandbox of its own.'
	}
	$log = & cmake --install $env:PKISHIM_BUILD --prefix $prefix 2>&1
	if ($LASTEXITCODE -ne 0) { throw "cmake --install failed: $log" }
	return $prefix
}

# A stand-in executable for the runtime tests: records its argv, environment
# and stdin as the kernel sees them (/proc/<pid>/cmdline, /proc/<pid>/environ),
# then prints $FAKE_STDOUT's and $FAKE_STDERR's contents and exits $FAKE_EXIT.
function New-FakeBin {
	param([Parameter(Mandatory)] $Sandbox, [Parameter(Mandatory)] [string[]] $Names, [string] $TableDir)
	$dir = Join-Path $Sandbox.Root 'fakebin'
	$null = New-Item -ItemType Directory -Force -Path $dir
	$log = Join-Path $Sandbox.Root 'fakelog'
	$null = New-Item -ItemType Directory -Force -Path $log
	$body = @'
#!/bin/bash
if [ "${1:-}" = --pkishim-json ]; then cat "@TABLES@/${0##*/}.json"; exit 0; fi
log="${FAKE_LOG:?}"
n=$(ls "$log" | grep -c '\.cmdline$')
base="$log/$n"
cat /proc/$$/cmdline > "$base.cmdline"
cat /proc/$$/environ > "$base.environ"
pwd > "$base.cwd"
if [ -n "${PKISHIM_PASSWORD_FD:-}" ]; then cat <&"$PKISHIM_PASSWORD_FD" > "$base.stdin"; fi
[ -n "${FAKE_STDOUT:-}" ] && cat "$FAKE_STDOUT"
[ -n "${FAKE_STDERR:-}" ] && cat "$FAKE_STDERR" >&2
exit "${FAKE_EXIT:-0}"
'@
	foreach ($n in $Names) {
		$file = Join-Path $dir $n
		[System.IO.File]::WriteAllText($file, $body.Replace("`r`n", "`n").Replace('@TABLES@', $TableDir))
		& chmod 755 $file
	}
	return [pscustomobject]@{ Dir = $dir; Log = $log }
}

# Builds a PkiShim module from the executables (or stand-ins) in -BinDir as the build
# does (ps/CMakeLists.txt): Build-PkiShimModule.ps1 writes the module files and the
# cmdlets' C#, dotnet build compiles PkiShim.Commands.dll into the module directory,
# and, with -Help, Build-PkiShimHelp.ps1 writes its MAML help beside it. Returns the
# module directory; throws with the tools' output when a step fails.
function Build-TestModule {
	param(
		[Parameter(Mandatory)] [string] $BinDir,
		# The module directory to write (…/PkiShim).
		[Parameter(Mandatory)] [string] $OutDir,
		# Scratch space for the generated C# and dotnet's artifacts.
		[Parameter(Mandatory)] [string] $WorkDir,
		[string[]] $Command,
		[switch] $TargetWindows,
		[switch] $Help
	)
	$null = New-Item -ItemType Directory -Force -Path $WorkDir
	$csharp = Join-Path $WorkDir 'PkiShim.Commands.g.cs'
	$arguments = @('-NoProfile', '-NonInteractive', '-File', (Join-Path $script:Src 'ps/Build-PkiShimModule.ps1'),
		'-BinDir', $BinDir, '-OutDir', $OutDir, '-CSharpFile', $csharp)
	if ($Command) { $arguments += @('-Command', ($Command -join ',')) }
	if ($TargetWindows) { $arguments += '-TargetWindows' }
	$log = & $script:Pwsh @arguments 2>&1
	if ($LASTEXITCODE -ne 0) { throw "Build-PkiShimModule.ps1 failed ($LASTEXITCODE): $($log -join "`n")" }

	$dotnet = if ($env:PKISHIM_DOTNET) { $env:PKISHIM_DOTNET } else {
		(Get-Command dotnet -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source
	}
	$saved = @{}
	foreach ($k in 'DOTNET_CLI_TELEMETRY_OPTOUT', 'DOTNET_NOLOGO', 'DOTNET_SKIP_FIRST_TIME_EXPERIENCE') {
		$saved[$k] = [Environment]::GetEnvironmentVariable($k)
		[Environment]::SetEnvironmentVariable($k, '1')
	}
	try {
		$log = & $dotnet build (Join-Path $script:Src 'ps/Commands/PkiShim.Commands.csproj') -c Release -o $OutDir `
			--artifacts-path (Join-Path $WorkDir 'artifacts') --nologo -v quiet "-p:GeneratedCommands=$csharp" 2>&1
		if ($LASTEXITCODE -ne 0) { throw "dotnet build of the cmdlets failed ($LASTEXITCODE): $($log -join "`n")" }
	} finally {
		foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
	}

	if ($Help) {
		$arguments = @('-NoProfile', '-NonInteractive', '-File', (Join-Path $script:Src 'ps/Build-PkiShimHelp.ps1'),
			'-BinDir', $BinDir, '-OutFile', (Join-Path $OutDir 'PkiShim.Commands.dll-Help.xml'))
		if ($Command) { $arguments += @('-Command', ($Command -join ',')) }
		$log = & $script:Pwsh @arguments 2>&1
		if ($LASTEXITCODE -ne 0) { throw "Build-PkiShimHelp.ps1 failed ($LASTEXITCODE): $($log -join "`n")" }
	}
	return $OutDir
}

# What the fake recorded for its n-th run: argv after the script name, environment, stdin.
function Get-FakeRun {
	param([Parameter(Mandatory)] $Fake, [int] $Index = 0)
	$base = Join-Path $Fake.Log $Index
	$raw = [System.IO.File]::ReadAllText("$base.cmdline")
	$cmdline = $raw.Substring(0, $raw.Length - 1).Split([char]0)   # each argument ends with a NUL
	$stdin = if ([System.IO.File]::Exists("$base.stdin")) { [System.IO.File]::ReadAllText("$base.stdin") } else { $null }
	return [pscustomobject]@{
		CmdlineRaw = [System.IO.File]::ReadAllText("$base.cmdline")
		Argv = @($cmdline | Select-Object -Skip 2)   # bash, the script, then its arguments
		EnvironRaw = [System.IO.File]::ReadAllText("$base.environ")
		Stdin = $stdin
		Cwd = [System.IO.File]::ReadAllText("$base.cwd").Trim()
	}
}

function Get-FakeRunCount([Parameter(Mandatory)] $Fake) {
	@(Get-ChildItem -LiteralPath $Fake.Log -Filter '*.cmdline').Count
}

# openssl's view of a file, for checks independent of pkishim and .NET.
function Invoke-OpenSsl {
	param([string[]] $Arguments)
	$out = & openssl @Arguments 2>&1
	return [pscustomobject]@{ ExitCode = $LASTEXITCODE; Out = ($out | ForEach-Object { "$_" }) -join "`n" }
}

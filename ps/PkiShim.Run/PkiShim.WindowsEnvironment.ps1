# PkiShim.WindowsEnvironment.ps1: the Windows environment that scripts written
# for Windows assume (issue 16), for `pkishim run`, Invoke-PkiShimScript and
# CI jobs that set PKISHIM_WINDOWS_ENV=1: drive letters as FileSystem drives
# mapped to folders, and the Windows environment variables, each set only
# where it is unset and each said once on stderr. Dot-sourced by
# pkishim-run.ps1, by PkiShim.Run.psm1 and by the Microsoft.PowerShell.Security
# module that carries Cert: (ScriptsToProcess); it defines functions only.

# Where drive X: lives unless --drive X=DIR says otherwise: predictable, per
# user, never '/': ${XDG_DATA_HOME:-~/.local/share}/pkishim/drives/X.
function Get-PkiShimDriveRoot {
	param([string] $Root)
	if ($Root) { return [System.IO.Path]::GetFullPath($Root) }
	$data = if ($env:XDG_DATA_HOME) { $env:XDG_DATA_HOME } else { Join-Path $HOME '.local/share' }
	return Join-Path $data 'pkishim/drives'
}

# The drive letters a script names in its strings and bare words (C:\temp,
# c:\cert.pfx, 'D:/x', cd E:), found by PowerShell's own parser.
function Get-PkiShimScriptDriveLetter {
	param([Parameter(Mandatory)] [string] $Path)
	$tokens = $null
	$errors = $null
	$ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $tokens, [ref] $errors)
	$texts = $ast.FindAll({
			param($node)
			$node -is [System.Management.Automation.Language.StringConstantExpressionAst] -or
			$node -is [System.Management.Automation.Language.ExpandableStringExpressionAst]
		}, $true) | ForEach-Object Value
	$letters = foreach ($text in $texts) {
		# One letter, not part of a word, a variable ($c:) or a scheme (http://).
		foreach ($m in [regex]::Matches([string]$text, '(?<![\w$:])([A-Za-z]):(?=[\\/]|$)')) {
			$m.Groups[1].Value.ToUpperInvariant()
		}
	}
	return @($letters | Sort-Object -Unique)
}

# "C=/dir" items (PKISHIM_DRIVES separates them with ';') -> @{ C = '/dir' }.
function ConvertFrom-PkiShimDriveSpec {
	param([string[]] $Spec)
	$map = [ordered]@{}
	foreach ($item in $Spec) {
		foreach ($part in ($item -split ';')) {
			if ($part -eq '') { continue }
			if ($part -notmatch '^\s*([A-Za-z]):?(?:=(.*))?$') {
				throw "'$part' is not a drive mapping: write a letter and a folder, e.g. C=/srv/c, or a letter alone."
			}
			$map[$Matches[1].ToUpperInvariant()] = if ($Matches[2]) { [System.IO.Path]::GetFullPath($Matches[2]) } else { $null }
		}
	}
	return $map
}

# The variables Windows scripts read, with their values here.
function Get-PkiShimWindowsVariable {
	param([Parameter(Mandatory)] [string] $SystemDriveRoot)
	$config = if ($env:XDG_CONFIG_HOME) { $env:XDG_CONFIG_HOME } else { Join-Path $HOME '.config' }
	$data = if ($env:XDG_DATA_HOME) { $env:XDG_DATA_HOME } else { Join-Path $HOME '.local/share' }
	$temp = [System.IO.Path]::GetTempPath().TrimEnd('/')
	return [ordered]@{
		TEMP = $temp
		TMP = $temp
		USERPROFILE = $HOME
		COMPUTERNAME = [System.Environment]::MachineName.ToUpperInvariant()
		USERNAME = [System.Environment]::UserName
		APPDATA = $config
		LOCALAPPDATA = $data
		ProgramData = Join-Path $SystemDriveRoot 'ProgramData'
		SystemDrive = 'C:'
	}
}

<#
Sets up the Windows environment in the global session state: drive C: always
(it is $env:SystemDrive), every letter the script names, and every letter of
-Drive (LETTER=DIR maps a letter to a folder, a LETTER alone to the default
folder); then the variables, where unset. Drives that exist are kept. Says
each thing it sets on stderr unless -Quiet; returns the drives as
"C=/dir;D=/dir2" (PKISHIM_DRIVES' form).
#>
function Initialize-PkiShimWindowsEnvironment {
	param([string] $ScriptPath, [string[]] $Drive = @(), [string] $DriveRoot, [switch] $Quiet)

	$said = [System.Collections.Generic.List[string]]::new()
	$root = Get-PkiShimDriveRoot $DriveRoot
	$wanted = [ordered]@{ C = $null }
	if ($ScriptPath) { foreach ($l in (Get-PkiShimScriptDriveLetter $ScriptPath)) { $wanted[$l] = $null } }
	$given = ConvertFrom-PkiShimDriveSpec $Drive
	foreach ($l in $given.Keys) { $wanted[$l] = $given[$l] }

	$mapped = foreach ($letter in $wanted.Keys) {
		$existing = Get-PSDrive -Name $letter -PSProvider FileSystem -Scope Global -ErrorAction Ignore
		if ($null -ne $existing) { "$letter=$($existing.Root)"; continue }
		$dir = if ($wanted[$letter]) { $wanted[$letter] } else { Join-Path $root $letter }
		[void][System.IO.Directory]::CreateDirectory($dir)
		$null = New-PSDrive -Name $letter -PSProvider FileSystem -Root $dir -Scope Global
		$said.Add("drive ${letter}: is $dir")
		"$letter=$dir"
	}
	$systemRoot = (Get-PSDrive -Name C -PSProvider FileSystem -Scope Global).Root
	$variables = Get-PkiShimWindowsVariable -SystemDriveRoot $systemRoot
	foreach ($name in $variables.Keys) {
		if ([System.Environment]::GetEnvironmentVariable($name)) { continue }
		[System.Environment]::SetEnvironmentVariable($name, $variables[$name])
		$said.Add("`$env:$name is $($variables[$name])")
	}
	if ($variables['ProgramData'] -eq $env:ProgramData) {
		[void][System.IO.Directory]::CreateDirectory($env:ProgramData)
	}
	if (-not $Quiet) { foreach ($line in $said) { [Console]::Error.WriteLine("pkishim: $line") } }
	return ($mapped -join ';')
}

# For `pwsh -File script.ps1` with PKISHIM_WINDOWS_ENV=1 (CI jobs, and the
# script that pkishim run starts): the script is the -File argument (or the
# .ps1 a -Command names, as GitHub's `shell: pwsh` does), the drives
# PKISHIM_DRIVES, their folder PKISHIM_DRIVE_ROOT; PKISHIM_WINDOWS_ENV_QUIET=1
# when pkishim run has said it all already. Once per process.
function Initialize-PkiShimWindowsEnvironmentFromVariables {
	if ($env:PKISHIM_WINDOWS_ENV -ne '1') { return }
	$domain = [System.AppDomain]::CurrentDomain
	if ($domain.GetData('PkiShim.WindowsEnvironment')) { return }
	$domain.SetData('PkiShim.WindowsEnvironment', $true)
	$arguments = [System.Environment]::GetCommandLineArgs()
	$script = $null
	for ($i = 1; $i -lt $arguments.Count; $i++) {
		if ($arguments[$i] -match '^-(?:f|fi|fil|file)$' -and $i + 1 -lt $arguments.Count) {
			$script = $arguments[$i + 1]
			break
		}
		if ($arguments[$i] -match "([^'`"\s]+\.ps1)") { $script = $Matches[1] }
	}
	if ($script -and -not [System.IO.File]::Exists($script)) { $script = $null }
	$null = Initialize-PkiShimWindowsEnvironment -ScriptPath $script -Drive @($env:PKISHIM_DRIVES) `
		-DriveRoot $env:PKISHIM_DRIVE_ROOT -Quiet:($env:PKISHIM_WINDOWS_ENV_QUIET -eq '1')
}

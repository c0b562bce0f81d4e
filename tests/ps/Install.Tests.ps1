# What users install, the way they run it (issue 11): cmake --install into a
# fresh prefix, only what the install puts on PATH on PATH, and scripts started
# with pwsh -NoProfile -File. pwsh runs an executable found on PATH before it
# autoloads a module, so the cmdlet names must resolve to PkiShim's (compiled) cmdlets.

BeforeAll {
	. (Join-Path $PSScriptRoot 'PkiShimTestLib.ps1')
	$script:sandbox = New-TestSandbox
	$script:prefix = Install-TestPrefix $sandbox
	$script:names = @(Get-TestCommandNames)
}

AfterAll {
	Remove-TestSandbox $script:sandbox
}

Describe 'the install layout' {
	It 'puts the front command alone on PATH and the commands in libexec/pkishim' {
		@(Get-ChildItem -LiteralPath (Join-Path $prefix 'bin') -Name) | Should -Be @('pkishim')
		foreach ($n in $names) {
			[System.IO.File]::Exists((Join-Path $prefix "libexec/pkishim/$n")) | Should -BeTrue -Because $n
		}
	}

	It 'installs the module where pwsh looks for a user''s modules' {
		foreach ($f in 'PkiShim/PkiShim.psd1', 'PkiShim/PkiShim.Commands.dll', 'PkiShim/PkiShim.Commands.dll-Help.xml',
		               'PkiShim/PkiShim.Config.psd1', 'PkiShim.Run/PkiShim.Run.psd1', 'PkiShim.Run/PkiShim.Run.psm1',
		               'PkiShim.Run/PkiShim.WindowsEnvironment.ps1') {
			[System.IO.File]::Exists((Join-Path $prefix "share/powershell/Modules/$f")) | Should -BeTrue -Because $f
		}
	}
}

Describe 'a fresh pwsh session of the installed prefix' {
	It 'resolves every cmdlet name to a PkiShim cmdlet, with <Switches>' -ForEach @(
		@{ Switches = '-NoProfile -File' },
		@{ Switches = '-NoProfile -NonInteractive -File' }
	) {
		$list = ($names | ForEach-Object { "'$_'" }) -join ','
		$script = "foreach (`$n in $list) { `$c = Get-Command `$n; '{0} {1} {2}' -f `$n, `$c.CommandType, `$c.Source }"
		$run = Invoke-TestPwsh -Sandbox $sandbox -Script $script -Installed $prefix
		$run.ExitCode | Should -Be 0 -Because $run.Err
		$lines = @($run.Out -split "`n" | Where-Object { $_ })
		$lines.Count | Should -Be $names.Count
		foreach ($line in $lines) { $line | Should -Match '^\S+ Cmdlet PkiShim$' }
	}

	It 'runs the front command from pwsh too' {
		$run = Invoke-TestPwsh -Sandbox $sandbox -Script "pkishim --list" -Installed $prefix
		$run.ExitCode | Should -Be 0 -Because $run.Err
		@($run.Out -split "`n" | Where-Object { $_ }) | Should -Be $names
	}
}

Describe 'the acceptance script from the installed prefix' {
	BeforeAll {
		$script:run = Invoke-TestPwsh -Sandbox $sandbox -Installed $prefix `
			-ScriptFile (Join-Path $script:Shared 'scripts/cloud-services-certificates.ps1')
		$script:pfx = Join-Path $sandbox.Work 'my-cert-file.pfx'
		$script:cer = Join-Path $sandbox.Work 'my-cert-file.cer'
	}

	It 'runs unchanged without an error' {
		$run.ExitCode | Should -Be 0 -Because $run.Err
		$run.Err | Should -BeNullOrEmpty
	}

	It 'writes a PFX that opens with the script''s password, and its certificate' {
		$password = ConvertTo-SecureString -String 'your-password' -Force -AsPlainText
		$fromPfx = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($pfx, $password)
		$fromPfx.HasPrivateKey | Should -BeTrue
		$fromCer = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($cer)
		$fromCer.Thumbprint | Should -Be $fromPfx.Thumbprint
		$fromCer.Subject | Should -Be 'CN=yourdomain.cloudapp.net'
	}
}

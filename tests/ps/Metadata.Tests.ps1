# Every compiled cmdlet (ps/Commands + the generated PkiShim.Commands.g.cs) has
# exactly its executable's parameter table (--pkishim-json): names, aliases,
# types, positions, sets, mandatory flags, pipeline binding, validation; the
# Windows cmdlet's class name; its MAML help; plus manifest and platform rules.

BeforeDiscovery {
	. (Join-Path $PSScriptRoot 'PkiShimTestLib.ps1')
	$commands = @(Get-TestCommandNames | ForEach-Object { @{ Name = $_ } })
	$examples = Import-PowerShellDataFile -LiteralPath (Join-Path $script:Src 'ps/help/PkiShim.Examples.psd1')
	$withUri = @($examples.Keys | Where-Object { $examples[$_].ContainsKey('HelpUri') -and (Test-CommandBuilt $_) } |
		Sort-Object | ForEach-Object { @{ Name = $_ } })
	$parameters = @(foreach ($name in (Get-TestCommandNames)) {
		foreach ($p in (Get-TestTable $name).parameters) { @{ Command = $name; Parameter = $p.name } }
	})
}

BeforeAll {
	. (Join-Path $PSScriptRoot 'PkiShimTestLib.ps1')
	$env:PSModulePath = $script:Modules + [System.IO.Path]::PathSeparator + $env:PSModulePath
	Import-Module PkiShim -Force

	$script:common = [System.Management.Automation.PSCmdlet]::CommonParameters +
		[System.Management.Automation.PSCmdlet]::OptionalCommonParameters
	$script:examples = Import-PowerShellDataFile -LiteralPath (Join-Path $script:Src 'ps/help/PkiShim.Examples.psd1')

	# The .NET class of each Windows cmdlet, whose name ends a compiled cmdlet's error ids
	# (pki-cmdlets.md §1; PowerShell's source for Get-PfxCertificate); pkishim's own
	# commands are PkiShim.Commands.<Verb><Noun>Command.
	$script:windowsClasses = @{
		'New-SelfSignedCertificate' = 'Microsoft.CertificateServices.Commands.NewSelfSignedCertificateCommand'
		'Export-PfxCertificate' = 'Microsoft.CertificateServices.Commands.ExportPfxCertificate'
		'Import-PfxCertificate' = 'Microsoft.CertificateServices.Commands.ImportPfxCertificate'
		'Export-Certificate' = 'Microsoft.CertificateServices.Commands.ExportCertificateCommand'
		'Import-Certificate' = 'Microsoft.CertificateServices.Commands.ImportCertificateCommand'
		'Get-PfxData' = 'Microsoft.CertificateServices.Commands.GetPfxDataCommand'
		'Test-Certificate' = 'Microsoft.CertificateServices.Commands.TestCertificateCommand'
		'Get-PfxCertificate' = 'Microsoft.PowerShell.Commands.GetPfxCertificateCommand'
	}

	function Get-ExpectedType($p) {
		switch ($p.kind) {
			'switch' { return [System.Management.Automation.SwitchParameter] }
			'secure' { return [securestring] }
			'datetime' { return [datetime] }
			'int' { return [int] }
			'string' { return [string] }
			'path' { return [string] }
			'strings' { return [string[]] }
			# Windows' own type (a PSTypeConverter takes strings, X509Certificate2 objects, files).
			'cert' { if ($p.type -like '*[[]]') { return [Microsoft.CertificateServices.Commands.Certificate[]] }
			         return [Microsoft.CertificateServices.Commands.Certificate] }
			'enum' { if ($p.validateSet) { return [string] } return ($p.type -as [type]) }
			'enums' { if ($p.validateSet) { return [string[]] } return ($p.type -as [type]) }
			default { if ($p.type -as [type]) { return ($p.type -as [type]) } return [object] }
		}
	}

	# The sets a parameter is in, as PowerShell names them.
	function Get-ExpectedSets($table, $p) {
		$all = @($table.parameterSets)
		if (@($p.sets).Count -gt 0) { return @($p.sets | Sort-Object) }
		$mandatory = @($p.mandatorySets)
		if ($mandatory.Count -eq 0 -or $mandatory -contains '__AllParameterSets' -or
		    @($all | Where-Object { $mandatory -notcontains $_ }).Count -eq 0) {
			return @('__AllParameterSets')
		}
		return @($all | Sort-Object)
	}
}

AfterAll {
	Remove-Module PkiShim -Force -ErrorAction Ignore
}

Describe 'The compiled cmdlet for <Name>' -ForEach $commands {
	BeforeAll {
		$table = Get-TestTable $Name
		$command = Get-Command -Name $Name -Module PkiShim
	}

	It 'is exported by the module and listed in the manifest for autoloading' {
		$command.CommandType | Should -Be 'Cmdlet'
		$command.Source | Should -Be 'PkiShim'
		$manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $script:Modules 'PkiShim/PkiShim.psd1')
		$manifest.CmdletsToExport | Should -Contain $Name
		$manifest.FunctionsToExport | Should -Not -Contain $Name
	}

	It 'is the Windows cmdlet''s class (else PkiShim.Commands.VerbNounCommand), in PkiShim.Commands.dll' {
		$expected = if ($windowsClasses.ContainsKey($Name)) { $windowsClasses[$Name] } else { 'PkiShim.Commands.' + ($Name -replace '-', '') + 'Command' }
		$command.ImplementingType.FullName | Should -BeExactly $expected
		$command.ImplementingType.Assembly.GetName().Name | Should -Be 'PkiShim.Commands'
		[System.IO.Path]::GetFileName($command.DLL) | Should -Be 'PkiShim.Commands.dll'
	}

	It 'has the same parameters in the same order, and no others' {
		$own = @($command.Parameters.Keys | Where-Object { $script:common -notcontains $_ })
		$own | Should -Be @($table.parameters.name)
	}

	It 'binds by position only where the table gives one (no parameter, common ones included, has another)' {
		# A compiled cmdlet has no PositionalBinding switch: a parameter is positional
		# exactly when its [Parameter()] says Position, so every position must be the table's.
		$positions = @{}
		foreach ($p in $table.parameters) { $positions[$p.name] = $p.position }
		foreach ($meta in $command.Parameters.Values) {
			foreach ($set in $meta.ParameterSets.Keys) {
				$position = $meta.ParameterSets[$set].Position
				if ($positions.ContainsKey($meta.Name) -and $positions[$meta.Name] -ge 0) {
					$position | Should -Be $positions[$meta.Name] -Because "-$($meta.Name) in set $set"
				} else {
					$position | Should -Be ([int]::MinValue) -Because "-$($meta.Name) has no position in the table (set $set)"
				}
			}
		}
		# So an argument beyond the positions is refused by PowerShell's binder, never passed on.
		$maxPosition = @($table.parameters | ForEach-Object position | Measure-Object -Maximum).Maximum
		$extra = @(0..($maxPosition + 1) | ForEach-Object { "arg$_" })
		{ & $Name @extra -ErrorAction Stop } | Should -Throw -ErrorId 'PositionalParameterNotFound,*'
	}

	It 'has the default parameter set and ShouldProcess support of the table' {
		$expected = if ($table.defaultParameterSet -eq '__AllParameterSets') { '__AllParameterSets' } else { $table.defaultParameterSet }
		# A set whose ByValue parameter is a PKI class (Export-PfxCertificate's -PFXData) is the
		# module's default, so a piped PfxData binds (ps/PkiShim.Tables.ps1, Get-PkiShimDefaultSet).
		$typed = @($table.parameters | Where-Object { $_.pipelineByValue -and $_.kind -eq 'object' -and
			$_.type -like 'Microsoft.CertificateServices.Commands.*' -and @($_.sets).Count -eq 1 })
		if ($typed.Count -gt 0) { $expected = @($typed[0].sets)[0] }
		$command.DefaultParameterSet | Should -Be $(if ($expected -eq '__AllParameterSets') { $null } else { $expected })
		($command.Parameters.ContainsKey('WhatIf')) | Should -Be ([bool]$table.supportsShouldProcess)
	}

	It 'has the parameter sets of the table' {
		if (@($table.parameterSets).Count -gt 0) {
			@($command.ParameterSets.Name | Sort-Object) | Should -Be @($table.parameterSets | Sort-Object)
		} else {
			@($command.ParameterSets).Count | Should -Be 1
		}
	}

	It 'takes its help from the MAML file beside the assembly' {
		(Get-Help -Name "PkiShim\$Name").Name | Should -Be $Name
		$command.HelpFile | Should -BeLike '*PkiShim.Commands.dll-Help.xml'
		[System.IO.File]::Exists((Join-Path (Split-Path -Parent $command.DLL) 'PkiShim.Commands.dll-Help.xml')) | Should -BeTrue
	}

	It 'shows every example of PkiShim.Examples.psd1, in order, with Get-Help -Examples' {
		$expected = @($examples[$Name].Examples)
		$expected.Count | Should -BeGreaterOrEqual 2 -Because 'every command has examples written for this project'
		$shown = @((Get-Help -Name "PkiShim\$Name" -Examples).examples.example)
		$shown.Count | Should -Be $expected.Count
		for ($i = 0; $i -lt $expected.Count; $i++) {
			($shown[$i].code -replace '\r\n', "`n").Trim() | Should -BeExactly (($expected[$i].Code -replace '\r\n', "`n").Trim())
			($shown[$i].remarks.Text -join ' ') | Should -BeLike ('*' + [WildcardPattern]::Escape($expected[$i].Remarks.Trim()) + '*')
		}
	}

	It 'shows its synopsis and every parameter''s help in Get-Help' {
		$help = Get-Help -Name $Name -Full
		$help.Synopsis | Should -Be $table.synopsis
		foreach ($p in $table.parameters) {
			$text = ($help.parameters.parameter | Where-Object name -eq $p.name).description.Text -join ' '
			if ($p.help) { $text | Should -BeLike ('*' + [WildcardPattern]::Escape($p.help) + '*') }
		}
	}
}

Describe 'The online help of <Name>' -ForEach $withUri {
	It 'is the HelpUri of the cmdlet and the MAML file''s online link, as the examples psd1 says' {
		$uri = $examples[$Name].HelpUri
		(Get-Command -Name $Name -Module PkiShim).HelpUri | Should -BeExactly $uri
		$links = @((Get-Help -Name "PkiShim\$Name").relatedLinks.navigationLink | Where-Object { $_.PSObject.Properties['uri'] -and $_.uri })
		$links.Count | Should -Be 1
		$links[0].uri | Should -BeExactly $uri
	}
}

Describe 'Parameter help' {
	It 'shows a parameter''s aliases in Get-Help -Parameter' {
		Get-Help -Name Export-PfxCertificate -Parameter Cert | Out-String | Should -Match 'Aliases\s+PsPath'
		Get-Help -Name Export-Certificate -Parameter FilePath | Out-String | Should -Match 'Aliases\s+FullName'
	}
}

Describe '<Command> -<Parameter>' -ForEach $parameters {
	BeforeAll {
		$table = Get-TestTable $Command
		$p = $table.parameters | Where-Object name -eq $Parameter
		$meta = (Get-Command -Name $Command -Module PkiShim).Parameters[$Parameter]
	}

	It 'has the table''s aliases' {
		@($meta.Aliases | Sort-Object) | Should -Be @($p.aliases | Sort-Object)
	}

	It 'has the PowerShell type for its kind' {
		$expected = Get-ExpectedType $p
		$expected | Should -Not -BeNullOrEmpty -Because "the module defines the enum type $($p.type)"
		$meta.ParameterType | Should -Be $expected
	}

	It 'is in the table''s parameter sets, mandatory and positioned as there' {
		@($meta.ParameterSets.Keys | Sort-Object) | Should -Be (Get-ExpectedSets $table $p)
		foreach ($set in $meta.ParameterSets.Keys) {
			$attr = $meta.ParameterSets[$set]
			$mandatory = @($p.mandatorySets)
			$expectMandatory = $mandatory -contains $set -or $mandatory -contains '__AllParameterSets' -or
				($set -eq '__AllParameterSets' -and $mandatory.Count -gt 0)
			$attr.IsMandatory | Should -Be $expectMandatory -Because "set $set"
			$attr.Position | Should -Be $(if ($p.position -ge 0) { $p.position } else { [int]::MinValue })
		}
	}

	It 'takes pipeline input as the table says' {
		foreach ($attr in $meta.ParameterSets.Values) {
			$attr.ValueFromPipeline | Should -Be ([bool]$p.pipelineByValue)
			$attr.ValueFromPipelineByPropertyName | Should -Be ([bool]$p.pipelineByPropertyName)
		}
	}

	It 'accepts exactly the table''s members (ValidateSet or enum)' {
		$members = @($p.members)
		$validateSet = $meta.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }
		if ($p.validateSet) {
			@($validateSet.ValidValues) | Should -Be $members
		} elseif ($p.kind -eq 'enum' -or $p.kind -eq 'enums') {
			$enum = if ($meta.ParameterType.IsArray) { $meta.ParameterType.GetElementType() } else { $meta.ParameterType }
			@([enum]::GetNames($enum)) | Should -Be $members
		} else {
			$validateSet | Should -BeNullOrEmpty
		}
	}

	It 'validates emptiness and wildcards as the table says' {
		[bool]($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateNotNullOrEmptyAttribute] }) |
			Should -Be ([bool]$p.notNullOrEmpty)
		[bool]($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }) |
			Should -Be ([bool]$p.wildcards)
	}
}

Describe 'The module on each platform' {
	It 'keeps the Windows cmdlets and the Cert: drive for Windows when built for it' {
		$sandbox = New-TestSandbox
		try {
			$csharp = Join-Path $sandbox.Root 'PkiShim.Commands.g.cs'
			& $script:Pwsh -NoProfile -NonInteractive -File (Join-Path $script:Src 'ps/Build-PkiShimModule.ps1') `
				-BinDir $script:Bin -OutDir (Join-Path $sandbox.Root 'PkiShim') -CSharpFile $csharp -TargetWindows
			$LASTEXITCODE | Should -Be 0
			$manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $sandbox.Root 'PkiShim/PkiShim.psd1')
			$shadows = 'New-SelfSignedCertificate', 'Export-PfxCertificate', 'Export-Certificate',
			           'Import-PfxCertificate', 'Import-Certificate', 'Get-PfxCertificate', 'Get-PfxData', 'Test-Certificate',
			           'Get-StoreCertificate', 'Remove-StoreCertificate', 'Get-ChildItem', 'Get-Item', 'Remove-Item', 'Test-Path'
			foreach ($shadow in $shadows) {
				$manifest.CmdletsToExport | Should -Not -Contain $shadow
				$manifest.FunctionsToExport | Should -Not -Contain $shadow
			}
			# pkishim's own commands stay, as cmdlets; Invoke-PkiShimScript is for Linux and macOS.
			$own = @(Get-TestCommandNames | Where-Object { $shadows -notcontains $_ })
			$own.Count | Should -BeGreaterThan 0
			@($manifest.CmdletsToExport | Sort-Object) | Should -Be $own
			@($manifest.FunctionsToExport) | Should -BeNullOrEmpty
			# The C# still declares every command (the module's root assembly is the same).
			$code = [System.IO.File]::ReadAllText($csharp)
			foreach ($n in (Get-TestCommandNames)) {
				$verb, $noun = $n -split '-', 2
				$code | Should -Match ([regex]::Escape('[Cmdlet(@"' + $verb + '", @"' + $noun + '"')) -Because $n
			}
		} finally {
			Remove-TestSandbox $sandbox
		}
	}

	It 'shadows no built-in command: Cert: is a provider, not proxy functions' {
		$manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $script:Modules 'PkiShim/PkiShim.psd1')
		foreach ($builtin in 'Get-ChildItem', 'Get-Item', 'Remove-Item', 'Test-Path') {
			$manifest.FunctionsToExport | Should -Not -Contain $builtin
			$manifest.CmdletsToExport | Should -Not -Contain $builtin
		}
		# Every command is a compiled cmdlet, in a binary module with no script part (nothing
		# to parse on a first call); Invoke-PkiShimScript is the one function, in PkiShim.Run.
		@($manifest.FunctionsToExport) | Should -BeNullOrEmpty
		$manifest.RootModule | Should -Be 'PkiShim.Commands.dll'
		$manifest.ContainsKey('NestedModules') | Should -BeFalse
		@($manifest.CmdletsToExport | Sort-Object) | Should -Be @(Get-TestCommandNames)
		@(Get-Command -Module PkiShim -CommandType Function) | Should -BeNullOrEmpty
		$run = Import-PowerShellDataFile -LiteralPath (Join-Path $script:Modules 'PkiShim.Run/PkiShim.Run.psd1')
		@($run.FunctionsToExport) | Should -Be @('Invoke-PkiShimScript')
	}

	It 'carries the provider in a Microsoft.PowerShell.Security module that keeps the real one''s cmdlets' {
		$security = Import-PowerShellDataFile -LiteralPath (Join-Path $script:Modules 'Microsoft.PowerShell.Security/Microsoft.PowerShell.Security.psd1')
		$real = Import-PowerShellDataFile -LiteralPath (Join-Path $PSHOME 'Modules/Microsoft.PowerShell.Security/Microsoft.PowerShell.Security.psd1')
		$security.GUID | Should -Be $real.GUID
		$security.ModuleVersion | Should -Be $real.ModuleVersion
		$security.RootModule | Should -Be 'PkiShim.Provider.dll'
		foreach ($c in @($real.CmdletsToExport | Where-Object { $_ -ne 'Get-PfxCertificate' })) {
			$security.CmdletsToExport | Should -Contain $c
		}
		$security.RequiredModules | Should -Contain 'Microsoft.PowerShell.Management'
	}
}

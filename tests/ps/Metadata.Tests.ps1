# Every generated function has exactly its executable's parameter table
# (--pkishim-json): names, aliases, types, positions, sets, mandatory flags,
# pipeline binding, validation; plus help, manifest and platform rules.

BeforeDiscovery {
	. (Join-Path $PSScriptRoot 'PkiShimTestLib.ps1')
	$commands = @(Get-TestCommandNames | ForEach-Object { @{ Name = $_ } })
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

	function Get-ExpectedType($p) {
		switch ($p.kind) {
			'switch' { return [System.Management.Automation.SwitchParameter] }
			'secure' { return [securestring] }
			'datetime' { return [datetime] }
			'int' { return [int] }
			'string' { return [string] }
			'path' { return [string] }
			'strings' { return [string[]] }
			'cert' { return [object] }
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

Describe 'The generated function for <Name>' -ForEach $commands {
	BeforeAll {
		$table = Get-TestTable $Name
		$command = Get-Command -Name $Name -Module PkiShim
	}

	It 'is exported by the module and listed in the manifest for autoloading' {
		$command.CommandType | Should -Be 'Function'
		$manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $script:Modules 'PkiShim/PkiShim.psd1')
		$manifest.FunctionsToExport | Should -Contain $Name
	}

	It 'has the same parameters in the same order, and no others' {
		$own = @($command.Parameters.Keys | Where-Object { $script:common -notcontains $_ })
		$own | Should -Be @($table.parameters.name)
	}

	It 'binds by name only where the cmdlet has no position (PositionalBinding off)' {
		$binding = $command.ScriptBlock.Attributes | Where-Object { $_ -is [System.Management.Automation.CmdletBindingAttribute] }
		$binding.PositionalBinding | Should -BeFalse
	}

	It 'has the default parameter set and ShouldProcess support of the table' {
		$expected = if ($table.defaultParameterSet -eq '__AllParameterSets') { '__AllParameterSets' } else { $table.defaultParameterSet }
		# A PSTypeName-typed ByValue parameter's set is the module's default (Build-PkiShimModule.ps1, ModuleDefaultSet).
		$typed = @($table.parameters | Where-Object { $_.pipelineByValue -and $_.kind -eq 'object' -and -not ($_.type -as [type]) -and @($_.sets).Count -eq 1 })
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

	It 'shows its synopsis and every parameter''s help in Get-Help' {
		$help = Get-Help -Name $Name -Full
		$help.Synopsis | Should -Be $table.synopsis
		foreach ($p in $table.parameters) {
			$text = ($help.parameters.parameter | Where-Object name -eq $p.name).description.Text -join ' '
			if ($p.help) { $text | Should -BeLike ('*' + [WildcardPattern]::Escape($p.help) + '*') }
		}
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
			& $script:Pwsh -NoProfile -NonInteractive -File (Join-Path $script:Src 'ps/Build-PkiShimModule.ps1') `
				-BinDir $script:Bin -OutDir (Join-Path $sandbox.Root 'PkiShim') -TargetWindows
			$LASTEXITCODE | Should -Be 0
			$exported = (Import-PowerShellDataFile -LiteralPath (Join-Path $sandbox.Root 'PkiShim/PkiShim.psd1')).FunctionsToExport
			foreach ($shadow in 'New-SelfSignedCertificate', 'Export-PfxCertificate', 'Export-Certificate',
			                    'Import-PfxCertificate', 'Import-Certificate', 'Get-PfxCertificate',
			                    'Get-ChildItem', 'Get-Item', 'Remove-Item', 'Test-Path') {
				$exported | Should -Not -Contain $shadow
			}
		} finally {
			Remove-TestSandbox $sandbox
		}
	}

	It 'shadows no built-in command: Cert: is a provider, not proxy functions' {
		$manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $script:Modules 'PkiShim/PkiShim.psd1')
		foreach ($builtin in 'Get-ChildItem', 'Get-Item', 'Remove-Item', 'Test-Path') {
			$manifest.FunctionsToExport | Should -Not -Contain $builtin
		}
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

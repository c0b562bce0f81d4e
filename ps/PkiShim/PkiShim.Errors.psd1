# PkiShim.Errors.psd1: the one table that turns the C core's error codes
# (crypto/error.h, pk_errname) into PowerShell error records. Data, not code:
# the module (New-PkiShimErrorRecord) and the C# Cert: provider read it alike.
#
# Codes.<name>:
#   Exception   the .NET exception type (scripts: catch [type])
#   Category    System.Management.Automation.ErrorCategory
#   ErrorId     the FullyQualifiedErrorId's first part; where Windows' cmdlet lets
#               a .NET exception through, Windows uses the exception's type name
#   Terminating $true: the command stops (ThrowTerminatingError); $false: the
#               failure concerns one input (a certificate, file or path) and is a
#               non-terminating WriteError, which -ErrorAction decides about
#   Message     (optional) Windows' text, instead of the core's
# Commands.<name>: the Windows cmdlet's .NET class, the second part of the id.
@{
	Codes = @{
		NotFound = @{
			# A missing Cert:\ path: the provider's ItemNotFoundException (PathNotFound).
			Exception = 'System.Management.Automation.ItemNotFoundException'
			Category = 'ObjectNotFound'; ErrorId = 'PathNotFound'; Terminating = $false
		}
		FileNotFound = @{
			Exception = 'System.IO.FileNotFoundException'
			Category = 'ObjectNotFound'; ErrorId = 'System.IO.FileNotFoundException'; Terminating = $false
		}
		DirectoryNotFound = @{
			# pki-cmdlets.md: Export-PfxCertificate into a missing folder gives
			# System.IO.DirectoryNotFoundException,Microsoft.CertificateServices.Commands.ExportPfxCertificate.
			Exception = 'System.IO.DirectoryNotFoundException'
			Category = 'ObjectNotFound'; ErrorId = 'System.IO.DirectoryNotFoundException'; Terminating = $false
		}
		PermissionDenied = @{
			# Observed: System.UnauthorizedAccessException,Microsoft.CertificateServices.Commands.ImportCertificateCommand.
			Exception = 'System.UnauthorizedAccessException'
			Category = 'PermissionDenied'; ErrorId = 'System.UnauthorizedAccessException'; Terminating = $false
		}
		WrongPassword = @{
			Exception = 'System.Security.Cryptography.CryptographicException'
			Category = 'AuthenticationError'; ErrorId = 'System.Security.Cryptography.CryptographicException'
			Terminating = $false; Message = 'The specified network password is not correct.'
		}
		NotExportable = @{
			# pki-cmdlets.md: scripts catch [System.ComponentModel.Win32Exception]; text verbatim.
			Exception = 'System.ComponentModel.Win32Exception'
			Category = 'InvalidOperation'; ErrorId = 'System.ComponentModel.Win32Exception'
			Terminating = $false; Message = 'Cannot export non-exportable private key.'
		}
		AlreadyExists = @{
			Exception = 'System.IO.IOException'
			Category = 'ResourceExists'; ErrorId = 'System.IO.IOException'; Terminating = $false
		}
		InvalidData = @{
			Exception = 'System.Security.Cryptography.CryptographicException'
			Category = 'InvalidData'; ErrorId = 'System.Security.Cryptography.CryptographicException'; Terminating = $false
		}
		IOError = @{
			Exception = 'System.IO.IOException'
			Category = 'WriteError'; ErrorId = 'System.IO.IOException'; Terminating = $false
		}
		LimitExceeded = @{
			Exception = 'System.IO.InvalidDataException'
			Category = 'LimitsExceeded'; ErrorId = 'System.IO.InvalidDataException'; Terminating = $false
		}
		CryptographicError = @{
			Exception = 'System.Security.Cryptography.CryptographicException'
			Category = 'NotSpecified'; ErrorId = 'System.Security.Cryptography.CryptographicException'; Terminating = $false
		}
		InvalidArgument = @{
			Exception = 'System.ArgumentException'
			Category = 'InvalidArgument'; ErrorId = 'System.ArgumentException'; Terminating = $true
		}
		NotSupported = @{
			Exception = 'System.PlatformNotSupportedException'
			Category = 'NotImplemented'; ErrorId = 'System.PlatformNotSupportedException'; Terminating = $true
		}
		OutOfMemory = @{
			Exception = 'System.OutOfMemoryException'
			Category = 'ResourceUnavailable'; ErrorId = 'System.OutOfMemoryException'; Terminating = $true
		}
		Unknown = @{
			Exception = 'System.InvalidOperationException'
			Category = 'NotSpecified'; ErrorId = 'PkiShimCommandFailed'; Terminating = $true
		}
	}
	Commands = @{
		'New-SelfSignedCertificate' = 'Microsoft.CertificateServices.Commands.NewSelfSignedCertificateCommand'
		'Export-PfxCertificate' = 'Microsoft.CertificateServices.Commands.ExportPfxCertificate'
		'Import-PfxCertificate' = 'Microsoft.CertificateServices.Commands.ImportPfxCertificate'
		'Export-Certificate' = 'Microsoft.CertificateServices.Commands.ExportCertificateCommand'
		'Import-Certificate' = 'Microsoft.CertificateServices.Commands.ImportCertificateCommand'
		'Get-PfxCertificate' = 'Microsoft.PowerShell.Commands.GetPfxCertificateCommand'
		'Get-StoreCertificate' = 'Microsoft.PowerShell.Commands.GetChildItemCommand'
		'Remove-StoreCertificate' = 'Microsoft.PowerShell.Commands.RemoveItemCommand'
	}
}

// ErrorTable.cs: the one table that turns the C core's error codes (crypto/error.h;
// their names are pk_errname's) into PowerShell error records. Compiled into the
// cmdlets' assembly (ps/Commands) and the Cert: provider's (ps/Provider) alike.
using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Security.Cryptography;

namespace PkiShim;

/// <summary>What a core error becomes in PowerShell.</summary>
/// <param name="Name">pk_errname's name for the code.</param>
/// <param name="NewException">The .NET exception scripts catch by type.</param>
/// <param name="Category">The record's category.</param>
/// <param name="ErrorId">The FullyQualifiedErrorId's first part; where Windows' cmdlet
/// lets a .NET exception through, Windows uses the exception's type name.</param>
/// <param name="Terminating">The command stops; otherwise the failure concerns one
/// input (a certificate, file or path) and -ErrorAction decides about it.</param>
/// <param name="WindowsText">Windows' message, used instead of the core's.</param>
internal sealed record ErrorKind(string Name, Func<string, Exception> NewException, ErrorCategory Category,
    string ErrorId, bool Terminating, string? WindowsText = null)
{
    public ErrorRecord Record(string message, object? target) =>
        new(NewException(WindowsText ?? message), ErrorId, Category, target);
}

internal static class ErrorTable
{
    // In crypto/error.h's order: code -1 is Kinds[1], and so on.
    private static readonly ErrorKind[] Kinds =
    {
        new("Unknown", m => new InvalidOperationException(m), ErrorCategory.NotSpecified, "PkiShimCommandFailed", true),
        new("InvalidArgument", m => new ArgumentException(m), ErrorCategory.InvalidArgument, "System.ArgumentException", true),
        new("OutOfMemory", m => new OutOfMemoryException(m), ErrorCategory.ResourceUnavailable, "System.OutOfMemoryException", true),
        new("IOError", m => new IOException(m), ErrorCategory.WriteError, "System.IO.IOException", false),
        // A missing Cert:\ path: the provider's ItemNotFoundException (PathNotFound).
        new("NotFound", m => new ItemNotFoundException(m), ErrorCategory.ObjectNotFound, "PathNotFound", false),
        new("AlreadyExists", m => new IOException(m), ErrorCategory.ResourceExists, "System.IO.IOException", false),
        new("InvalidData", m => new CryptographicException(m), ErrorCategory.InvalidData,
            "System.Security.Cryptography.CryptographicException", false),
        new("WrongPassword", m => new CryptographicException(m), ErrorCategory.AuthenticationError,
            "System.Security.Cryptography.CryptographicException", false, "The specified network password is not correct."),
        new("NotSupported", m => new PlatformNotSupportedException(m), ErrorCategory.NotImplemented,
            "System.PlatformNotSupportedException", true),
        // pki-cmdlets.md: scripts catch [System.ComponentModel.Win32Exception]; text verbatim.
        new("NotExportable", m => new System.ComponentModel.Win32Exception(m), ErrorCategory.InvalidOperation,
            "System.ComponentModel.Win32Exception", false, "Cannot export non-exportable private key."),
        new("CryptographicError", m => new CryptographicException(m), ErrorCategory.NotSpecified,
            "System.Security.Cryptography.CryptographicException", false),
        new("LimitExceeded", m => new InvalidDataException(m), ErrorCategory.LimitsExceeded,
            "System.IO.InvalidDataException", false),
        // pki-cmdlets.md: Export-PfxCertificate into a missing folder gives
        // System.IO.DirectoryNotFoundException,Microsoft.CertificateServices.Commands.ExportPfxCertificate.
        new("DirectoryNotFound", m => new DirectoryNotFoundException(m), ErrorCategory.ObjectNotFound,
            "System.IO.DirectoryNotFoundException", false),
        new("FileNotFound", m => new FileNotFoundException(m), ErrorCategory.ObjectNotFound,
            "System.IO.FileNotFoundException", false),
        // Observed: System.UnauthorizedAccessException,Microsoft.CertificateServices.Commands.ImportCertificateCommand.
        new("PermissionDenied", m => new UnauthorizedAccessException(m), ErrorCategory.PermissionDenied,
            "System.UnauthorizedAccessException", false),
    };

    private static readonly Dictionary<string, ErrorKind> ByName = Index();

    private static Dictionary<string, ErrorKind> Index()
    {
        var byName = new Dictionary<string, ErrorKind>(StringComparer.Ordinal);
        foreach (ErrorKind kind in Kinds)
            byName[kind.Name] = kind;
        return byName;
    }

    /// <summary>The kind for pk_errname's name; Unknown (the first) for a name the table lacks.</summary>
    public static ErrorKind Named(string? name) =>
        name != null && ByName.TryGetValue(name, out ErrorKind? kind) ? kind : Kinds[0];

    /// <summary>The kind for a negative PK_ERR_* code.</summary>
    public static ErrorKind ForCode(int code) => -code > 0 && -code < Kinds.Length ? Kinds[-code] : Kinds[0];
}

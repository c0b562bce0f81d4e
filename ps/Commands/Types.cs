// Types.cs: the PKI module's types that scripts and Get-Command -Syntax name:
// Certificate (the type of -Cert, -Signer, -CloneCert) and PfxData.
using System;
using System.ComponentModel;
using System.IO;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;

namespace Microsoft.CertificateServices.Commands;

/// <summary>
/// A certificate as a PKI cmdlet takes it: an X509Certificate2 object, or a path to
/// one in the certificate provider (Cert:\LocalMachine\My\&lt;thumbprint&gt;), as on
/// Windows (pki-cmdlets.md §1). It keeps what the script gave, PowerShell wrapper
/// and all, so a store certificate stays known by its PSPath.
/// </summary>
[TypeConverter(typeof(CertificateConverter))]
public sealed class Certificate
{
    public Certificate(string path) => Value = path;

    public Certificate(X509Certificate2 certificate) => Value = certificate;

    internal Certificate(object value) => Value = value;

    /// <summary>The object as given: a string, or the certificate (with its PSObject wrapper).</summary>
    public object Value { get; }

    public override string ToString() => Value.ToString() ?? string.Empty;
}

/// <summary>
/// Converts what scripts pass as a certificate: the PowerShell object itself (so its
/// PSPath note property survives), a path string, a file, or anything with a Thumbprint.
/// </summary>
public sealed class CertificateConverter : PSTypeConverter
{
    public override bool CanConvertFrom(object sourceValue, Type destinationType) =>
        destinationType == typeof(Certificate) && IsCertificateLike(sourceValue);

    public override object ConvertFrom(object sourceValue, Type destinationType, IFormatProvider formatProvider,
        bool ignoreCase)
    {
        if (!CanConvertFrom(sourceValue, destinationType))
            throw new PSInvalidCastException($"Cannot convert '{sourceValue}' to a certificate.");
        return new Certificate(sourceValue);
    }

    public override bool CanConvertTo(object sourceValue, Type destinationType) => false;

    public override object ConvertTo(object sourceValue, Type destinationType, IFormatProvider formatProvider,
        bool ignoreCase) => throw new PSInvalidCastException();

    private static bool IsCertificateLike(object? value)
    {
        if (value is null)
            return false;
        PSObject wrapped = PSObject.AsPSObject(value);
        return wrapped.BaseObject is string or X509Certificate2 or FileSystemInfo ||
               wrapped.Properties["Thumbprint"] is not null;
    }
}

/// <summary>A PFX file's contents as Get-PfxData returns them (pki-cmdlets.md).</summary>
public sealed class PfxData
{
    public PfxData(X509Certificate2[] endEntityCertificates, X509Certificate2[] otherCertificates,
        bool passwordProtected, string[] protectedTo)
    {
        EndEntityCertificates = endEntityCertificates;
        OtherCertificates = otherCertificates;
        PasswordProtected = passwordProtected;
        ProtectedTo = protectedTo;
    }

    public bool PasswordProtected { get; set; }
    public string[] ProtectedTo { get; set; }
    public X509Certificate2[] EndEntityCertificates { get; set; }
    public X509Certificate2[] OtherCertificates { get; set; }
}

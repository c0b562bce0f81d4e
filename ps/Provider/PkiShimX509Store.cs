// PkiShimX509Store.cs: what Get-Item Cert:\LocalMachine\My gives where .NET's
// X509Store cannot open the store (LocalMachine on Linux, or a
// PKISHIM_STORE_ROOT store): X509Store's members over libpkishim.
// X509Store is sealed, so the provider adds its type name for the views.
using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiShim.Provider;

namespace Microsoft.PowerShell.Commands;

public sealed class PkiShimX509Store : IDisposable
{
    private OpenFlags? _flags;

    internal PkiShimX509Store(string name, StoreLocation location)
    {
        Name = name;
        Location = location;
    }

    public string Name { get; }
    public StoreLocation Location { get; }
    public bool IsOpen => _flags.HasValue;
    private string PathText => $"{Location}\\{Name}";

    public void Open(OpenFlags flags)
    {
        if ((flags & OpenFlags.OpenExistingOnly) != 0 && Native.PathKind(PathText) != Native.KindStore)
            throw new CryptographicException($"The X509 certificate store {PathText} does not exist.");
        _flags = flags;
    }

    public void Close() => _flags = null;
    public void Dispose() => Close();

    /// <summary>The store's certificates as they are now (an empty collection while closed, as .NET's).</summary>
    public X509Certificate2Collection Certificates
    {
        get
        {
            var all = new X509Certificate2Collection();
            if (IsOpen)
                foreach (var item in CertificateProvider.Walk(PathText, 0, null))
                    if (item.Value is X509Certificate2 cert)
                        all.Add(cert);
            return all;
        }
    }

    public void Add(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        RequireWritable();
        byte[] data;
        try
        {
            data = certificate.HasPrivateKey ? certificate.Export(X509ContentType.Pkcs12) : certificate.RawData;
        }
        catch (CryptographicException)
        {
            data = certificate.RawData;
        }
        try
        {
            Native.StoreAdd(PathText, data);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(data);
        }
    }

    public void AddRange(X509Certificate2Collection certificates)
    {
        foreach (X509Certificate2 c in certificates)
            Add(c);
    }

    /// <summary>Removes a certificate; one that is not there is no error, as in .NET.</summary>
    public void Remove(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        RequireWritable();
        string path = $"{PathText}\\{certificate.Thumbprint}";
        if (Native.PathKind(path) == Native.KindCert)
            Native.Remove(path, false);
    }

    public void RemoveRange(X509Certificate2Collection certificates)
    {
        foreach (X509Certificate2 c in certificates)
            Remove(c);
    }

    private void RequireWritable()
    {
        if (!_flags.HasValue)
            throw new CryptographicException("The X509 certificate store has not been opened.");
        if ((_flags.Value & (OpenFlags.ReadWrite | OpenFlags.MaxAllowed)) == 0)
            throw new CryptographicException("The X509 certificate store is read-only.");
    }

    public override string ToString() => typeof(X509Store).FullName!;
}

// TempDirectory.cs: a 0700 directory, made on first use and removed when the command
// ends, for certificates that live in no store or file (objects made in .NET, PfxData).
using System;
using System.IO;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.CertificateServices.Commands;

namespace PkiShim.Commands;

internal sealed class TempDirectory : IDisposable
{
    private string? _path;

    private string Path
    {
        get
        {
            if (_path is null)
            {
                string dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pkishim-" + Guid.NewGuid().ToString("N"));
                if (OperatingSystem.IsWindows())
                    Directory.CreateDirectory(dir);
                else
                    Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                _path = dir;
            }
            return _path;
        }
    }

    /// <summary>A password-less PFX with the key when it may leave its container, else the DER certificate.</summary>
    public string WriteCertificate(X509Certificate2 certificate, Cmdlet cmdlet)
    {
        if (certificate.HasPrivateKey)
        {
            try
            {
                return Write(certificate.Thumbprint + ".pfx", certificate.Export(X509ContentType.Pkcs12, string.Empty));
            }
            catch (CryptographicException)
            {
                // A key that cannot leave its container: the certificate alone still identifies it.
                cmdlet.WriteVerbose($"The private key of {certificate.Thumbprint} cannot be exported; passing the certificate only.");
            }
        }
        return Write(certificate.Thumbprint + ".cer", certificate.RawData);
    }

    public string WritePfxData(PfxData data)
    {
        var certificates = new X509Certificate2Collection();
        foreach (X509Certificate2 c in data.EndEntityCertificates)
            certificates.Add(c);
        foreach (X509Certificate2 c in data.OtherCertificates)
            certificates.Add(c);
        byte[]? bytes = certificates.Export(X509ContentType.Pkcs12, string.Empty);
        return Write("pfxdata-" + Guid.NewGuid().ToString("N") + ".pfx", bytes ?? Array.Empty<byte>());
    }

    private string Write(string name, byte[] bytes)
    {
        string file = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(file, bytes);
        return file;
    }

    public void Dispose()
    {
        if (_path is not null && Directory.Exists(_path))
            Directory.Delete(_path, recursive: true);
        _path = null;
    }
}

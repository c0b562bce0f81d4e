// CertificateProperties.cs: the X509Certificate2 properties Windows adds through type
// data, bound as code properties by PkiShim.Load.ps1 when the Cert: drive loads. pwsh's
// own EnhancedKeyUsageList and DnsNameList call types that exist only in its Windows
// build (powershell-semantics.md); the PKI module adds the enrollment properties.
using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.CertificateServices.Commands;
using Microsoft.PowerShell.Commands;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security.Cryptography.X509Certificates;

namespace PkiShim.Provider;

public static class CertificateProperties
{
    private static readonly string[] Names =
    {
        "EnhancedKeyUsageList", "DnsNameList", "SendAsTrustedIssuer",
        "EnrollmentPolicyEndPoint", "EnrollmentServerEndPoint", "PolicyId",
    };

    /// <summary>All of them as one type data update (PkiShim.Load.ps1: Update-TypeData -TypeData ... -Force).</summary>
    public static TypeData TypeData()
    {
        var data = new TypeData(typeof(X509Certificate2));
        foreach (string name in Names)
            data.Members[name] = new CodePropertyData(name, typeof(CertificateProperties).GetMethod("Get" + name));
        return data;
    }

    // Windows' names for the usual EKUs (OpenSSL's differ: "TLS Web Server Authentication").
    private static readonly Dictionary<string, string> EkuNames = new()
    {
        ["1.3.6.1.5.5.7.3.1"] = "Server Authentication",
        ["1.3.6.1.5.5.7.3.2"] = "Client Authentication",
        ["1.3.6.1.5.5.7.3.3"] = "Code Signing",
        ["1.3.6.1.5.5.7.3.4"] = "Secure Email",
        ["1.3.6.1.5.5.7.3.8"] = "Time Stamping",
        ["1.3.6.1.5.5.7.3.9"] = "OCSP Signing",
        ["1.3.6.1.4.1.311.10.3.4"] = "Encrypting File System",
        ["1.3.6.1.4.1.311.20.2.2"] = "Smart Card Logon",
        ["1.3.6.1.4.1.311.80.1"] = "Document Encryption",
        ["1.3.6.1.5.5.8.2.2"] = "IP security IKE intermediate",
    };

    private static X509Certificate2? Certificate(PSObject instance) => instance.BaseObject as X509Certificate2;

    public static List<EnhancedKeyUsageRepresentation> GetEnhancedKeyUsageList(PSObject instance)
    {
        var list = new List<EnhancedKeyUsageRepresentation>();
        foreach (X509Extension extension in Certificate(instance)?.Extensions ?? new X509ExtensionCollection())
        {
            if (extension is not X509EnhancedKeyUsageExtension eku)
                continue;
            foreach (var oid in eku.EnhancedKeyUsages)
            {
                string value = oid.Value ?? string.Empty;
                list.Add(new EnhancedKeyUsageRepresentation(
                    EkuNames.TryGetValue(value, out string? name) ? name : oid.FriendlyName, value));
            }
        }
        return list;
    }

    /// <summary>The subject's CN (when it is the whole subject) and the SAN's DNS names, once each.</summary>
    public static List<DnsNameRepresentation> GetDnsNameList(PSObject instance)
    {
        var names = new List<DnsNameRepresentation>();
        X509Certificate2? certificate = Certificate(instance);
        if (certificate is null)
            return names;
        string subject = certificate.Subject;
        if (subject.StartsWith("CN=", StringComparison.OrdinalIgnoreCase) && !subject.Contains(','))
            names.Add(DnsName(subject.Substring(3)));
        foreach (X509Extension extension in certificate.Extensions)
        {
            if (extension is not X509SubjectAlternativeNameExtension san)
                continue;
            foreach (string dns in san.EnumerateDnsNames())
            {
                DnsNameRepresentation name = DnsName(dns);
                if (!names.Contains(name))
                    names.Add(name);
            }
        }
        return names;
    }

    // A name as the certificate holds it (Punycode) and as people read it (Unicode).
    private static DnsNameRepresentation DnsName(string name)
    {
        try
        {
            return new DnsNameRepresentation(name, new IdnMapping().GetUnicode(name));
        }
        catch (ArgumentException)
        {
            return new DnsNameRepresentation(name);   // not valid Punycode: plain ASCII
        }
    }

    /// <summary>A store property Windows keeps for issuers sent in TLS handshakes; pkishim's stores have none.</summary>
    public static bool GetSendAsTrustedIssuer(PSObject instance) => false;

    public static EnrollmentEndPointProperty GetEnrollmentPolicyEndPoint(PSObject instance) => new();

    public static EnrollmentEndPointProperty GetEnrollmentServerEndPoint(PSObject instance) => new();

    /// <summary>The enrollment policy a certificate came from: none for self-signed and imported ones.</summary>
    public static string GetPolicyId(PSObject instance) => string.Empty;
}


// Representations.cs: the objects in a certificate's EnhancedKeyUsageList and
// DnsNameList, under Windows' type names. pwsh defines them only in its Windows build.
using System;

namespace Microsoft.PowerShell.Commands;

/// <summary>One EKU as Windows shows it: "Server Authentication (1.3.6.1.5.5.7.3.1)".</summary>
public sealed class EnhancedKeyUsageRepresentation
{
    public EnhancedKeyUsageRepresentation(string? inputFriendlyName, string inputObjectId)
    {
        FriendlyName = inputFriendlyName;
        ObjectId = inputObjectId;
    }

    public string? FriendlyName { get; }
    public string ObjectId { get; }

    public bool Equals(EnhancedKeyUsageRepresentation? keyUsage) =>
        keyUsage is not null && string.Equals(ObjectId, keyUsage.ObjectId, StringComparison.Ordinal);

    public override string ToString() => string.IsNullOrEmpty(FriendlyName) ? ObjectId : $"{FriendlyName} ({ObjectId})";
}

/// <summary>One DNS name: as the certificate holds it (Punycode) and as people read it.</summary>
public readonly struct DnsNameRepresentation
{
    public DnsNameRepresentation(string inputDnsName) : this(inputDnsName, inputDnsName) { }

    public DnsNameRepresentation(string inputPunycodeName, string inputUnicodeName)
    {
        Punycode = inputPunycodeName;
        Unicode = inputUnicodeName;
    }

    public string Punycode { get; }
    public string Unicode { get; }

    /// <summary>Names compare as DNS does, without regard to case.</summary>
    public bool Equals(DnsNameRepresentation dnsName) =>
        string.Equals(Unicode, dnsName.Unicode, StringComparison.OrdinalIgnoreCase);

    public override string ToString() =>
        string.Equals(Punycode, Unicode, StringComparison.Ordinal) ? Punycode : $"{Unicode} ({Punycode})";
}

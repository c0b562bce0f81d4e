// Types.cs: the public types Windows' certificate provider exposes, under
// the names its format views (Certificate.format.ps1xml, built into pwsh)
// and scripts know.
using System.Collections;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;

namespace Microsoft.PowerShell.Commands;

/// <summary>Cert:\CurrentUser or Cert:\LocalMachine, as Get-ChildItem Cert:\ shows it.</summary>
public sealed class X509StoreLocation
{
    private readonly string[] _storeNames;

    internal X509StoreLocation(StoreLocation location, string[] storeNames)
    {
        Location = location;
        _storeNames = storeNames;
    }

    public StoreLocation Location { get; set; }
    public string LocationName => Location.ToString();

    /// <summary>The location's stores, keys of a new table on every read, as on Windows.</summary>
    public Hashtable StoreNames
    {
        get
        {
            var names = new Hashtable(System.StringComparer.OrdinalIgnoreCase);
            foreach (string name in _storeNames)
                names[name] = true;
            return names;
        }
    }
}

/// <summary>Get-Item and Get-ChildItem's dynamic parameters in Cert:.</summary>
public sealed class CertificateProviderDynamicParameters
{
    [Parameter] public SwitchParameter CodeSigningCert { get; set; }
    [Parameter] public SwitchParameter DocumentEncryptionCert { get; set; }
    [Parameter] public SwitchParameter SSLServerAuthentication { get; set; }
    [Parameter] public string? DnsName { get; set; }
    [Parameter] public string[]? Eku { get; set; }
    [Parameter] [ValidateRange(0, int.MaxValue)] public int ExpiringInDays { get; set; } = -1;
}

/// <summary>Remove-Item's dynamic parameter in Cert:.</summary>
public sealed class ProviderRemoveItemDynamicParameters
{
    [Parameter] public SwitchParameter DeleteKey { get; set; }
}

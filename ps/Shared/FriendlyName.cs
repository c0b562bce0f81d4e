// FriendlyName.cs: a certificate's friendly name, which Windows keeps in the store and
// shows as X509Certificate2.FriendlyName. .NET on Unix neither reads it from a PFX nor
// lets it be set ("cannot be set on Unix"), so the name the C core read from the
// certificate bag rides on the object as an instance property, which PowerShell looks
// up before the .NET one: Where-Object FriendlyName, Format-List and $c.FriendlyName
// then see it. Assigning to it changes this object only (Windows also writes the store).
// Compiled into the cmdlets' assembly (ps/Commands) and the Cert: provider's (ps/Provider).
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;

namespace PkiShim;

internal static class FriendlyName
{
    /// <summary>The certificate as PowerShell shows it: with its name when it has one.</summary>
    public static PSObject Attach(X509Certificate2 certificate, string? name)
    {
        PSObject o = PSObject.AsPSObject(certificate);
        if (!string.IsNullOrEmpty(name))
            o.Properties.Add(new PSNoteProperty("FriendlyName", name));
        return o;
    }
}

// CertificateProvider.cs: the Cert: drive, as Windows' certificate provider
// behaves (reference/provider-glue.md §1), over libpkishim. Every store and
// certificate decision (paths, filters, refusals) is libpkishim's; this class
// only turns its items into the objects PowerShell shows. It keeps no state:
// pwsh makes a new instance for each operation, and nothing is cached.
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Provider;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiShim.Provider;

namespace Microsoft.PowerShell.Commands;

[CmdletProvider("Certificate", ProviderCapabilities.ShouldProcess)]
[OutputType(typeof(X509StoreLocation), typeof(X509Certificate2), ProviderCmdlet = ProviderCmdlet.GetItem)]
[OutputType(typeof(X509Store), typeof(X509Certificate2), ProviderCmdlet = ProviderCmdlet.GetChildItem)]
public sealed class CertificateProvider : NavigationCmdletProvider
{
    /// <summary>One item a path shows: its provider path, its object, whether it is a container.</summary>
    internal readonly record struct Item(string Path, object Value, bool IsContainer, string ChildName);

    // Paths read as on Windows (Cert:\CurrentUser\My), with '/' accepted too.
    public override char ItemSeparator => '\\';
    public override char AltItemSeparator => '/';
    // pwsh on Unix turns every '\\' of a drive path into '/' before the provider
    // sees it, so a drive rooted at "\\" (Windows') cannot be entered with cd; "/" can.
    private const string DriveRoot = "/";

    protected override Collection<PSDriveInfo> InitializeDefaultDrives() =>
        new() { new PSDriveInfo("Cert", ProviderInfo, DriveRoot, "X509 Certificate Provider", null) };

    // Set while this instance writes items: their PSParentPath (computed by the
    // engine from GetParentPath) then reads as on Windows, CurrentUser\My, though
    // the engine itself works with '/' on Unix.
    private bool _writing;

    protected override string GetParentPath(string path, string root)
    {
        string parent = base.GetParentPath(path, root);
        return _writing ? parent.Replace('/', '\\') : parent;
    }

    protected override string GetChildName(string path)
    {
        string name = base.GetChildName(path);
        return _writing ? name.TrimStart('/', '\\') : name;
    }

    private void WriteItem(object item, string path, bool isContainer)
    {
        _writing = true;
        try
        {
            WriteItemObject(item, path, isContainer);
        }
        finally
        {
            _writing = false;
        }
    }

    protected override bool IsValidPath(string path) => Native.PathKind(path) >= 0;

    protected override bool ItemExists(string path) => Native.PathKind(path) != Native.KindNone;

    protected override bool IsItemContainer(string path) =>
        Native.PathKind(path) is Native.KindRoot or Native.KindLocation or Native.KindStore;

    protected override bool HasChildItems(string path)
    {
        int kind = Native.PathKind(path);
        if (kind == Native.KindStore)
        {
            using CursorHandle cursor = Native.Walk(path, 0, 0, null, null, -1, out _);
            return Native.pkishim_cursor_next(cursor) == 1;
        }
        return kind is Native.KindRoot or Native.KindLocation;
    }

    protected override object GetItemDynamicParameters(string path) => new CertificateProviderDynamicParameters();

    protected override object GetChildItemsDynamicParameters(string path, bool recurse) =>
        new CertificateProviderDynamicParameters();

    protected override object RemoveItemDynamicParameters(string path, bool recurse) =>
        new ProviderRemoveItemDynamicParameters();

    protected override void GetItem(string path) =>
        Write(path, Native.WalkItem, DynamicParameters as CertificateProviderDynamicParameters);

    protected override void GetChildItems(string path, bool recurse) =>
        Write(path, recurse ? Native.WalkRecurse : 0, DynamicParameters as CertificateProviderDynamicParameters);

    protected override void GetChildNames(string path, ReturnContainers returnContainers)
    {
        List<Item> items = new();
        if (Guard(path, () => items = Walk(path, 0, null)))
            foreach (Item item in items)
                WriteItemObject(item.ChildName, item.Path, item.IsContainer);
    }

    protected override void RemoveItem(string path, bool recurse)
    {
        bool deleteKey = DynamicParameters is ProviderRemoveItemDynamicParameters { DeleteKey.IsPresent: true };
        string action = Native.PathKind(path) == Native.KindCert
            ? (deleteKey ? "Remove certificate and its private key" : "Remove certificate")
            : "Remove certificate store";
        if (ShouldProcess(path, action))
            Guard(path, () => Native.Remove(path, deleteKey));
    }

    protected override void MoveItem(string path, string destination)
    {
        if (!ShouldProcess($"Item: {path} Destination: {destination}", "Move certificate"))
            return;
        string moved = MakePath(destination, GetChildName(path));
        if (Guard(path, () => Native.Move(path, destination)))
            Write(moved, Native.WalkItem, null);
    }

    protected override void NewItem(string path, string itemTypeName, object newItemValue)
    {
        if (ShouldProcess(path, "Create certificate store") &&
            Guard(path, () => Native.StoreCreate(path)))
            Write(path, Native.WalkItem, null);
    }

    private void Write(string path, int flags, CertificateProviderDynamicParameters? filter)
    {
        List<Item> items = new();
        if (Guard(path, () => items = Walk(path, flags, filter)))
            foreach (Item item in items)
                WriteItem(item.Value, item.Path, item.IsContainer);
    }

    /// <summary>Runs a libpkishim call; its failure becomes the error record Windows writes.</summary>
    private bool Guard(string path, Action call)
    {
        try
        {
            call();
            return true;
        }
        catch (Exception e) when (NativeError.Is(e))
        {
            WriteError(new ErrorRecord(e, NativeError.Id(e), NativeError.Category(e), path));
            return false;
        }
    }

    /// <summary>What a path shows, read afresh; a certificate whose file vanished meanwhile is left out.</summary>
    internal static List<Item> Walk(string path, int flags, CertificateProviderDynamicParameters? f)
    {
        int filter = 0;
        if (f is not null)
        {
            if (f.SSLServerAuthentication) filter |= Native.FilterSslServer;
            if (f.CodeSigningCert) filter |= Native.FilterCodeSigning;
            if (f.DocumentEncryptionCert) filter |= Native.FilterDocumentEncryption;
        }
        var items = new List<Item>();
        using CursorHandle cursor = Native.Walk(path, flags, filter, f?.Eku, f?.DnsName, f?.ExpiringInDays ?? -1, out _);
        while (Native.pkishim_cursor_next(cursor) == 1)
        {
            string location = Native.Text(Native.pkishim_cursor_location(cursor))!;
            var storeLocation = Enum.Parse<StoreLocation>(location);
            switch (Native.pkishim_cursor_kind(cursor))
            {
                case Native.KindLocation:
                    items.Add(new Item(location, new X509StoreLocation(storeLocation, Native.StoreNames(cursor)), true, location));
                    break;
                case Native.KindStore:
                    string store = Native.Text(Native.pkishim_cursor_store(cursor))!;
                    items.Add(new Item($"{location}\\{store}", StoreObject(store, storeLocation), true, store));
                    break;
                default:
                    string parent = $"{location}\\{Native.Text(Native.pkishim_cursor_store(cursor))}";
                    string thumbprint = Native.Text(Native.pkishim_cursor_thumbprint(cursor))!;
                    X509Certificate2? cert = LoadCertificate(cursor);
                    if (cert is not null)
                        items.Add(new Item($"{parent}\\{thumbprint}",
                            PkiShim.FriendlyName.Attach(cert, Native.Text(Native.pkishim_cursor_friendly_name(cursor))),
                            false, thumbprint));
                    break;
            }
        }
        return items;
    }

    /// <summary>.NET's own X509Store where its files are .NET's, else pkishim's over the same interface.</summary>
    private static object StoreObject(string name, StoreLocation location)
    {
        if (Native.StoreIsDotnet($"{location}\\{name}"))
            return new X509Store(name, location);
        var wrapped = new PSObject(new PkiShimX509Store(name, location));
        wrapped.TypeNames.Insert(0, typeof(X509Store).FullName!);
        return wrapped;
    }

    /// <summary>The certificate with its key, from its store file (a password-less PFX).</summary>
    private static X509Certificate2? LoadCertificate(CursorHandle cursor)
    {
        string file = Native.Text(Native.pkishim_cursor_file(cursor))!;
        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(file, null, X509KeyStorageFlags.Exportable);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (CryptographicException)
        {
            // A file .NET's PKCS#12 reader refuses still shows its certificate, as libpkishim read it.
            return X509CertificateLoader.LoadCertificate(Native.Der(cursor));
        }
    }
}

// Native.cs: libpkishim's functions (crypto/pkishim_abi.h), the library's
// loading from this assembly's directory, and the one mapping of its error
// codes to .NET exceptions.
using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;
using System.Security.Cryptography;
using PkiShim;

namespace PkiShim.Provider;

/// <summary>A pkishim_cursor, freed with pkishim_cursor_free.</summary>
internal sealed class CursorHandle : SafeHandle
{
    public CursorHandle() : base(IntPtr.Zero, true) { }
    public override bool IsInvalid => handle == IntPtr.Zero;
    protected override bool ReleaseHandle()
    {
        Native.pkishim_cursor_free(handle);
        return true;
    }
}

/// <summary>A failure of libpkishim: the exception ErrorTable names for its code, with Windows' error id.</summary>
internal static class NativeError
{
    public static bool Is(Exception e) => e.Data.Contains("PkiShimErrorId");
    public static string Id(Exception e) => e.Data["PkiShimErrorId"] as string ?? "CertificateProviderError";
    public static ErrorCategory Category(Exception e) =>
        e.Data["PkiShimCategory"] is ErrorCategory category ? category : ErrorCategory.NotSpecified;
}

internal static partial class Native
{
    private const string Library = "pkishim";
    private const int AbiVersion = 2;

    public const int KindNone = 0, KindRoot = 1, KindLocation = 2, KindStore = 3, KindCert = 4;
    public const int WalkItem = 1, WalkRecurse = 2;
    public const int FilterSslServer = 1, FilterCodeSigning = 2, FilterDocumentEncryption = 4;

    private const int ErrUsage = -1, ErrNoMem = -2, ErrIo = -3, ErrNotFound = -4, ErrExists = -5,
        ErrFormat = -6, ErrPassword = -7, ErrUnsupported = -8, ErrNotExportable = -9, ErrCrypto = -10;

    // Runs once, before any libpkishim call (an explicit static constructor makes the class not beforefieldinit).
    static Native() => NativeLibrary.SetDllImportResolver(typeof(Native).Assembly, Resolve);

    // libpkishim sits next to this assembly; LD_LIBRARY_PATH plays no part.
    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
            return IntPtr.Zero;
        string dir = Path.GetDirectoryName(assembly.Location) ?? ".";
        foreach (string file in new[] { "libpkishim.so", "libpkishim.dylib" })
        {
            string path = Path.Combine(dir, file);
            if (File.Exists(path))
                return NativeLibrary.Load(path);
        }
        return IntPtr.Zero;
    }

    private static readonly Lazy<bool> Checked = new(() =>
    {
        int version = pkishim_abi_version();
        if (version != AbiVersion)
            throw new InvalidOperationException(
                $"libpkishim has interface version {version}; this provider needs {AbiVersion}. Reinstall pkishim.");
        return true;
    });

    /// <summary>Throws the exception a negative libpkishim result stands for.</summary>
    public static void Check(int rc)
    {
        if (rc >= 0)
            return;
        string message = Marshal.PtrToStringUTF8(pkishim_last_error()) ?? "";
        ErrorKind kind = ErrorTable.ForCode(rc);
        Exception e = kind.NewException(message);
        string? id = Marshal.PtrToStringUTF8(pkishim_last_error_id());
        e.Data["PkiShimErrorId"] = string.IsNullOrEmpty(id) ? kind.ErrorId : id;
        e.Data["PkiShimCategory"] = kind.Category;
        throw e;
    }

    public static int PathKind(string path)
    {
        _ = Checked.Value;
        int kind = pkishim_path_kind(path);
        Check(kind);
        return kind;
    }

    public static bool StoreIsDotnet(string path)
    {
        _ = Checked.Value;
        int rc = pkishim_store_is_dotnet(path);
        Check(rc);
        return rc == 1;
    }

    public static CursorHandle Walk(string path, int flags, int filter, string[]? ekus, string? dnsName,
        int expiringInDays, out int matched)
    {
        _ = Checked.Value;
        ekus ??= Array.Empty<string>();
        Check(pkishim_walk(path, flags, filter, ekus, ekus.Length, dnsName, expiringInDays,
            out CursorHandle cursor, out matched));
        return cursor;
    }

    public static byte[] Der(CursorHandle cursor)
    {
        Check(pkishim_cursor_der(cursor, out IntPtr der, out nuint len));
        try
        {
            byte[] bytes = new byte[(int)len];
            Marshal.Copy(der, bytes, 0, bytes.Length);
            return bytes;
        }
        finally
        {
            pkishim_free(der);
        }
    }

    public static string[] StoreNames(CursorHandle cursor)
    {
        var names = new string[pkishim_cursor_store_count(cursor)];
        for (int i = 0; i < names.Length; i++)
            names[i] = Marshal.PtrToStringUTF8(pkishim_cursor_store_name(cursor, i)) ?? "";
        return names;
    }

    public static string? Text(IntPtr utf8) => Marshal.PtrToStringUTF8(utf8);

    public static void Remove(string path, bool deleteKey) { _ = Checked.Value; Check(pkishim_remove(path, deleteKey ? 1 : 0)); }
    public static void Move(string path, string destStore) { _ = Checked.Value; Check(pkishim_move(path, destStore)); }
    public static void StoreCreate(string path) { _ = Checked.Value; Check(pkishim_store_create(path)); }
    public static void StoreAdd(string storePath, byte[] data) { _ = Checked.Value; Check(pkishim_store_add(storePath, data, (nuint)data.Length)); }

    [LibraryImport(Library)] [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static partial int pkishim_abi_version();
    [LibraryImport(Library)] [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static partial IntPtr pkishim_last_error();
    [LibraryImport(Library)] [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static partial IntPtr pkishim_last_error_id();
    [LibraryImport(Library)] [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static partial void pkishim_free(IntPtr p);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static partial int pkishim_path_kind(string path);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static partial int pkishim_store_is_dotnet(string path);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static partial int pkishim_walk(string path, int flags, int filter, string[] ekus, int neku,
        string? dnsName, int expiringInDays, out CursorHandle cursor, out int matched);
    [LibraryImport(Library)] [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    public static partial int pkishim_cursor_next(CursorHandle cursor);
    [LibraryImport(Library)] [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    public static partial int pkishim_cursor_kind(CursorHandle cursor);
    [LibraryImport(Library)] [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    public static partial IntPtr pkishim_cursor_location(CursorHandle cursor);
    [LibraryImport(Library)] [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    public static partial IntPtr pkishim_cursor_store(CursorHandle cursor);
    [LibraryImport(Library)] [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    public static partial IntPtr pkishim_cursor_thumbprint(CursorHandle cursor);
    [LibraryImport(Library)] [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    public static partial IntPtr pkishim_cursor_file(CursorHandle cursor);
    [LibraryImport(Library)] [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    public static partial IntPtr pkishim_cursor_friendly_name(CursorHandle cursor);
    [LibraryImport(Library)] [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static partial int pkishim_cursor_der(CursorHandle cursor, out IntPtr der, out nuint len);
    [LibraryImport(Library)] [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static partial int pkishim_cursor_store_count(CursorHandle cursor);
    [LibraryImport(Library)] [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static partial IntPtr pkishim_cursor_store_name(CursorHandle cursor, int i);
    [LibraryImport(Library)] [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static partial void pkishim_cursor_free(IntPtr cursor);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static partial int pkishim_remove(string path, int deleteKey);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static partial int pkishim_move(string path, string destStore);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static partial int pkishim_store_create(string path);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static partial int pkishim_store_add(string storePath, byte[] data, nuint len);
}

// NativeOutput.cs: what a native command printed, as PowerShell's streams.
// stdout: one JSON object a line (cmdlets/json.c) -> certificates, files, PfxData or
// plain objects; "What if:" lines for the host; True/False for a [bool] command.
// stderr: "VERBOSE: x" and "WARNING: x" (tab-indented lines continue a warning), and
// errors as JSON lines ({"ErrorCode":...}) or "<Command>: message" lines.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.CertificateServices.Commands;

namespace PkiShim.Commands;

internal sealed record NativeError(string Code, string Message, string? Target);

internal sealed class NativeStderr
{
    public List<string> Verbose { get; } = new();
    public List<string> Warnings { get; } = new();
    public List<NativeError> Errors { get; } = new();

    public static NativeStderr Parse(string command, string text)
    {
        var result = new NativeStderr();
        string prefix = command + ": ";
        bool inWarning = false;
        foreach (string line in Lines(text))
        {
            if (line.StartsWith("WARNING: ", StringComparison.Ordinal))
            {
                result.Warnings.Add(line.Substring(9));
                inWarning = true;
                continue;
            }
            if (inWarning && line.StartsWith('\t'))
            {
                result.Warnings[^1] += "\n" + line;
                continue;
            }
            inWarning = false;
            if (line.StartsWith("VERBOSE: ", StringComparison.Ordinal))
                result.Verbose.Add(line.Substring(9));
            else if (line.StartsWith("{\"ErrorCode\":", StringComparison.Ordinal))
                result.Errors.Add(ParseError(line));
            else if (line.StartsWith(prefix, StringComparison.Ordinal))
                result.Errors.Add(new NativeError("Unknown", line.Substring(prefix.Length), null));
            else if (line.Length > 0 && result.Errors.Count > 0)
                result.Errors[^1] = result.Errors[^1] with { Message = result.Errors[^1].Message + "\n" + line };
            else if (line.Length > 0)
                result.Errors.Add(new NativeError("Unknown", line, null));
        }
        return result;
    }

    private static NativeError ParseError(string line)
    {
        using JsonDocument json = JsonDocument.Parse(line);
        JsonElement root = json.RootElement;
        return new NativeError(String(root, "ErrorCode") ?? "Unknown", String(root, "Message") ?? string.Empty,
            String(root, "TargetObject"));
    }

    internal static string? String(JsonElement o, string name) =>
        o.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    internal static IEnumerable<string> Lines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r'));
}

internal sealed class NativeStdout
{
    private readonly PSCmdlet _cmdlet;
    private readonly CommandTable _table;
    private readonly SecureString? _password;
    private readonly string _workingDirectory;

    /// <param name="workingDirectory">The command's: its relative paths are relative to it.</param>
    public NativeStdout(PSCmdlet cmdlet, CommandTable table, SecureString? password, string workingDirectory)
    {
        _cmdlet = cmdlet;
        _table = table;
        _password = password;
        _workingDirectory = workingDirectory;
    }

    public void Write(string text)
    {
        foreach (string line in NativeStderr.Lines(text))
        {
            if (line.Length == 0)
                continue;
            if (line.StartsWith("What if:", StringComparison.Ordinal))
                _cmdlet.Host.UI.WriteLine(line);
            else if (line[0] != '{')
                _cmdlet.WriteObject(_table.ReturnsBoolean && line is "True" or "False" ? line == "True" : (object)line);
            else
                WriteJson(line);
        }
    }

    private void WriteJson(string line)
    {
        using JsonDocument json = JsonDocument.Parse(line);
        JsonElement o = json.RootElement;
        if (o.TryGetProperty("PfxDataFile", out _))
            _cmdlet.WriteObject(ReadPfxData(o));
        else if (o.TryGetProperty("Thumbprint", out _) && o.TryGetProperty("File", out _) && o.TryGetProperty("HasPrivateKey", out _))
            _cmdlet.WriteObject(ReadCertificate(o));
        else if (o.TryGetProperty("FullName", out JsonElement fullName) && o.EnumerateObject().Count() == 1)
            _cmdlet.WriteObject(_cmdlet.InvokeProvider.Item.Get(new[] { FullPath(fullName.GetString()!) }, true, true), true);
        else
            _cmdlet.WriteObject(ToPSObject(o));
    }

    // A certificate line becomes the X509Certificate2 in its file (a store file is a
    // password-less PFX, which the Cert: drive reads the same way); a store certificate
    // gets the properties the drive gives its items (PSPath, PSParentPath, ..., its
    // PSDrive and PSProvider), so it shows, pipes and binds as on Windows. Made here
    // rather than fetched back through the drive: that would read the file twice.
    private object ReadCertificate(JsonElement o)
    {
        string? file = NativeStderr.String(o, "File");
        if (string.IsNullOrEmpty(file) || !System.IO.File.Exists(file = FullPath(file)))
            return ToCustomObject(o);
        PSObject certificate = FriendlyName.Attach(LoadCertificate(file), NativeStderr.String(o, "FriendlyName"));
        string? psPath = NativeStderr.String(o, "PSPath");
        if (!string.IsNullOrEmpty(psPath))
        {
            AddNote(certificate, "PSPath", psPath);
            AddNote(certificate, "PSParentPath", NativeStderr.String(o, "PSParentPath"));
            AddNote(certificate, "PSChildName", NativeStderr.String(o, "Thumbprint"));
            AddNote(certificate, "PSDrive", CertDrive());
            AddNote(certificate, "PSProvider", CertProvider());
            AddNote(certificate, "PSIsContainer", false);
        }
        return certificate;
    }

    // The Cert: drive and its provider as the session has them; their names where it has none.
    private object CertDrive() =>
        _cmdlet.SessionState.Drive.GetAll().FirstOrDefault(d => d.Name == "Cert") ?? (object)"Cert";

    private object CertProvider() =>
        _cmdlet.SessionState.Provider.GetAll().FirstOrDefault(p => p.Name == "Certificate") ??
        (object)@"Microsoft.PowerShell.Security\Certificate";

    private X509Certificate2 LoadCertificate(string file)
    {
        if (X509Certificate2.GetCertContentType(file) != X509ContentType.Pkcs12)
            return X509CertificateLoader.LoadCertificateFromFile(file);
        const X509KeyStorageFlags flags = X509KeyStorageFlags.Exportable;
        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(file, string.Empty, flags);
        }
        catch (System.Security.Cryptography.CryptographicException) when (_password is not null)
        {
            return X509CertificateLoader.LoadPkcs12FromFile(file, Plain(_password), flags);
        }
    }

    // Get-PfxData's line names the file, the thumbprints and the friendly names; the
    // certificates (with their keys) come from the file itself, opened with the same password.
    private PfxData ReadPfxData(JsonElement o)
    {
        bool protectedByPassword = o.GetProperty("PasswordProtected").GetBoolean();
        string password = protectedByPassword && _password is not null ? Plain(_password) : string.Empty;
        X509Certificate2Collection all = X509CertificateLoader.LoadPkcs12CollectionFromFile(
            FullPath(NativeStderr.String(o, "PfxDataFile")!), password, X509KeyStorageFlags.Exportable);
        X509Certificate2[] Pick(string name) => o.GetProperty(name).EnumerateArray()
            .Select(t => all.Where(c => c.Thumbprint == t.GetString()).OrderBy(c => !c.HasPrivateKey).FirstOrDefault())
            .Where(c => c is not null).Select(c => c!).ToArray();
        if (o.TryGetProperty("FriendlyNames", out JsonElement names))
            foreach (X509Certificate2 c in all)
                FriendlyName.Attach(c, NativeStderr.String(names, c.Thumbprint));
        string[] protectedTo = o.TryGetProperty("ProtectedTo", out JsonElement to)
            ? to.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToArray()
            : Array.Empty<string>();
        return new PfxData(Pick("EndEntityCertificates"), Pick("OtherCertificates"), protectedByPassword, protectedTo);
    }

    private string FullPath(string path) => System.IO.Path.GetFullPath(path, _workingDirectory);

    // .NET's PKCS#12 loader takes the password only as a string.
    private static string Plain(SecureString password) => new System.Net.NetworkCredential(string.Empty, password).Password;

    private static void AddNote(PSObject o, string name, object? value)
    {
        o.Properties.Remove(name);
        o.Properties.Add(new PSNoteProperty(name, value));
    }

    /// <summary>A JSON object as ConvertFrom-Json makes it: a PSCustomObject with note properties.</summary>
    internal static object? ToPSObject(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => ToCustomObject(e),
        JsonValueKind.Array => e.EnumerateArray().Select(ToPSObject).ToArray(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out long l) ? l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static PSObject ToCustomObject(JsonElement e)
    {
        var o = new PSObject();
        foreach (JsonProperty p in e.EnumerateObject())
            o.Properties.Add(new PSNoteProperty(p.Name, ToPSObject(p.Value)));
        return o;
    }
}

// ArgvBuilder.cs: bound parameters -> the native command's argv (powershell-semantics.md §8):
// table order, full names, -Name:value (so no value is ever read as a parameter name),
// arrays as one comma list, DateTime as ISO 8601 UTC, paths absolute, certificates as
// Cert:\ paths or temporary files; the SecureString is kept apart and never enters argv.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Microsoft.CertificateServices.Commands;

namespace PkiShim.Commands;

internal sealed class ArgvBuilder
{
    private const string ProviderPrefix = @"Microsoft.PowerShell.Security\Certificate::";
    private static readonly Regex CertPath = new(@"^\s*(Microsoft\.PowerShell\.Security\\Certificate::|cert:)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex StorePath = new(@"^(Cert:|(Microsoft\.PowerShell\.Security\\)?Certificate::)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex Thumbprint = new(@"^\s*[0-9A-Fa-f ]{40,}\s*$", RegexOptions.CultureInvariant);
    private static readonly Regex WindowsDrive = new(@"^([A-Za-z]):", RegexOptions.CultureInvariant);

    private readonly PSCmdlet _cmdlet;
    private readonly TempDirectory _temp;

    public ArgvBuilder(PSCmdlet cmdlet, TempDirectory temp)
    {
        _cmdlet = cmdlet;
        _temp = temp;
    }

    public List<string> Argv { get; } = new();
    public SecureString? Password { get; private set; }

    public void Add(TableParameter p, object? value)
    {
        value = Unwrap(value);
        // $null for a parameter that is not mandatory binds as if it were absent, as for a
        // cmdlet (a mandatory one never gets here: PowerShell refuses it "because it is null").
        if (value is null)
            return;
        string name = "-" + p.Name;
        switch (p.Kind)
        {
            case ParameterKind.Switch:
                Argv.Add(name + ":" + (((SwitchParameter)value).IsPresent ? "True" : "False"));
                break;
            case ParameterKind.Secure:
                Password = (SecureString)value;
                break;
            case ParameterKind.DateTime:
                DateTime utc = ((DateTime)value).ToUniversalTime();
                Argv.Add(name + ":" + utc.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture));
                break;
            case ParameterKind.Cert:
                var certs = Items(value).Select(CertArgument).ToList();
                if (certs.Count == 1)
                {
                    Argv.Add(name + ":" + certs[0]);
                }
                else if (certs.Count > 1)
                {
                    Argv.Add(name);
                    Argv.AddRange(certs);
                }
                break;
            case ParameterKind.Object:
                Argv.Add(name + ":" + ObjectArgument(value));
                break;
            case ParameterKind.Strings or ParameterKind.Enums:
                var texts = Items(value).Select(v => Text(p, v)).ToList();
                if (texts.Count == 0)
                    break;
                if (texts.Count == 1 && texts[0].Length == 0)
                {
                    Argv.Add(name);
                    Argv.Add(string.Empty);
                    break;
                }
                Argv.Add(name + ":" + string.Join(",", texts.Select(ArrayItem)));
                break;
            default:
                string text = Text(p, value);
                if (text.Length == 0)
                {
                    // "-Name:" would take the next argument as the value.
                    Argv.Add(name);
                    Argv.Add(string.Empty);
                }
                else
                {
                    Argv.Add(name + ":" + text);
                }
                break;
        }
    }

    /// <summary>A file path as the session sees it: relative to $PWD, through its drives.</summary>
    public string ResolvePath(string path)
    {
        if (string.IsNullOrEmpty(path) || StorePath.IsMatch(path))
            return path; // Cert:\ paths name store items, which the executables resolve themselves.
        Match drive = WindowsDrive.Match(path);
        if (!OperatingSystem.IsWindows() && drive.Success &&
            _cmdlet.SessionState.Drive.GetAll().All(d => !d.Name.Equals(drive.Groups[1].Value, StringComparison.OrdinalIgnoreCase)))
        {
            string letter = drive.Groups[1].Value.ToUpperInvariant();
            throw new NativeCommandException(new ErrorRecord(new ItemNotFoundException(
                $"Cannot use the path '{path}': there is no drive {letter}: here. Give a relative path or a path " +
                $"of this system instead, or map the drive first: New-PSDrive -Name {letter} -PSProvider FileSystem -Root <directory>"),
                "WindowsDrivePathNotFound", ErrorCategory.ObjectNotFound, path));
        }
        return _cmdlet.GetUnresolvedProviderPathFromPSPath(path);
    }

    internal static object? Unwrap(object? value) =>
        value is PSObject wrapped && wrapped.BaseObject is not PSCustomObject ? wrapped.BaseObject : value;

    private static IEnumerable<object> Items(object value)
    {
        if (value is IEnumerable list and not string)
        {
            foreach (object? item in list)
                if (Unwrap(item) is { } v)
                    yield return v;
        }
        else
        {
            yield return value;
        }
    }

    private string Text(TableParameter p, object value)
    {
        string text = (string?)LanguagePrimitives.ConvertTo(value, typeof(string), CultureInfo.InvariantCulture) ?? string.Empty;
        return p.IsPath ? ResolvePath(text) : text;
    }

    // An array item protected from the native binder's comma splitting when it needs it.
    private static string ArrayItem(string item)
    {
        if (!item.Contains(',') && !item.StartsWith('\'') && !item.StartsWith('"'))
            return item;
        if (!item.Contains('"'))
            return "\"" + item + "\"";
        return "'" + item.Replace("'", "''") + "'";
    }

    /// <summary>"Microsoft.PowerShell.Security\Certificate::LocalMachine\My\AB.." -> "Cert:\LocalMachine\My\AB..".</summary>
    internal static string DrivePath(string psPath) =>
        psPath.StartsWith(ProviderPrefix, StringComparison.OrdinalIgnoreCase)
            ? @"Cert:\" + psPath.Substring(ProviderPrefix.Length)
            : psPath;

    // A store certificate by its Cert:\ path; any other X509Certificate2 as a temporary
    // file (a password-less PFX when its key can be exported, else DER); a string as
    // typed (Cert:\ path, thumbprint) or as a file path resolved against $PWD.
    private string CertArgument(object item)
    {
        object given = item is Certificate c ? c.Value : item;
        object? value = Unwrap(given);
        if (value is string text)
        {
            if (text.StartsWith(ProviderPrefix, StringComparison.OrdinalIgnoreCase))
                return DrivePath(text);
            if (CertPath.IsMatch(text) || Thumbprint.IsMatch(text) || text.Contains("[Thumbprint]"))
                return text;
            return ResolvePath(text);
        }
        PSObject wrapped = PSObject.AsPSObject(given);
        if (wrapped.Properties["PSPath"]?.Value is string psPath && CertPath.IsMatch(psPath))
            return DrivePath(psPath);
        if (value is X509Certificate2 x509)
            return _temp.WriteCertificate(x509, _cmdlet);
        if (value is FileSystemInfo file)
            return file.FullName;
        if (wrapped.Properties["Thumbprint"]?.Value is { } thumbprint && thumbprint.ToString() is { Length: > 0 } t)
            return t;
        return value?.ToString() ?? string.Empty;
    }

    // A PfxData becomes a password-less PFX in the call's temporary directory, which
    // Export-PfxCertificate -PFXData reads; a string is a file path.
    private string ObjectArgument(object value)
    {
        if (value is PfxData data)
            return _temp.WritePfxData(data);
        return ResolvePath((string?)LanguagePrimitives.ConvertTo(value, typeof(string), CultureInfo.InvariantCulture) ?? string.Empty);
    }
}

// NativeCommand.cs: what every generated cmdlet is (PkiShim.Commands.g.cs declares
// only its parameters and its table): bound parameters -> one run of the native
// command -> objects, verbose and warning records, and error records that -ErrorAction
// controls as for any cmdlet. All certificate work is the executable's.
using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Security.Cryptography.X509Certificates;
using Microsoft.CertificateServices.Commands;

namespace PkiShim.Commands;

/// <summary>An error that stops the command before the executable runs.</summary>
internal sealed class NativeCommandException : Exception
{
    public NativeCommandException(ErrorRecord record) : base(record.Exception.Message) => Record = record;
    public ErrorRecord Record { get; }
}

public abstract class NativeCommand : PSCmdlet, IDisposable
{
    // Where an error or a ShouldProcess prompt names the input, in this order.
    private static readonly string[] ErrorTargets = { "Cert", "PFXData", "FilePath", "LiteralPath", "Path", "CertStoreLocation" };
    private static readonly string[] ShouldProcessTargets =
        { "FilePath", "Cert", "PFXData", "LiteralPath", "Path", "CertStoreLocation", "Subject", "DnsName" };

    private readonly TempDirectory _temp = new();
    private readonly List<Dictionary<string, object?>> _pending = new();
    private NativeProcess? _running;

    internal abstract CommandTable Table { get; }

    protected override void ProcessRecord()
    {
        Dictionary<string, object?> bound = Table.Parameters
            .Where(p => MyInvocation.BoundParameters.ContainsKey(p.Name))
            .ToDictionary(p => p.Name, p => (object?)MyInvocation.BoundParameters[p.Name]);
        if (Table.Accumulate is not null && MyInvocation.ExpectingInput)
        {
            // Every piped certificate goes into the one output file, written at the end.
            _pending.Add(bound);
            return;
        }
        Run(bound);
    }

    protected override void EndProcessing()
    {
        if (_pending.Count == 0)
            return;
        string name = Table.Accumulate!;
        Dictionary<string, object?> merged = _pending[0];
        merged[name] = _pending.Where(b => b.ContainsKey(name)).Select(b => b[name]).ToArray();
        _pending.Clear();
        Run(merged);
    }

    protected override void StopProcessing() => _running?.Kill();

    public void Dispose()
    {
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }

    private void Run(Dictionary<string, object?> bound)
    {
        try
        {
            string exe = Executable.Find(Table.Name) ?? throw new NativeCommandException(new ErrorRecord(
                new FileNotFoundException($"The pkishim executable '{Table.Name}' was not found in $env:PKISHIM_BIN, " +
                    $"the module's bin folder, '{Executable.RecordedBinDir}' or PATH."),
                "PkiShimExecutableNotFound", ErrorCategory.ObjectNotFound, Table.Name));
            var argv = new ArgvBuilder(this, _temp);
            bool whatIf = Table.SupportsShouldProcess && IsSet("WhatIf", "WhatIfPreference");
            if (Table.SupportsShouldProcess && !whatIf && !ShouldProcess(ShouldProcessTarget(bound, argv), Table.Name))
                return;
            foreach (TableParameter p in Table.Parameters)
                if (bound.TryGetValue(p.Name, out object? value))
                    argv.Add(p, value);
                else if (p.IsCertLocation && CurrentCertLocation() is string location)
                    argv.Add(p, location);
            if (whatIf)
                argv.Argv.Add("-WhatIf");
            if (IsVerbose())
                argv.Argv.Add("-Verbose");
            WriteDebug(exe + " " + string.Join(" ", argv.Argv));

            string cwd = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
            NativeResult result;
            using (_running = new NativeProcess())
                result = _running.Run(exe, argv.Argv, argv.Password, cwd);
            _running = null;
            NativeStderr stderr = NativeStderr.Parse(Table.Name, result.Error);
            foreach (string line in stderr.Verbose)
                WriteVerbose(line);
            foreach (string line in stderr.Warnings)
                WriteWarning(line);
            new NativeStdout(this, Table, argv.Password, cwd).Write(result.Output);
            WriteErrors(bound, stderr.Errors, result.ExitCode);
        }
        catch (NativeCommandException e)
        {
            ThrowTerminatingError(e.Record);
        }
    }

    // The session's location as a Cert:\ path, when it is in the Cert: drive.
    private string? CurrentCertLocation()
    {
        PathInfo here = SessionState.Path.CurrentLocation;
        if (here.Provider.Name != "Certificate")
            return null;
        return @"Cert:\" + here.ProviderPath.Trim('/', '\\').Replace('/', '\\');
    }

    // Each error the command reported: non-terminating (WriteError) when it concerns one
    // input; the one it stopped on (the last, with a non-zero exit) terminates when the
    // table says its code stops the command.
    private void WriteErrors(Dictionary<string, object?> bound, List<NativeError> errors, int exitCode)
    {
        if (exitCode != 0 && errors.Count == 0)
            errors.Add(new NativeError("Unknown", $"The command failed with exit status {exitCode}.", null));
        for (int i = 0; i < errors.Count; i++)
        {
            ErrorKind kind = ErrorTable.Named(errors[i].Code);
            ErrorRecord record = kind.Record(errors[i].Message, errors[i].Target ?? ErrorTarget(bound));
            if (i == errors.Count - 1 && exitCode != 0 && kind.Terminating)
                ThrowTerminatingError(record);
            WriteError(record);
        }
    }

    /// <summary>What an error is about when the core did not say: the input as given.</summary>
    private static object? ErrorTarget(Dictionary<string, object?> bound)
    {
        foreach (string name in ErrorTargets)
        {
            if (!bound.TryGetValue(name, out object? value) || value is null)
                continue;
            if (value is IList { Count: 1 } one)
                value = one[0];
            else if (value is IList many && many.Cast<object?>().Any(v => v is Certificate))
                return many.Cast<object?>().Select(v => v is Certificate c ? c.Value : v).ToArray(); // piped, accumulated
            return value is Certificate c ? c.Value : value;
        }
        return null;
    }

    // What -WhatIf and -Confirm name, as a cmdlet names its target: the output file, else
    // the certificates (subject and thumbprint), else the paths or store; never the arguments.
    private string ShouldProcessTarget(Dictionary<string, object?> bound, ArgvBuilder argv)
    {
        foreach (string name in ShouldProcessTargets)
        {
            if (!bound.TryGetValue(name, out object? value) || value is null)
                continue;
            IEnumerable<object?> items = value is IList list ? list.Cast<object?>() : new[] { value };
            return string.Join(", ", items.Select(item =>
            {
                object? o = ArgvBuilder.Unwrap(item is Certificate c ? c.Value : item);
                if (o is X509Certificate2 x509)
                    return $"{x509.Subject} ({x509.Thumbprint})";
                if (name is "FilePath" or "LiteralPath")
                    return argv.ResolvePath(o?.ToString() ?? string.Empty);
                return o?.ToString() ?? string.Empty;
            }));
        }
        return Table.Name;
    }

    // A common switch as given, else the caller's preference variable. The caller's: the
    // command runtime reads it in the calling scope, as it does for WriteVerbose and
    // ShouldProcess; a binary module's cmdlet's SessionState lookups start elsewhere and
    // never see a function's or script block's own $VerbosePreference or $WhatIfPreference
    // (tests/ps/Runtime.Tests.ps1).
    private bool IsSet(string parameter, string preference)
    {
        if (MyInvocation.BoundParameters.TryGetValue(parameter, out object? given))
            return LanguagePrimitives.IsTrue(given);
        if (RuntimeValue(parameter) is { } effective)
            return LanguagePrimitives.IsTrue(effective);
        return LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue(preference));
    }

    private bool IsVerbose()
    {
        if (MyInvocation.BoundParameters.TryGetValue("Verbose", out object? given))
            return LanguagePrimitives.IsTrue(given);
        object? preference = RuntimeValue("VerbosePreference") ?? SessionState.PSVariable.GetValue("VerbosePreference");
        return preference is ActionPreference p && p is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore);
    }

    // The command runtime's effective value (MshCommandRuntime's internal WhatIf and
    // VerbosePreference: the switch if given, else the preference in the caller's scope);
    // null where this PowerShell has no such member.
    private object? RuntimeValue(string name)
    {
        try
        {
            return CommandRuntime?.GetType()
                .GetProperty(name, System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic |
                    System.Reflection.BindingFlags.Public)
                ?.GetValue(CommandRuntime);
        }
        catch (Exception e) when (e is System.Reflection.TargetInvocationException or MemberAccessException)
        {
            return null;
        }
    }
}

/// <summary>Where the executables are: $env:PKISHIM_BIN, the module's bin folder, the
/// folder recorded at build or install time (PkiShim.Config.psd1), or PATH.</summary>
internal static class Executable
{
    private static readonly string ModuleDir = Path.GetDirectoryName(typeof(Executable).Assembly.Location) ?? ".";
    private static readonly Lazy<string?> Recorded = new(ReadRecordedBinDir);

    public static string? RecordedBinDir => Recorded.Value;

    public static string? Find(string name)
    {
        string file = OperatingSystem.IsWindows() ? name + ".exe" : name;
        var dirs = new List<string?> { Environment.GetEnvironmentVariable("PKISHIM_BIN"), Path.Combine(ModuleDir, "bin"), Recorded.Value };
        dirs.AddRange((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator));
        foreach (string? dir in dirs)
        {
            if (string.IsNullOrEmpty(dir))
                continue;
            string candidate = Path.Combine(dir, file);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    // PkiShim.Config.psd1 is data: read by PowerShell's parser, never run.
    private static string? ReadRecordedBinDir()
    {
        string config = Path.Combine(ModuleDir, "PkiShim.Config.psd1");
        if (!File.Exists(config))
            return null;
        ScriptBlockAst ast = Parser.ParseFile(config, out _, out ParseError[] errors);
        if (errors.Length > 0 || ast.Find(a => a is HashtableAst, false) is not HashtableAst table)
            return null;
        return table.SafeGetValue() is Hashtable values ? values["BinDir"] as string : null;
    }
}

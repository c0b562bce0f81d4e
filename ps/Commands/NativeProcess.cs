// NativeProcess.cs: runs one of pkishim's executables as the module needs it:
// argv as given (never through a shell), the password on stdin with
// PKISHIM_PASSWORD_FD=0 (never in argv or the environment), PKISHIM_OUTPUT=json,
// in the session's file-system location.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using System.Threading.Tasks;

namespace PkiShim.Commands;

internal sealed record NativeResult(int ExitCode, string Output, string Error);

internal sealed class NativeProcess : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(false);
    private Process? _process;

    public NativeResult Run(string path, IEnumerable<string> argv, SecureString? password, string? workingDirectory)
    {
        var start = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
        };
        foreach (string a in argv)
            start.ArgumentList.Add(a);
        if (workingDirectory is not null && Directory.Exists(workingDirectory))
            start.WorkingDirectory = workingDirectory;
        start.Environment["PKISHIM_OUTPUT"] = "json";
        start.Environment.Remove("PKISHIM_PASSWORD_FD");
        if (password is not null)
            start.Environment["PKISHIM_PASSWORD_FD"] = "0";

        _process = Process.Start(start) ?? throw new InvalidOperationException($"'{path}' did not start.");
        Task<string> output = _process.StandardOutput.ReadToEndAsync();
        Task<string> error = _process.StandardError.ReadToEndAsync();
        try
        {
            if (password is not null)
                WritePassword(_process.StandardInput, password);
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The command exited without reading its input; its status tells why.
        }
        _process.WaitForExit();
        return new NativeResult(_process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    /// <summary>Ends the command when the pipeline is stopped (Ctrl+C).</summary>
    public void Kill()
    {
        try
        {
            if (_process is { HasExited: false })
                _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It ended meanwhile.
        }
    }

    public void Dispose() => _process?.Dispose();

    // The plain text exists only in an unmanaged buffer and a char array, both wiped;
    // never as a .NET string, which could not be.
    private static void WritePassword(StreamWriter input, SecureString password)
    {
        IntPtr plain = Marshal.SecureStringToGlobalAllocUnicode(password);
        char[] chars = new char[password.Length];
        try
        {
            Marshal.Copy(plain, chars, 0, chars.Length);
            input.Write(chars);
            input.Flush();
        }
        finally
        {
            Array.Clear(chars);
            Marshal.ZeroFreeGlobalAllocUnicode(plain);
        }
    }
}

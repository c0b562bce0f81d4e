// CommandTable.cs: what the runtime needs of a native command's parameter table
// (cmdlets/binder.h, --pkishim-json). PkiShim.Commands.g.cs, generated at build
// time by ps/Build-PkiShimModule.ps1 from that same table, fills one per command.
namespace PkiShim.Commands;

/// <summary>How a bound value becomes argv (the table's "kind").</summary>
internal enum ParameterKind
{
    Switch, Secure, DateTime, Int, String, Path, Strings, Cert, Enum, Enums, Object,
}

/// <param name="Name">The parameter's name, as the native binder knows it.</param>
/// <param name="Kind">How its value is passed.</param>
/// <param name="IsPath">A file path: resolved against the session's location before it is passed.</param>
/// <param name="IsCertLocation">A store that, when not given, is the session's location in Cert:
/// (the native command cannot know it), as Windows' cmdlets take it.</param>
internal sealed record TableParameter(string Name, ParameterKind Kind, bool IsPath, bool IsCertLocation);

/// <param name="Name">The command (and executable) name.</param>
/// <param name="Parameters">In the table's order, which is argv's order.</param>
/// <param name="Accumulate">Export-*: the certificate parameter whose piped values all go
/// into the one output file, written when the pipeline ends.</param>
/// <param name="SupportsShouldProcess">-WhatIf and -Confirm are the command's.</param>
/// <param name="ReturnsBoolean">Test-Certificate: a True/False line is a [bool].</param>
internal sealed record CommandTable(string Name, TableParameter[] Parameters, string? Accumulate,
    bool SupportsShouldProcess, bool ReturnsBoolean);

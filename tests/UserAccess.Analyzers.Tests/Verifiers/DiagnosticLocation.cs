using Microsoft.CodeAnalysis.Text;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>
/// An expected location: a file path (empty = the test's first source file), a 0-based start and, unless
/// only a position was given (<c>WithLocation(line, column)</c>), a 0-based end.
/// </summary>
public readonly record struct DiagnosticLocation(string Path, LinePosition Start, LinePosition? End)
{
    /// <summary>1-based, as the tests write it.</summary>
    public override string ToString()
    {
        var file = Path.Length == 0 ? string.Empty : Path;
        return End is { } end
            ? $"{file}({Start.Line + 1},{Start.Character + 1},{end.Line + 1},{end.Character + 1})"
            : $"{file}({Start.Line + 1},{Start.Character + 1})";
    }
}

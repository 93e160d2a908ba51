using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>
/// An expected diagnostic, with the same name and builder methods as Microsoft.CodeAnalysis.Testing's
/// <c>DiagnosticResult</c>, so that tests move to the official package by a change of references.
/// Immutable: every <c>With...</c> returns a copy. Lines and columns are 1-based.
/// </summary>
public readonly struct DiagnosticResult
{
    private readonly ImmutableArray<DiagnosticLocation> _spans;
    private readonly ImmutableArray<int> _markupKeys;

    public DiagnosticResult(string id, DiagnosticSeverity severity)
    {
        Id = id;
        Severity = severity;
    }

    public DiagnosticResult(DiagnosticDescriptor descriptor)
        : this(descriptor.Id, descriptor.DefaultSeverity)
    {
        Descriptor = descriptor;
    }

    /// <summary>An empty array, as the official package spells it: <c>VerifyAnalyzerAsync(src, DiagnosticResult.EmptyDiagnosticResults)</c>.</summary>
    public static DiagnosticResult[] EmptyDiagnosticResults { get; } = Array.Empty<DiagnosticResult>();

    public string Id { get; private init; } = string.Empty;

    /// <summary>Compared when not null. The factories that know the descriptor fill in its default severity.</summary>
    public DiagnosticSeverity? Severity { get; private init; }

    /// <summary>The descriptor when known: formats <see cref="MessageArguments"/> when the actual diagnostic cannot.</summary>
    public DiagnosticDescriptor? Descriptor { get; private init; }

    /// <summary>Primary location first, then the additional locations.</summary>
    public ImmutableArray<DiagnosticLocation> Spans
    {
        get => _spans.IsDefault ? ImmutableArray<DiagnosticLocation>.Empty : _spans;
        private init => _spans = value;
    }

    /// <summary>Markup keys (<c>{|#0:...|}</c>) not yet resolved to spans; the test resolves them before comparing.</summary>
    public ImmutableArray<int> MarkupKeys
    {
        get => _markupKeys.IsDefault ? ImmutableArray<int>.Empty : _markupKeys;
        private init => _markupKeys = value;
    }

    public bool HasLocation => !Spans.IsEmpty || !MarkupKeys.IsEmpty;

    public object?[]? MessageArguments { get; private init; }

    public string? Message { get; private init; }

    public DiagnosticOptions Options { get; private init; }

    /// <summary>Set by <c>WithMessage(null)</c>: do not compare the message even if arguments are known.</summary>
    public bool SuppressMessage { get; private init; }

    public static DiagnosticResult CompilerError(string identifier) => new(identifier, DiagnosticSeverity.Error);

    public static DiagnosticResult CompilerWarning(string identifier) => new(identifier, DiagnosticSeverity.Warning);

    /// <summary>An id whose severity is unknown (markup naming a diagnostic no analyzer declares): severity is not compared.</summary>
    internal static DiagnosticResult ForId(string id) => new() { Id = id };

    public DiagnosticResult WithSeverity(DiagnosticSeverity severity) => this with { Severity = severity };

    /// <summary>Compared by formatting the actual diagnostic's message format with these arguments.</summary>
    public DiagnosticResult WithArguments(params object?[] arguments) => this with { MessageArguments = arguments };

    public DiagnosticResult WithMessage(string? message) => this with { Message = message, SuppressMessage = message is null };

    public DiagnosticResult WithMessageFormat(LocalizableString messageFormat)
        => WithMessage(messageFormat.ToString(CultureInfo.InvariantCulture));

    public DiagnosticResult WithOptions(DiagnosticOptions options) => this with { Options = Options | options };

    /// <summary>A diagnostic with <see cref="Location.None"/> (as is a diagnostic given no location at all).</summary>
    public DiagnosticResult WithNoLocation()
        => this with { Spans = ImmutableArray<DiagnosticLocation>.Empty, MarkupKeys = ImmutableArray<int>.Empty };

    /// <summary>A location in the test's first source file (<c>/0/Test0.cs</c>): only the start is compared.</summary>
    public DiagnosticResult WithLocation(int line, int column) => WithLocation(string.Empty, line, column);

    public DiagnosticResult WithLocation(string path, int line, int column)
        => AddSpan(new DiagnosticLocation(path, new LinePosition(line - 1, column - 1), null));

    /// <summary>The location marked <c>{|#markupKey:...|}</c> in any source of the test.</summary>
    public DiagnosticResult WithLocation(int markupKey) => this with { MarkupKeys = MarkupKeys.Add(markupKey) };

    /// <summary>A span in the test's first source file (<c>/0/Test0.cs</c>).</summary>
    public DiagnosticResult WithSpan(int startLine, int startColumn, int endLine, int endColumn)
        => WithSpan(string.Empty, startLine, startColumn, endLine, endColumn);

    public DiagnosticResult WithSpan(string path, int startLine, int startColumn, int endLine, int endColumn)
        => AddSpan(new DiagnosticLocation(path, new LinePosition(startLine - 1, startColumn - 1), new LinePosition(endLine - 1, endColumn - 1)));

    public DiagnosticResult WithSpan(FileLinePositionSpan span)
        => AddSpan(new DiagnosticLocation(span.Path, span.StartLinePosition, span.EndLinePosition));

    internal DiagnosticResult AddSpan(DiagnosticLocation location) => this with { Spans = Spans.Add(location) };

    /// <summary>Replaces markup keys by spans and the empty path by the first source file's path.</summary>
    internal DiagnosticResult Resolve(Func<int, DiagnosticLocation> markupLocation, string primaryPath)
    {
        var spans = Spans.Select(s => s.Path.Length == 0 ? s with { Path = primaryPath } : s)
            .Concat(MarkupKeys.Select(markupLocation))
            .ToImmutableArray();
        return this with { Spans = spans, MarkupKeys = ImmutableArray<int>.Empty };
    }

    /// <summary>The expected message when one can be computed: an explicit message, or the format with the arguments.</summary>
    internal string? ExpectedMessage(DiagnosticDescriptor? actualDescriptor)
    {
        if (SuppressMessage)
        {
            return null;
        }

        if (Message is not null)
        {
            return Message;
        }

        var descriptor = actualDescriptor ?? Descriptor;
        if (MessageArguments is null || descriptor is null)
        {
            return null;
        }

        var format = descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture);
        try
        {
            return string.Format(CultureInfo.InvariantCulture, format, MessageArguments);
        }
        catch (FormatException)
        {
            // Too few arguments for the format: a mismatch to report with the rest, not a crash of the verifier.
            return $"<{MessageArguments.Length} argument(s) cannot fill \"{format}\">";
        }
    }

    /// <summary>Readable form for failure messages.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        builder.Append(Severity switch
        {
            null => "(any severity)",
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            DiagnosticSeverity.Info => "info",
            _ => "hidden",
        });
        builder.Append(' ').Append(Id);
        if (!HasLocation)
        {
            builder.Append(" (no location)");
        }

        foreach (var span in Spans)
        {
            builder.Append(" at ").Append(span);
        }

        foreach (var key in MarkupKeys)
        {
            builder.Append(" at {|#").Append(key).Append(":...|}");
        }

        if (MessageArguments is not null)
        {
            builder.Append(" with arguments (").Append(string.Join(", ", MessageArguments.Select(a => $"\"{a}\""))).Append(')');
        }

        if (Message is not null)
        {
            builder.Append(": ").Append(Message);
        }

        return builder.ToString();
    }
}

/// <summary>As in the official package.</summary>
[Flags]
public enum DiagnosticOptions
{
    None = 0,

    /// <summary>Do not compare the actual diagnostic's additional locations (markup diagnostics imply it).</summary>
    IgnoreAdditionalLocations = 1,

    /// <summary>Do not compare the severity.</summary>
    IgnoreSeverity = 2,
}

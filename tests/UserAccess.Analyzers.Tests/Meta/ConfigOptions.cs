using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace UserAccess.Analyzers.Tests.Meta;

/// <summary>
/// <c>.editorconfig</c> options as the compiler hands them to analyzers: the same key/value pairs for every
/// file (what a <c>[*.cs]</c> section gives), with keys compared case-insensitively as the compiler does.
/// </summary>
internal sealed class ConfigOptions : AnalyzerConfigOptionsProvider
{
    private readonly Options options;

    public ConfigOptions(IEnumerable<KeyValuePair<string, string>> values)
    {
        options = new Options(values.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase));
    }

    public override AnalyzerConfigOptions GlobalOptions => options;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => options;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => options;

    /// <summary>Analyzer options carrying these values, for <see cref="CompilationWithAnalyzers"/>.</summary>
    public AnalyzerOptions ToAnalyzerOptions() => new(ImmutableArray<AdditionalText>.Empty, this);

    private sealed class Options : AnalyzerConfigOptions
    {
        private readonly ImmutableDictionary<string, string> values;

        public Options(ImmutableDictionary<string, string> values) => this.values = values;

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}

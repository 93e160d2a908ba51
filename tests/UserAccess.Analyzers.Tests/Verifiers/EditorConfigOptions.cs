using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>
/// The options a real build derives from <c>.editorconfig</c> files, built the way the compiler builds them
/// (<see cref="AnalyzerConfigSet"/>): key/value pairs for analyzers (<c>useraccess.might_sleep_methods = ...</c>)
/// through <see cref="AnalyzerConfigOptionsProvider"/>, and rule severities
/// (<c>dotnet_diagnostic.UA1001.severity = error</c>) through <see cref="SyntaxTreeOptionsProvider"/> on the
/// compilation options, which is where the compiler applies them.
/// </summary>
public sealed class EditorConfigOptions
{
    private readonly AnalyzerConfigSet _set;

    private EditorConfigOptions(AnalyzerConfigSet set) => _set = set;

    public static EditorConfigOptions Create(IEnumerable<(string Path, string Text)> configFiles)
    {
        var configs = configFiles
            .Select(file => AnalyzerConfig.Parse(SourceText.From(file.Text), file.Path))
            .ToImmutableArray();
        return new EditorConfigOptions(AnalyzerConfigSet.Create(configs));
    }

    public AnalyzerConfigOptionsProvider AnalyzerConfigOptionsProvider => new OptionsProvider(_set);

    public SyntaxTreeOptionsProvider SyntaxTreeOptionsProvider => new TreeOptionsProvider(_set);

    private sealed class Options : AnalyzerConfigOptions
    {
        private readonly ImmutableDictionary<string, string> _values;

        public Options(ImmutableDictionary<string, string> values) => _values = values;

        public override IEnumerable<string> Keys => _values.Keys;

        public override bool TryGetValue(string key, out string value)
        {
            if (_values.TryGetValue(key, out var found))
            {
                value = found;
                return true;
            }

            value = string.Empty;
            return false;
        }
    }

    private sealed class OptionsProvider : AnalyzerConfigOptionsProvider
    {
        private readonly AnalyzerConfigSet _set;

        public OptionsProvider(AnalyzerConfigSet set)
        {
            _set = set;
            GlobalOptions = new Options(set.GlobalConfigOptions.AnalyzerOptions);
        }

        public override AnalyzerConfigOptions GlobalOptions { get; }

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree)
            => new Options(_set.GetOptionsForSourcePath(tree.FilePath).AnalyzerOptions);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile)
            => new Options(_set.GetOptionsForSourcePath(textFile.Path).AnalyzerOptions);
    }

    private sealed class TreeOptionsProvider : SyntaxTreeOptionsProvider
    {
        private readonly AnalyzerConfigSet _set;

        public TreeOptionsProvider(AnalyzerConfigSet set) => _set = set;

        /// <summary><c>generated_code = true|false</c>, as the compiler reads it; otherwise the comment/file-name heuristics decide.</summary>
        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken)
        {
            var options = _set.GetOptionsForSourcePath(tree.FilePath).AnalyzerOptions;
            if (options.TryGetValue("generated_code", out var value) && bool.TryParse(value, out var generated))
            {
                return generated ? GeneratedKind.MarkedGenerated : GeneratedKind.NotGenerated;
            }

            return GeneratedKind.Unknown;
        }

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
            => _set.GetOptionsForSourcePath(tree.FilePath).TreeOptions.TryGetValue(diagnosticId, out severity);

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
            => _set.GlobalConfigOptions.TreeOptions.TryGetValue(diagnosticId, out severity);
    }
}

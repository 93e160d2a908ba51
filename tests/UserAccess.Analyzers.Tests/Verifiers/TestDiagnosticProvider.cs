using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>
/// What a Fix All provider asks for the diagnostics to fix: the same analysis as the test's (same options,
/// same analyzers), per document, per project (no location), or all of a project.
/// </summary>
internal sealed class TestDiagnosticProvider : FixAllContext.DiagnosticProvider
{
    private readonly FixSession _session;

    public TestDiagnosticProvider(FixSession session) => _session = session;

    public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        => (await _session.GetFixableDiagnosticsAsync(document.Project, cancellationToken).ConfigureAwait(false))
            .Where(d => d.Location.IsInSource && d.Location.SourceTree!.FilePath == document.FilePath);

    public override async Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
        => (await _session.GetFixableDiagnosticsAsync(project, cancellationToken).ConfigureAwait(false)).Where(d => !d.Location.IsInSource);

    public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
        => await _session.GetFixableDiagnosticsAsync(project, cancellationToken).ConfigureAwait(false);
}

using Microsoft.CodeAnalysis.Testing;
using UserAccess.Analyzers.Tests.Infrastructure;
using UserAccess.Analyzers.Tests.Verifiers;

namespace UserAccess.Analyzers.Tests.Seeds;

/// <summary>What every rule test source starts with: simulator code reads like the kernel.</summary>
internal static class TestSources
{
    public const string Usings = "using System;\nusing UserAccess.Runtime;\nusing UserAccess.Runtime.Annotations;\nusing static UserAccess.Runtime.Kernel;\nusing static UserAccess.Runtime.Errno;\n";

    /// <summary>Primary location only: the code-fix locations are tested separately.</summary>
    public static DiagnosticResult At(this DiagnosticResult result, int markup) =>
        result.WithLocation(markup).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);
}

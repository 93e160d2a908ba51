using System;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>Which compiler diagnostics take part in the comparison (as in the official package).</summary>
public enum CompilerDiagnostics
{
    /// <summary>None: the opt-out for tests whose input need not compile.</summary>
    None,

    /// <summary>The default: the input must compile, or expect its errors explicitly.</summary>
    Errors,
    Warnings,
    Suggestions,
    All,
}

/// <summary>Opt-outs of the automatic extra passes (names as in the official package).</summary>
[Flags]
public enum TestBehaviors
{
    None = 0,

    /// <summary>Skip the pass with <c>// &lt;auto-generated/&gt;</c> at the top of every source.</summary>
    SkipGeneratedCodeCheck = 1,

    /// <summary>Skip the pass with <c>#pragma warning disable</c> of the expected ids.</summary>
    SkipSuppressionCheck = 2,
}

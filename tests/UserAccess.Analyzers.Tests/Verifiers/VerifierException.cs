using System;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>A failed verification. Its message is the report: what was expected, what happened, and how to write it.</summary>
public sealed class VerifierException : Exception
{
    public VerifierException(string message)
        : base(message)
    {
    }
}

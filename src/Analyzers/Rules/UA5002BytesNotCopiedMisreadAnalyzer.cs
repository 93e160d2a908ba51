using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// UA5002: a bytes-not-copied result (<c>[ReturnsBytesNotCopied]</c>, directly or through a local
/// that holds it on some path) read as an errno or compared with the size:
/// <list type="bullet">
/// <item>compared with a negative value (<c>&lt; 0</c>, <c>== -EFAULT</c>), or with <c>&lt; 0</c>/<c>&gt;= 0</c>/<c>&lt;= 0</c>;</item>
/// <item>ordered against anything but the constant 0 (<c>&gt;= n</c>, <c>&lt; size</c>);</item>
/// <item>returned from a method that returns negative errnos (<c>[ReturnsErrno]</c> or an error path).</item>
/// </list>
/// <c>!= 0</c>, <c>== 0</c>, <c>&gt; 0</c> and arithmetic with the count (<c>n - left</c>) are correct.
/// Reported on the comparison, or on the returned expression; the copy call is an additional location.
/// </summary>
public sealed class UA5002BytesNotCopiedMisreadAnalyzer : RuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.BytesNotCopiedMisread,
        "Bytes-not-copied result treated as an errno or size",
        "'{0}' returns the number of bytes not copied, not an errno: {1}",
        "UserAccess.Results",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "copy_from_user()/copy_to_user() return the bytes NOT copied; a partial copy is a failure, tested with != 0 and answered with -EFAULT.",
        helpLinkUri: HelpLink(DiagnosticIds.BytesNotCopiedMisread));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    private protected override void Analyze(CompilationEngine engine, MethodAnalysis analysis, Action<Diagnostic> report)
    {
        foreach (var comparison in analysis.Comparisons)
        {
            if ((comparison.Kinds & ValueKinds.BytesNotCopied) == 0 || comparison.Origin is not IInvocationOperation origin)
            {
                continue;
            }

            var op = comparison.NormalizedOperator;
            long? constant = comparison.Other.ConstantValue is { HasValue: true } c ? FlowAnalysis.ToLong(c.Value) : null;
            bool misuse = constant switch
            {
                < 0 => true,
                0 => op is BinaryOperatorKind.LessThan or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.LessThanOrEqual,
                _ => op is BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual,
            };
            if (!misuse)
            {
                continue;
            }

            string other = comparison.Other.Syntax.ToString();
            report(new DiagnosticData()
                .Location(DiagnosticProperties.OriginLocation, origin)
                .Create(Rule, comparison.Comparison, origin.TargetMethod.Name, "test it with '!= 0' instead of '" + OperatorText(op) + " " + other + "'"));
        }

        if (!analysis.ReturnsErrno || analysis.Annotations.ReturnsBytesNotCopied)
        {
            return;
        }

        foreach (var returned in analysis.Returns)
        {
            if ((returned.Kinds & ValueKinds.BytesNotCopied) != 0 && returned.Origin is IInvocationOperation origin)
            {
                report(new DiagnosticData()
                    .Location(DiagnosticProperties.OriginLocation, origin)
                    .Create(Rule, returned.Value, origin.TargetMethod.Name, "'" + analysis.Method.Name + "' returns errnos, so return -EFAULT when it is not 0"));
            }
        }
    }

    private static string OperatorText(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.Equals => "==",
        BinaryOperatorKind.NotEquals => "!=",
        BinaryOperatorKind.LessThan => "<",
        BinaryOperatorKind.LessThanOrEqual => "<=",
        BinaryOperatorKind.GreaterThan => ">",
        _ => ">=",
    };
}

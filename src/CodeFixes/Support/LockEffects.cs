using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// What one call does to the locks and regions, read from its [Acquires]/[Releases]/
/// [EntersRegion]/[ExitsRegion] annotations, with the lock named by the call's own receiver or
/// argument text (one function, so the same text names the same lock).
/// </summary>
internal sealed class LockEffect
{
    private LockEffect(bool isAcquire, ImmutableArray<string> keys, int when, IMethodSymbol method)
    {
        IsAcquire = isAcquire;
        Keys = keys;
        When = when;
        Method = method;
    }

    /// <summary>Takes (true) or releases (false).</summary>
    internal bool IsAcquire { get; }

    /// <summary>The locks and regions, sorted: a spinlock is both its lock and the atomic region.</summary>
    internal ImmutableArray<string> Keys { get; }

    /// <summary>AcquiredWhen: 0 always, 1 when the call returns 0, 2 when it returns true.</summary>
    internal int When { get; }

    internal IMethodSymbol Method { get; }

    internal string KeyText => string.Join("|", Keys);

    /// <summary>The effect of the call, null when it has none, and <paramref name="unknown"/> when its lock cannot be named.</summary>
    internal static LockEffect? Of(SemanticModel model, InvocationExpressionSyntax invocation, CancellationToken cancellationToken, out bool unknown)
    {
        unknown = false;
        if (SyntaxSupport.Method(model, invocation, cancellationToken) is not { } method)
        {
            return null;
        }

        var acquires = new List<string>();
        var releases = new List<string>();
        int when = 0;
        foreach (var attribute in method.OriginalDefinition.GetAttributes())
        {
            if (AnnotationNames.IsNamed(attribute.AttributeClass, AnnotationNames.Acquires) || AnnotationNames.IsNamed(attribute.AttributeClass, AnnotationNames.Releases))
            {
                var path = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
                var key = path is null ? null : LockKey(model, invocation, method, path, cancellationToken);
                if (key is null)
                {
                    unknown = true;
                    return null;
                }

                if (AnnotationNames.IsNamed(attribute.AttributeClass, AnnotationNames.Acquires))
                {
                    acquires.Add(key);
                    if (AnnotationNames.NamedValue(attribute, "When") is int w)
                    {
                        when = w;
                    }
                }
                else
                {
                    releases.Add(key);
                }
            }
            else if (AnnotationNames.IsNamed(attribute.AttributeClass, AnnotationNames.EntersRegion) && attribute.ConstructorArguments.Length == 1)
            {
                acquires.Add(RegionKey(attribute.ConstructorArguments[0].Value));
            }
            else if (AnnotationNames.IsNamed(attribute.AttributeClass, AnnotationNames.ExitsRegion) && attribute.ConstructorArguments.Length == 1)
            {
                releases.Add(RegionKey(attribute.ConstructorArguments[0].Value));
            }
        }

        if (acquires.Count > 0 && releases.Count > 0)
        {
            // Both at once (a lock handover) is nothing the fixes can reason about.
            unknown = true;
            return null;
        }

        if (acquires.Count > 0)
        {
            return new LockEffect(true, acquires.OrderBy(k => k, System.StringComparer.Ordinal).ToImmutableArray(), when, method);
        }

        if (releases.Count > 0)
        {
            return new LockEffect(false, releases.OrderBy(k => k, System.StringComparer.Ordinal).ToImmutableArray(), 0, method);
        }

        return null;
    }

    /// <summary>True when the effect holds a nofault or atomic region.</summary>
    internal bool IsRegion => Keys.Any(k => k.StartsWith("region:", System.StringComparison.Ordinal));

    /// <summary>True when the effect enters or leaves the nofault region (<c>Region.Nofault</c> is 0).</summary>
    internal bool IsNofaultRegion => Keys.Contains(RegionKey(0));

    /// <summary>The key of a region: its <c>Region</c> value as the attribute stores it.</summary>
    private static string RegionKey(object? region) => "region:" + region;

    private static string? LockKey(SemanticModel model, InvocationExpressionSyntax invocation, IMethodSymbol method, string path, CancellationToken cancellationToken)
    {
        var dot = path.IndexOf('.');
        var head = dot < 0 ? path : path.Substring(0, dot);
        var rest = dot < 0 ? string.Empty : path.Substring(dot);
        string? baseText;
        if (head == "this")
        {
            baseText = invocation.Expression is MemberAccessExpressionSyntax access ? access.Expression.WithoutTrivia().ToString() : "this";
        }
        else
        {
            if (model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation)
            {
                return null;
            }

            var argument = operation.Arguments.FirstOrDefault(a => a.Parameter?.Name == head);
            baseText = argument?.Value.Syntax.WithoutTrivia().ToString();
        }

        return baseText is null ? null : "lock:" + baseText + rest;
    }
}

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// UA5003: an unchecked access (a <c>[RequiresAccessOk]</c> parameter: <c>GetUserUnchecked</c>,
/// <c>PutUserUnchecked</c>) on a pointer that no check on every path covers. The engine's
/// <see cref="AccessRanges.Covers"/> decides: a successful <c>[AccessOkCheck]</c> call, a callee that
/// checks before returning 0 (<c>get_futex_key()</c>, <c>get_user()</c>), constant offsets within the
/// checked size, an index below the checked length, a pointer walking a checked range. A
/// <c>[RequiresAccessOk]</c> parameter of the user's own method is assumed checked inside it (its
/// callers are checked). A pointer returned by a source helper is what the helper's summary says: checked
/// on every return, or computed with no check (<c>compat_alloc_user_space()</c> before v2.6.36), which is
/// reported. Undecidable cases stay silent: a pointer loaded from another object's field or returned by a
/// helper that passes on a pointer it was given, a walk or an index in a range of unknown extent.
/// Reported on the invocation.
/// </summary>
public sealed class UA5003UncheckedAccessAnalyzer : RuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.UncheckedAccess,
        "Unchecked user access without AccessOk",
        "'{0}' does not range-check '{1}'; check it with AccessOk for {2} first",
        "UserAccess.Results",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "__get_user/__put_user skip the range check: without access_ok() a user could point them at kernel memory.",
        helpLinkUri: HelpLink(DiagnosticIds.UncheckedAccess));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    private protected override void Analyze(CompilationEngine engine, MethodAnalysis analysis, Action<Diagnostic> report)
    {
        foreach (var call in analysis.Calls)
        {
            // Most calls have no parameter that needs a check: no range work for them.
            if (call.Effects.Annotations.RequiresAccessOk.IsEmpty)
            {
                continue;
            }

            foreach (var (pointer, size) in UncheckedPointers(analysis, call))
            {
                string text = FlowAnalysis.Strip(pointer).Syntax.ToString();
                report(new DiagnosticData()
                    .Property(DiagnosticProperties.PointerExpression, text)
                    .Property(DiagnosticProperties.AccessSize, size?.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .Create(Rule, call.Operation, call.Effects.Name, text, size is long n ? n + " bytes" : "the accessed size"));
            }
        }
    }

    /// <summary>
    /// The pointers of a <c>[RequiresAccessOk]</c> call no check before it covers, with the size the
    /// access needs: what the rule reports and what its fix must make checked.
    /// </summary>
    internal static IEnumerable<(IOperation Pointer, long? Size)> UncheckedPointers(MethodAnalysis analysis, CallSite call)
    {
        var method = call.Effects.Method;
        foreach (int ordinal in call.Effects.Annotations.RequiresAccessOk)
        {
            if (ordinal >= method.Parameters.Length)
            {
                continue;
            }

            var pointer = FlowAnalysis.ArgumentFor(method, call.Effects.Arguments, method.Parameters[ordinal].Name);
            if (pointer is null || pointer.Type is null or IErrorTypeSymbol)
            {
                continue;
            }

            long? size = AccessSize(method.Parameters[ordinal].Type, call.Effects.Annotations.UserAccessSize);
            var sizeValue = SizeValue(call);
            if (AccessRanges.Covers(pointer, size, call.Before, helper => CalleeChecks.ReturnedBy(analysis, helper), sizeValue, () => analysis.Loops) == Coverage.Unchecked)
            {
                yield return (pointer, size);
            }
        }
    }

    /// <summary>The expression of an access's size given as an argument: an integer length, or the length of the span copied (<c>buf.AsSpan(0, n)</c>).</summary>
    private static IOperation? SizeValue(CallSite call)
    {
        if (call.Effects.Annotations.UserAccessSize is not { } name
            || FlowAnalysis.ArgumentFor(call.Effects.Method, call.Effects.Arguments, name) is not { } argument)
        {
            return null;
        }

        if (OperandRanges.IsInteger(argument.Type))
        {
            return argument;
        }

        UserFetch.ArrayBehind(argument, out var length, out _);
        return length;
    }

    /// <summary>The access size: <c>sizeof(T)</c> of a <c>UserPtr&lt;T&gt;</c> of a primitive <c>T</c>; <c>null</c> when unknown.</summary>
    internal static long? AccessSize(ITypeSymbol pointerType, string? sizeParameter)
    {
        if (sizeParameter is not null || pointerType is not INamedTypeSymbol { TypeArguments.Length: 1 } named)
        {
            return null;
        }

        return named.TypeArguments[0].SpecialType switch
        {
            SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Boolean => 1,
            SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Char => 2,
            SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Single => 4,
            SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Double => 8,
            _ => null,
        };
    }
}

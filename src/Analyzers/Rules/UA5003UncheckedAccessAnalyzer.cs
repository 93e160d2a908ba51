using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// UA5003: an unchecked access (a <c>[RequiresAccessOk]</c> parameter: <c>GetUserUnchecked</c>,
/// <c>PutUserUnchecked</c>) on a pointer that is not range-checked on every path by a successful
/// <c>[AccessOkCheck]</c> call on the same local/parameter/field with a size covering the access
/// (<c>p</c>, or <c>p + k</c> with <c>k</c> + the access size within the checked size). A
/// non-constant checked size is taken as covering. Assigning the pointer forgets the check. A
/// <c>[RequiresAccessOk]</c> parameter of the user's own method is assumed checked inside it (its
/// callers are checked). Reported on the invocation.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
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
                if (IsChecked(pointer, size, call.Before))
                {
                    continue;
                }

                string text = FlowAnalysis.Strip(pointer).Syntax.ToString();
                report(new DiagnosticData()
                    .Property(DiagnosticProperties.Callee, method.Name)
                    .Property(DiagnosticProperties.PointerExpression, text)
                    .Property(DiagnosticProperties.AccessSize, size?.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .Create(Rule, call.Operation, call.Effects.Name, text, size is long n ? n + " bytes" : "the accessed size"));
            }
        }
    }

    /// <summary>The pointer is range-checked for <paramref name="size"/> bytes in <paramref name="state"/>: the rule's one reading, which the fix asks too.</summary>
    internal static bool IsChecked(IOperation pointer, long? size, FlowState state)
    {
        // The variable the pointer is an address in, and the offset from it: p, p + 4, p.Cast<T>(), (p + 4).Cast<T>().
        if (AlignmentFacts.Root(pointer, out long offset) is not { } symbol)
        {
            return false;
        }

        var fact = state.GetFact(symbol);
        if (!fact.AccessChecked)
        {
            return false;
        }

        return fact.CheckedSize is not long covered || size is not long needed || offset + needed <= covered;
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

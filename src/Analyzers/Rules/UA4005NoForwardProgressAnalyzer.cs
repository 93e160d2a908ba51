using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// UA4005: a retry loop with no forward-progress guarantee. A page-granular fault-in of a range
/// (<c>[FaultsIn(Size = ...)]</c> without <c>SubPage</c>) on the same cycle as a nofault access that
/// does not restart where it stopped: an all-or-nothing access (no <c>[ReturnsBytesNotCopied]</c>
/// result: <c>CopyToUserNofault</c>, a helper that wraps one) or a partial copy whose count the
/// fault-in's pointer is not built from (<c>FaultInReadable(p + copied, ...)</c> is). The probe sees
/// page starts only, so a fault inside a page (an arm64 MTE tag, a sub-page fault) lets fault-in
/// succeed and the copy fail again, forever. A loop bounded by a counter (<c>retries &lt; 3</c>)
/// terminates and is not reported. Reported on the fault-in.
/// </summary>
public sealed class UA4005NoForwardProgressAnalyzer : RuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.NoForwardProgress,
        "Retry loop without a forward-progress guarantee",
        "'{0}' faults in page by page from '{1}', not from where '{2}' stopped: a fault inside a page that the probe cannot see makes fault-in succeed and the copy fail again, forever",
        "UserAccess.Retry",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "btrfs search_ioctl() livelocked on arm64 MTE: fault_in_writeable() probes page starts only. Use fault_in_subpage_writeable(), or fault in from the position where the copy stopped.",
        helpLinkUri: HelpLink(DiagnosticIds.NoForwardProgress));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    private protected override void Analyze(CompilationEngine engine, MethodAnalysis analysis, Action<Diagnostic> report)
    {
        LoopFacts? facts = null;
        foreach (var faultIn in analysis.Calls)
        {
            var annotations = faultIn.Effects.Annotations;
            if (annotations.FaultsInKind is null || !annotations.FaultsInRange || annotations.FaultsInSubPage
                || faultIn.Operation is not IInvocationOperation invocation)
            {
                continue;
            }

            facts ??= analysis.Loops;
            if (facts.PositionOf(faultIn.Operation) is not { } position)
            {
                continue;
            }

            var pointer = PointerArgument(engine, invocation);
            var pointerSymbols = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            LoopFacts.SymbolsIn(pointer, pointerSymbols);
            CallSite? stuck = null;
            foreach (var loop in facts.LoopsContaining(position.Block))
            {
                // A loop bounded by a retry counter ends whatever the copy does; an offset stepped by a
                // constant through the buffer (it addresses the accesses) counts progress, not retries.
                if (loop.Counters.Any(counter => !pointerSymbols.Contains(counter) && !AddressesAnAccess(analysis, facts, loop, counter)))
                {
                    stuck = null;
                    break;
                }

                stuck ??= analysis.Calls.FirstOrDefault(call => RetryProtocol.IsNofaultAccess(call)
                    && facts.PositionOf(call.Operation) is { } at && loop.Contains(at.Block)
                    && !RestartsWhereItStopped(analysis, call, pointerSymbols)
                    && !IsOneSmallValueAt(call, pointer));
            }

            if (stuck is null || pointer is null)
            {
                continue;
            }

            report(new DiagnosticData()
                .Property(DiagnosticProperties.SubPageFaultIn, SubPageVariant(engine, invocation.TargetMethod)?.Name)
                .Location(DiagnosticProperties.AccessLocation, stuck.Operation)
                .Create(Rule, faultIn.Operation, faultIn.Effects.Name, pointer.Syntax.ToString(), stuck.Effects.Name));
        }
    }

    /// <summary>
    /// A partial copy (it returns the bytes not copied) whose count the fault-in's pointer is built
    /// from: <c>copied = bytes - CopyFromUser(...); from += copied; ... FaultInReadable(from, ...)</c>.
    /// </summary>
    private static bool RestartsWhereItStopped(MethodAnalysis analysis, CallSite copy, HashSet<ISymbol> pointerSymbols)
    {
        if (!copy.Effects.Annotations.ReturnsBytesNotCopied || pointerSymbols.Count == 0)
        {
            return false;
        }

        // The variables whose value the copy's result flows into, through assignments (a few rounds: copied, then from).
        var derived = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        for (int round = 0; round < 4; round++)
        {
            int before = derived.Count;
            foreach (var block in analysis.Graph.Blocks)
            {
                foreach (var root in block.Operations)
                {
                    foreach (var operation in root.DescendantsAndSelf())
                    {
                        if (operation is IAssignmentOperation assignment && FlowAnalysis.SymbolOf(assignment.Target) is { } target
                            && assignment.Value.DescendantsAndSelf().Any(o => ReferenceEquals(o, copy.Operation) || (FlowAnalysis.SymbolOf(o) is { } s && derived.Contains(s))))
                        {
                            derived.Add(target);
                        }
                    }
                }
            }

            if (derived.Count == before)
            {
                break;
            }
        }

        return pointerSymbols.Overlaps(derived);
    }

    /// <summary>
    /// <c>GetUser(out v, uaddr)</c> then <c>FaultInReadable(uaddr, sizeof(uint))</c>: one value of at
    /// most 8 bytes lies in one granule, and the probe touches the byte the access starts at.
    /// </summary>
    private static bool IsOneSmallValueAt(CallSite access, IOperation? pointer)
    {
        if (pointer is null || access.Effects.Annotations.UserAccessKind is null || access.Effects.Annotations.UserAccessSize is not null)
        {
            return false;
        }

        foreach (var argument in access.Effects.Arguments)
        {
            if (argument.Parameter?.Type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } type
                && AlignmentFacts.IsUserPtr(type)
                && type.TypeArguments[0].SpecialType is SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16
                    or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
                && FlowAnalysis.Strip(argument.Value).Syntax.ToString() == pointer.Syntax.ToString())
            {
                return true;
            }
        }

        return false;
    }

    private static bool AddressesAnAccess(MethodAnalysis analysis, LoopFacts facts, LoopInfo loop, ISymbol symbol) =>
        analysis.Calls.Any(call => (call.Effects.Annotations.UserAccessKind is not null || RetryProtocol.IsNofaultAccess(call))
            && facts.PositionOf(call.Operation) is { } at && loop.Contains(at.Block)
            && call.PointerSymbols.Contains(symbol));

    /// <summary>The argument for the <c>[FaultsIn(Pointer = ...)]</c> parameter.</summary>
    private static IOperation? PointerArgument(CompilationEngine engine, IInvocationOperation invocation)
    {
        foreach (var attribute in invocation.TargetMethod.OriginalDefinition.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, engine.Known.FaultsIn))
            {
                var name = attribute.NamedArguments.FirstOrDefault(p => p.Key == "Pointer").Value.Value as string ?? "uaddr";
                return FlowAnalysis.ArgumentFor(invocation.TargetMethod, invocation.Arguments, name) is { } value ? FlowAnalysis.Strip(value) : null;
            }
        }

        return null;
    }

    /// <summary>The <c>[FaultsIn(SubPage = true)]</c> method of the same type, access kind and parameter types.</summary>
    private static IMethodSymbol? SubPageVariant(CompilationEngine engine, IMethodSymbol faultIn)
    {
        var kind = engine.GetAnnotations(faultIn).FaultsInKind;
        foreach (var member in faultIn.ContainingType.GetMembers())
        {
            if (member is IMethodSymbol candidate && candidate.IsStatic == faultIn.IsStatic
                && engine.GetAnnotations(candidate) is { FaultsInSubPage: true } annotations && annotations.FaultsInKind == kind
                && candidate.Parameters.Length == faultIn.Parameters.Length
                && candidate.Parameters.Zip(faultIn.Parameters, (a, b) => SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(same => same))
            {
                return candidate;
            }
        }

        return null;
    }
}

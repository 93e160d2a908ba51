using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// The annotations of one method, read once from its attributes (cached per symbol by
/// <see cref="AnnotationCache"/>). Lock names stay unresolved (<see cref="LockRef"/>) until a call site.
/// </summary>
internal sealed class MethodAnnotations
{
    public static readonly MethodAnnotations None = new();

    public bool HasAny { get; private set; }

    public bool MightSleep { get; private set; }

    public string? SleepFlagsParameter { get; private set; }

    public long SleepFlags { get; private set; }

    public bool MightFault { get; private set; }

    public bool AtomicContext { get; private set; }

    public bool ResolvesFaults { get; private set; }

    public bool NofaultAccess { get; private set; }

    public bool FatalSignalCheck { get; private set; }

    /// <summary><c>[FatalSignalCheck(AnySignal = true)]</c>: true for any pending signal (<c>signal_pending()</c>), not only a fatal one.</summary>
    public bool FatalSignalCheckAnySignal { get; private set; }

    public bool MustCheck { get; private set; }

    public bool ReturnsErrno { get; private set; }

    public bool ReturnsBytesNotCopied { get; private set; }

    public bool ReturnsBytesNotFaultedIn { get; private set; }

    /// <summary>It returns another task's mm (<c>[RemoteMm]</c>: <c>get_task_mm()</c>, <c>mm_access()</c>).</summary>
    public bool ReturnsRemoteMm { get; private set; }

    public ImmutableArray<RegionKind> Enters { get; private set; } = ImmutableArray<RegionKind>.Empty;

    public ImmutableArray<RegionKind> Exits { get; private set; } = ImmutableArray<RegionKind>.Empty;

    public ImmutableArray<LockRef> Acquires { get; private set; } = ImmutableArray<LockRef>.Empty;

    public ImmutableArray<LockRef> Releases { get; private set; } = ImmutableArray<LockRef>.Empty;

    public ImmutableArray<LockRef> Requires { get; private set; } = ImmutableArray<LockRef>.Empty;

    /// <summary>The killable variant's name (<c>[HasKillableVariant]</c>).</summary>
    public string? KillableVariant { get; private set; }

    public UserAccessKind? FaultsInKind { get; private set; }

    /// <summary><c>[FaultsIn(Size = ...)]</c>: it faults in a range (page by page unless <see cref="FaultsInSubPage"/>), not one address.</summary>
    public bool FaultsInRange { get; private set; }

    /// <summary><c>[FaultsIn(SubPage = true)]</c>: it probes at the granularity of the architecture's sub-page faults (<c>fault_in_subpage_writeable()</c>).</summary>
    public bool FaultsInSubPage { get; private set; }

    /// <summary>A read fault-in, or <c>[FaultsIn(Safe = true)]</c>: it never writes user memory (<c>fault_in_safe_writeable()</c>).</summary>
    public bool FaultsInSafe { get; private set; }

    /// <summary><c>[FaultsIn(Pointer = ...)]</c>: the parameter holding the address to fault in.</summary>
    public string? FaultsInPointer { get; private set; }

    /// <summary><c>[FaultsIn(Size = ...)]</c>: the parameter holding the size of the range.</summary>
    public string? FaultsInSize { get; private set; }

    public UserAccessKind? UserAccessKind { get; private set; }

    public string? UserAccessPointer { get; private set; }

    public string? UserAccessSize { get; private set; }

    public string? AccessOkPointer { get; private set; }

    public string? AccessOkSize { get; private set; }

    /// <summary>Ordinals of the <c>[RequiresAccessOk]</c> parameters.</summary>
    public ImmutableArray<int> RequiresAccessOk { get; private set; } = ImmutableArray<int>.Empty;

    /// <summary>Ordinals of the <c>[RequiresAlignment]</c> parameters (for UA3001).</summary>
    public ImmutableArray<int> RequiresAlignment { get; private set; } = ImmutableArray<int>.Empty;

    public bool UserBitOperation { get; private set; }

    public bool IsAccessOkCheck => AccessOkPointer is not null;

    public bool IsConditionalAcquire
    {
        get
        {
            foreach (var a in Acquires)
            {
                if (a.When != AcquireWhen.Always)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// The method or one of its parameters has an attribute of some kind: only such a method may be
    /// annotated. Most callees of kernel code have none, and this answers them from the attribute
    /// arrays the symbol already holds instead of a lookup in the shared table.
    /// </summary>
    public static bool MayCarry(IMethodSymbol method)
    {
        if (!method.GetAttributes().IsEmpty)
        {
            return true;
        }

        foreach (var parameter in method.Parameters)
        {
            if (!parameter.GetAttributes().IsEmpty)
            {
                return true;
            }
        }

        return false;
    }

    public static MethodAnnotations Read(IMethodSymbol method, KnownAnnotations known)
    {
        var result = new MethodAnnotations();
        // Empty builders: most methods name no region or lock, and the default capacity allocated eight entries for each.
        var enters = ImmutableArray.CreateBuilder<RegionKind>(0);
        var exits = ImmutableArray.CreateBuilder<RegionKind>(0);
        var acquires = ImmutableArray.CreateBuilder<LockRef>(0);
        var releases = ImmutableArray.CreateBuilder<LockRef>(0);
        var requires = ImmutableArray.CreateBuilder<LockRef>(0);
        foreach (var attribute in method.GetAttributes())
        {
            var type = attribute.AttributeClass;
            if (type is null)
            {
                continue;
            }

            if (Is(type, known.MightSleep))
            {
                result.MightSleep = true;
                result.SleepFlagsParameter = NamedString(attribute, "FlagsParameter");
                result.SleepFlags = NamedLong(attribute, "SleepFlags");
            }
            else if (Is(type, known.MightFault))
            {
                result.MightFault = true;
            }
            else if (Is(type, known.AtomicContext))
            {
                result.AtomicContext = true;
            }
            else if (Is(type, known.ResolvesFaults))
            {
                result.ResolvesFaults = true;
            }
            else if (Is(type, known.NofaultAccess))
            {
                result.NofaultAccess = true;
            }
            else if (Is(type, known.FatalSignalCheck))
            {
                result.FatalSignalCheck = true;
                result.FatalSignalCheckAnySignal = NamedBool(attribute, "AnySignal");
            }
            else if (Is(type, known.MustCheck))
            {
                result.MustCheck = true;
            }
            else if (Is(type, known.ReturnsErrno))
            {
                result.ReturnsErrno = true;
            }
            else if (Is(type, known.ReturnsBytesNotCopied))
            {
                result.ReturnsBytesNotCopied = true;
            }
            else if (Is(type, known.ReturnsBytesNotFaultedIn))
            {
                result.ReturnsBytesNotFaultedIn = true;
            }
            else if (Is(type, known.RemoteMm))
            {
                result.ReturnsRemoteMm = true;
            }
            else if (Is(type, known.EntersRegion) && CtorInt(attribute) is int entered)
            {
                enters.Add((RegionKind)entered);
            }
            else if (Is(type, known.ExitsRegion) && CtorInt(attribute) is int exited)
            {
                exits.Add((RegionKind)exited);
            }
            else if (Is(type, known.Acquires) && CtorString(attribute) is string acquired)
            {
                acquires.Add(LockRef.Parse(acquired, NamedBool(attribute, "Shared"), (AcquireWhen)NamedLong(attribute, "When")));
            }
            else if (Is(type, known.Releases) && CtorString(attribute) is string released)
            {
                releases.Add(LockRef.Parse(released, NamedBool(attribute, "Shared"), AcquireWhen.Always));
            }
            else if (Is(type, known.RequiresLock) && CtorString(attribute) is string required)
            {
                requires.Add(LockRef.Parse(required, NamedBool(attribute, "Shared"), AcquireWhen.Always));
            }
            else if (Is(type, known.HasKillableVariant) && CtorString(attribute) is string variant)
            {
                result.KillableVariant = variant;
            }
            else if (Is(type, known.FaultsIn) && CtorInt(attribute) is int faultsIn)
            {
                result.FaultsInKind = (UserAccessKind)faultsIn;
                result.FaultsInPointer = NamedString(attribute, "Pointer");
                result.FaultsInSize = NamedString(attribute, "Size");
                result.FaultsInRange = result.FaultsInSize is not null;
                result.FaultsInSubPage = NamedBool(attribute, "SubPage");
                result.FaultsInSafe = result.FaultsInKind == Engine.UserAccessKind.Read || NamedBool(attribute, "Safe");
            }
            else if (Is(type, known.UserAccess) && CtorInt(attribute) is int access)
            {
                result.UserAccessKind = (UserAccessKind)access;
                result.UserAccessPointer = attribute.ConstructorArguments.Length > 1 ? attribute.ConstructorArguments[1].Value as string : null;
                result.UserAccessSize = NamedString(attribute, "Size");
            }
            else if (Is(type, known.AccessOkCheck))
            {
                result.AccessOkPointer = NamedString(attribute, "Pointer") ?? "p";
                result.AccessOkSize = NamedString(attribute, "Size") ?? "size";
            }
            else if (Is(type, known.UserBitOperation))
            {
                result.UserBitOperation = true;
            }
            else
            {
                continue;
            }

            result.HasAny = true;
        }

        var accessOk = ImmutableArray.CreateBuilder<int>(0);
        var alignment = ImmutableArray.CreateBuilder<int>(0);
        foreach (var parameter in method.Parameters)
        {
            foreach (var attribute in parameter.GetAttributes())
            {
                if (attribute.AttributeClass is { } type)
                {
                    if (Is(type, known.RequiresAccessOk))
                    {
                        accessOk.Add(parameter.Ordinal);
                        result.HasAny = true;
                    }
                    else if (Is(type, known.RequiresAlignment))
                    {
                        alignment.Add(parameter.Ordinal);
                        result.HasAny = true;
                    }
                }
            }
        }

        result.Enters = enters.ToImmutable();
        result.Exits = exits.ToImmutable();
        result.Acquires = acquires.ToImmutable();
        result.Releases = releases.ToImmutable();
        result.Requires = requires.ToImmutable();
        result.RequiresAccessOk = accessOk.ToImmutable();
        result.RequiresAlignment = alignment.ToImmutable();
        return result.HasAny ? result : None;
    }

    private static bool Is(INamedTypeSymbol type, INamedTypeSymbol? known) =>
        known is not null && SymbolEqualityComparer.Default.Equals(type, known);

    private static int? CtorInt(AttributeData attribute) =>
        attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is int value ? value : null;

    private static string? CtorString(AttributeData attribute) =>
        attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0].Value as string : null;

    private static string? NamedString(AttributeData attribute, string name)
    {
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name)
            {
                return pair.Value.Value as string;
            }
        }

        return null;
    }

    private static bool NamedBool(AttributeData attribute, string name)
    {
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name && pair.Value.Value is bool value)
            {
                return value;
            }
        }

        return false;
    }

    private static long NamedLong(AttributeData attribute, string name)
    {
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name)
            {
                switch (pair.Value.Value)
                {
                    case long l:
                        return l;
                    case int i:
                        return i;
                }
            }
        }

        return 0;
    }
}

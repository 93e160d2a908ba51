using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>Builds <see cref="LockId"/>s from expressions and from annotation/summary lock names.</summary>
internal static class LockResolver
{
    private const int MaxAliasDepth = 4;

    /// <summary>Resolves a lock named from the callee's view against one call's receiver and arguments.</summary>
    public static LockId? Resolve(LockRef reference, IMethodSymbol target, System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments, IOperation? instance, CompilationEngine engine, EngineOptions options, ILocalAliases? aliases = null)
    {
        LockId? root;
        ITypeSymbol? type;
        if (reference.GlobalRoot is { } global)
        {
            root = new LockId(global, false, string.Empty, global.Name, engine.LockTraitsOf(global, options, TypeOf(global)));
            type = TypeOf(global);
        }
        else
        {
            var expression = reference.Root == "this" ? instance : FlowAnalysis.ArgumentFor(target, arguments, reference.Root);
            if (expression is null)
            {
                return null;
            }

            root = FromExpression(expression, engine, options, out type, aliases);
        }

        return AppendPath(root, type, reference.Path, engine, options);
    }

    /// <summary>A lock the method itself names in its annotations (<c>[RequiresLock]</c>), as an id inside it.</summary>
    public static LockId? ResolveInside(LockRef reference, IMethodSymbol method, CompilationEngine engine, EngineOptions options)
    {
        if (reference.Root == "this")
        {
            if (method.ContainingType is not { } type)
            {
                return null;
            }

            return AppendPath(new LockId(type, true, string.Empty, string.Empty, engine.LockTraitsOf(null, options, type)), type, reference.Path, engine, options);
        }

        foreach (var parameter in method.Parameters)
        {
            if (parameter.Name == reference.Root)
            {
                var root = new LockId(parameter, false, string.Empty, parameter.Name, engine.LockTraitsOf(parameter, options, parameter.Type));
                return AppendPath(root, parameter.Type, reference.Path, engine, options);
            }
        }

        return null;
    }

    /// <summary>
    /// The lock that guards a <c>[GuardedBy]</c> member at one access, named by <paramref name="guard"/>
    /// as an expression at the member would name it: <c>"Lock"</c> or <c>"this.Lock"</c> (the same
    /// object as the access's receiver), <c>"Type.Lock"</c> or a static member of the member's type.
    /// <c>null</c> when it names nothing or the receiver cannot be named (a call result).
    /// </summary>
    public static LockId? ResolveGuard(IMemberReferenceOperation access, string guard, CompilationEngine engine, EngineOptions options, ILocalAliases? aliases)
    {
        var owner = access.Member.ContainingType;
        if (owner is null)
        {
            return null;
        }

        var path = guard.StartsWith("this.", System.StringComparison.Ordinal) ? guard.Substring(5) : guard;
        int dot = path.IndexOf('.');
        var head = dot < 0 ? path : path.Substring(0, dot);
        var rest = dot < 0 ? string.Empty : path.Substring(dot + 1);
        if (FindMember(owner, head) is { } member)
        {
            if (member.IsStatic)
            {
                return AppendPath(StaticRoot(member, engine, options), TypeOf(member), rest, engine, options);
            }

            // An object initializer's member (`new Ctx { Field = 1 }`) belongs to an object nobody else has yet.
            if (access.Member.IsStatic || access.Instance is null
                || access.Instance is IInstanceReferenceOperation { ReferenceKind: not InstanceReferenceKind.ContainingTypeInstance })
            {
                return null;
            }

            return AppendPath(FromExpression(access.Instance, engine, options, out var type, aliases), type, path, engine, options);
        }

        // "FutexHash.BucketLock": a static member of a type the member's scope can name.
        if (dot < 0)
        {
            return null;
        }

        int second = rest.IndexOf('.');
        var name = second < 0 ? rest : rest.Substring(0, second);
        for (ISymbol? scope = owner; scope is INamespaceOrTypeSymbol container; scope = scope.ContainingSymbol)
        {
            foreach (var type in container.GetTypeMembers(head))
            {
                if (FindMember(type, name) is { IsStatic: true } global)
                {
                    return AppendPath(StaticRoot(global, engine, options), TypeOf(global), second < 0 ? string.Empty : rest.Substring(second + 1), engine, options);
                }
            }
        }

        return null;
    }

    private static ISymbol? FindMember(ITypeSymbol type, string name)
    {
        for (ITypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            foreach (var candidate in t.GetMembers(name))
            {
                if (candidate is IFieldSymbol or IPropertySymbol)
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    // The id FromExpression gives a static lock member, so that `Type.Lock.Lock()` holds the same lock.
    private static LockId StaticRoot(ISymbol member, CompilationEngine engine, EngineOptions options) =>
        new(member, false, string.Empty, member.ContainingType?.Name + "." + member.Name, engine.LockTraitsOf(member, options, TypeOf(member)));

    private static LockId? AppendPath(LockId? root, ITypeSymbol? type, string path, CompilationEngine engine, EngineOptions options)
    {
        if (root is null || path.Length == 0)
        {
            return root;
        }

        var id = root;
        foreach (var segment in path.Split('.'))
        {
            ISymbol? member = null;
            for (var t = type; t is not null && member is null; t = t.BaseType)
            {
                foreach (var candidate in t.GetMembers(segment))
                {
                    if (candidate is IFieldSymbol or IPropertySymbol)
                    {
                        member = candidate;
                        break;
                    }
                }
            }

            if (member is null)
            {
                return null;
            }

            type = TypeOf(member);
            id = Append(id, member, engine, options, type);
        }

        return id;
    }

    /// <summary>The lock an expression denotes: <c>mm</c>, <c>mm.MmapLock</c>, <c>this.lk</c>, a static field.</summary>
    public static LockId? FromExpression(IOperation expression, CompilationEngine engine, EngineOptions options, out ITypeSymbol? type, ILocalAliases? aliases = null, int depth = 0)
    {
        type = null;
        switch (FlowAnalysis.Strip(expression))
        {
            case ILocalReferenceOperation local when depth < MaxAliasDepth && aliases?.AliasOf(local.Local) is { } alias
                && FromExpression(alias, engine, options, out type, aliases, depth + 1) is { } aliased:
                // `var mm = task.Mm;` then `MmapReadLock(mm)`: the same lock as `task.Mm.MmapLock`, named as the code names it.
                return new LockId(aliased.Root, aliased.RootIsThis, aliased.Path, local.Local.Name, aliased.Traits);
            case ILocalReferenceOperation local:
                type = local.Local.Type;
                var traits = engine.LockTraitsOf(local.Local, options, type);
                if (aliases?.AliasOf(local.Local) is IInvocationOperation source && engine.GetAnnotations(source.TargetMethod).ReturnsRemoteMm)
                {
                    // `mm = GetTaskMm(task);`: another task's mm, as a [RemoteMm] parameter would be.
                    traits |= LockTraits.RemoteOwner;
                }

                return new LockId(local.Local, false, string.Empty, local.Local.Name, traits);
            case IParameterReferenceOperation parameter:
                type = parameter.Parameter.Type;
                return new LockId(parameter.Parameter, false, string.Empty, parameter.Parameter.Name, engine.LockTraitsOf(parameter.Parameter, options, type));
            case IInstanceReferenceOperation instance when instance.Type is { } thisType:
                type = thisType;
                return new LockId(thisType, true, string.Empty, instance.IsImplicit ? string.Empty : "this", engine.LockTraitsOf(null, options, thisType));
            case IMemberReferenceOperation member when member is IFieldReferenceOperation or IPropertyReferenceOperation:
                if (member is IPropertyReferenceOperation { Arguments.Length: > 0 })
                {
                    return null;
                }

                type = TypeOf(member.Member);
                if (member.Member.IsStatic || member.Instance is null)
                {
                    return new LockId(member.Member, false, string.Empty, member.Member.ContainingType?.Name + "." + member.Member.Name, engine.LockTraitsOf(member.Member, options, type));
                }

                var owner = FromExpression(member.Instance, engine, options, out _, aliases, depth);
                return owner is null ? null : Append(owner, member.Member, engine, options, type);
            default:
                return null;
        }
    }

    private static LockId Append(LockId owner, ISymbol member, CompilationEngine engine, EngineOptions options, ITypeSymbol? type) =>
        new(
            owner.Root,
            owner.RootIsThis,
            owner.Path.Length == 0 ? member.Name : owner.Path + "." + member.Name,
            owner.Display.Length == 0 ? member.Name : owner.Display + "." + member.Name,
            engine.LockTraitsOf(member, options, type) | (owner.Traits & LockTraits.RemoteOwner));

    private static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
    {
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        _ => null,
    };

    /// <summary>Re-expresses a lock of a callee's analysis from the callee's view (for its summary); <c>null</c> for its locals.</summary>
    public static LockRef? ToReference(LockId id, bool shared, AcquireWhen when)
    {
        if (id.RootIsThis)
        {
            return new LockRef("this", id.Path, shared, when);
        }

        return id.Root switch
        {
            IParameterSymbol parameter => new LockRef(parameter.Name, id.Path, shared, when),
            IFieldSymbol { IsStatic: true } or IPropertySymbol { IsStatic: true } => new LockRef(string.Empty, id.Path, shared, when, id.Root),
            _ => null,
        };
    }
}

/// <summary>Locals that stand for another expression (assigned once from a member chain).</summary>
internal interface ILocalAliases
{
    IOperation? AliasOf(ILocalSymbol local);
}

using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// Helpers of the user's whose result is computed from their arguments alone, as the kernel's macros
/// over a pointer and a length are (<c>CMSG_COMPAT_FIRSTHDR(msg)</c>): two calls with the same arguments
/// give the same value. Decided from the declaration's text, so only the plainest bodies count: a static
/// method whose expression body (or lone <c>return</c>) is made of its parameters, their <c>Address</c>,
/// literals, <c>default</c>, operators, casts and <c>?:</c>. Anything else (a field, a call, a lambda) may
/// read state that changes between the calls.
/// </summary>
internal static class ComputedHelpers
{
    public static bool IsComputedFromArguments(IMethodSymbol method)
    {
        if (!method.IsStatic || method.DeclaringSyntaxReferences.Length != 1 || method.ReturnsVoid || method.ReturnsByRef
            || method.DeclaringSyntaxReferences[0].GetSyntax() is not MethodDeclarationSyntax declaration)
        {
            return false;
        }

        var body = declaration.ExpressionBody?.Expression
            ?? (declaration.Body?.Statements is { Count: 1 } statements && statements[0] is ReturnStatementSyntax { Expression: { } returned } ? returned : null);
        if (body is null)
        {
            return false;
        }

        var parameters = new HashSet<string>();
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None)
            {
                return false;
            }

            parameters.Add(parameter.Name);
        }

        foreach (var node in body.DescendantNodesAndSelf())
        {
            switch (node)
            {
                case IdentifierNameSyntax identifier when node.Parent is MemberAccessExpressionSyntax access && access.Name == node:
                    if (identifier.Identifier.ValueText != "Address" || access.Expression is not IdentifierNameSyntax)
                    {
                        return false;
                    }

                    break;
                case IdentifierNameSyntax identifier:
                    if (!parameters.Contains(identifier.Identifier.ValueText))
                    {
                        return false;
                    }

                    break;
                case MemberAccessExpressionSyntax:
                case LiteralExpressionSyntax:
                case DefaultExpressionSyntax:
                case BinaryExpressionSyntax:
                case ConditionalExpressionSyntax:
                case ParenthesizedExpressionSyntax:
                case CastExpressionSyntax:
                case PredefinedTypeSyntax:
                case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression or (int)SyntaxKind.BitwiseNotExpression or (int)SyntaxKind.LogicalNotExpression }:
                    break;
                default:
                    return false;
            }
        }

        return true;
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Course.Notebooks.Engine;

/// <summary>
/// Puts a <see cref="CellInterrupt.Check"/> call at the top of every loop body, and a <see cref="CellInterrupt.Enter"/>
/// call at the top of every method, local function, lambda and accessor body of a cell, so an endless loop or
/// runaway recursion can be interrupted, and recursion too deep for the stack fails the cell instead of the process.
/// Arrow-bodied methods and local functions become block-bodied for that. The calls are inserted without line
/// breaks, so line numbers in errors and stack traces stay the cell's own.
/// </summary>
internal sealed class InterruptRewriter : CSharpSyntaxRewriter
{
    private static readonly StatementSyntax Check = Call(nameof(CellInterrupt.Check));
    private static readonly StatementSyntax Enter = Call(nameof(CellInterrupt.Enter));

    /// <summary>The cell's code with checks inserted; code with syntax errors is returned unchanged, so the
    /// compiler reports the errors against what the author wrote.</summary>
    public static string Rewrite(string code, CSharpParseOptions options)
    {
        var tree = CSharpSyntaxTree.ParseText(code, options);
        if (tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error)) return code;
        return new InterruptRewriter().Visit(tree.GetRoot()).ToFullString();
    }

    public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node) =>
        base.VisitWhileStatement(node) is WhileStatementSyntax loop ? loop.WithStatement(Guard(loop.Statement)) : null;

    public override SyntaxNode? VisitDoStatement(DoStatementSyntax node) =>
        base.VisitDoStatement(node) is DoStatementSyntax loop ? loop.WithStatement(Guard(loop.Statement)) : null;

    public override SyntaxNode? VisitForStatement(ForStatementSyntax node) =>
        base.VisitForStatement(node) is ForStatementSyntax loop ? loop.WithStatement(Guard(loop.Statement)) : null;

    public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node) =>
        base.VisitForEachStatement(node) is ForEachStatementSyntax loop ? loop.WithStatement(Guard(loop.Statement)) : null;

    public override SyntaxNode? VisitForEachVariableStatement(ForEachVariableStatementSyntax node) =>
        base.VisitForEachVariableStatement(node) is ForEachVariableStatementSyntax loop ? loop.WithStatement(Guard(loop.Statement)) : null;

    // Method-like bodies: a call at entry stops deep recursion, which has no loop to check.
    public override SyntaxNode? VisitBlock(BlockSyntax node)
    {
        var visited = (BlockSyntax)base.VisitBlock(node)!;
        return node.Parent is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or AccessorDeclarationSyntax
            ? visited.WithStatements(visited.Statements.Insert(0, Enter))
            : visited;
    }

    public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
    {
        var visited = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
        return visited.ExpressionBody is { } arrow
            ? visited.WithExpressionBody(null).WithSemicolonToken(default)
                .WithBody(Block(arrow, visited.SemicolonToken, visited.ReturnType, visited.Modifiers))
            : visited;
    }

    public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        var visited = (LocalFunctionStatementSyntax)base.VisitLocalFunctionStatement(node)!;
        return visited.ExpressionBody is { } arrow
            ? visited.WithExpressionBody(null).WithSemicolonToken(default)
                .WithBody(Block(arrow, visited.SemicolonToken, visited.ReturnType, visited.Modifiers))
            : visited;
    }

    /// <summary><c>=> e;</c> as <c>{ Enter(); return e; }</c> on the same lines, with <c>e;</c> or <c>throw x;</c>
    /// where a value cannot be returned: void and non-generic async Task methods, and throw expressions.</summary>
    private static BlockSyntax Block(ArrowExpressionClauseSyntax arrow, SyntaxToken semicolon, TypeSyntax returnType, SyntaxTokenList modifiers)
    {
        var expression = arrow.Expression;
        var returnsNothing = returnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword }
            || (modifiers.Any(SyntaxKind.AsyncKeyword) && returnType.ToString() is "Task" or "ValueTask"
                or "System.Threading.Tasks.Task" or "System.Threading.Tasks.ValueTask");
        var end = SyntaxFactory.Token(SyntaxKind.SemicolonToken);
        StatementSyntax statement = expression switch
        {
            ThrowExpressionSyntax thrown => SyntaxFactory.ThrowStatement(thrown.ThrowKeyword, thrown.Expression, end),
            _ when returnsNothing => SyntaxFactory.ExpressionStatement(expression, end),
            _ => SyntaxFactory.ReturnStatement(SyntaxFactory.Token(SyntaxKind.ReturnKeyword).WithTrailingTrivia(SyntaxFactory.Space), expression, end),
        };
        return SyntaxFactory.Block(
            SyntaxFactory.Token(arrow.ArrowToken.LeadingTrivia, SyntaxKind.OpenBraceToken, arrow.ArrowToken.TrailingTrivia),
            SyntaxFactory.List([Enter, statement]),
            SyntaxFactory.Token(semicolon.LeadingTrivia, SyntaxKind.CloseBraceToken, semicolon.TrailingTrivia));
    }

    private static StatementSyntax Call(string method) =>
        SyntaxFactory.ParseStatement($"global::{typeof(CellInterrupt).FullName}.{method}();");

    /// <summary>A (visited) loop body with the check first.</summary>
    private static StatementSyntax Guard(StatementSyntax body) =>
        body is BlockSyntax block ? block.WithStatements(block.Statements.Insert(0, Check)) : SyntaxFactory.Block(Check, body);
}

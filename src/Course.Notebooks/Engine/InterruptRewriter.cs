using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Course.Notebooks.Engine;

/// <summary>
/// Puts a <see cref="CellInterrupt.Check"/> call at the top of every loop body and every block-bodied method,
/// local function, lambda and accessor of a cell, so an endless loop or runaway recursion can be interrupted.
/// The calls are inserted without line breaks, so line numbers in errors and stack traces stay the cell's own.
/// </summary>
internal sealed class InterruptRewriter : CSharpSyntaxRewriter
{
    private static readonly StatementSyntax Check =
        SyntaxFactory.ParseStatement($"global::{typeof(CellInterrupt).FullName}.{nameof(CellInterrupt.Check)}();");

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
            ? visited.WithStatements(visited.Statements.Insert(0, Check))
            : visited;
    }

    /// <summary>A (visited) loop body with the check first.</summary>
    private static StatementSyntax Guard(StatementSyntax body) =>
        body is BlockSyntax block ? block.WithStatements(block.Statements.Insert(0, Check)) : SyntaxFactory.Block(Check, body);
}

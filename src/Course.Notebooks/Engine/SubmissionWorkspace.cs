using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Host.Mef;
using Microsoft.CodeAnalysis.Text;

namespace Course.Notebooks.Engine;

/// <summary>
/// The cells run so far as Roslyn submission projects, each referring to the one before, as Roslyn's interactive
/// window does, so completion and documentation at a cursor see the variables, types and imports of earlier cells.
/// Built on first use: loading the IDE services takes a second that a run without completions should not pay.
/// </summary>
internal sealed class SubmissionWorkspace
{
    private readonly List<(string Code, MetadataReference[] References)> _submissions = [];
    private readonly Lock _gate = new();
    private AdhocWorkspace? _workspace;
    private ProjectId? _last;
    private int _added;

    /// <summary>Records a cell that ran (its directives already turned into references).</summary>
    public void Add(string code, IEnumerable<MetadataReference> references)
    {
        lock (_gate) _submissions.Add((code, references.ToArray()));
    }

    /// <summary>A document holding <paramref name="code"/> as the next submission.</summary>
    public Document Working(string code, IEnumerable<MetadataReference> references)
    {
        lock (_gate)
        {
            _workspace ??= new AdhocWorkspace(MefHostServices.DefaultHost);
            // Earlier cells are added once each; the working cell is a throwaway project on top of them.
            for (; _added < _submissions.Count; _added++)
                _last = AddSubmission(_workspace, _submissions[_added].Code, _submissions[_added].References, _last).Id;
            var solution = _workspace.CurrentSolution;
            var id = ProjectId.CreateNewId();
            solution = solution.AddProject(Info(id, "working", references, _last));
            var document = ScriptDocument(id, code);
            return solution.AddDocument(document).GetDocument(document.Id)!;
        }
    }

    private static Project AddSubmission(AdhocWorkspace workspace, string code, MetadataReference[] references, ProjectId? previous)
    {
        var project = workspace.AddProject(Info(ProjectId.CreateNewId(), $"cell{workspace.CurrentSolution.ProjectIds.Count + 1}", references, previous));
        return workspace.AddDocument(ScriptDocument(project.Id, code)).Project;
    }

    /// <summary>A submission holds script code only (top-level statements, no namespaces).</summary>
    private static DocumentInfo ScriptDocument(ProjectId project, string code) =>
        DocumentInfo.Create(DocumentId.CreateNewId(project), "cell.csx", sourceCodeKind: SourceCodeKind.Script,
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(code), VersionStamp.Create())));

    private static ProjectInfo Info(ProjectId id, string name, IEnumerable<MetadataReference> references, ProjectId? previous) =>
        ProjectInfo.Create(id, VersionStamp.Create(), name, name, LanguageNames.CSharp,
            isSubmission: true,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, usings: ScriptEnvironment.DefaultImports, allowUnsafe: true),
            parseOptions: ScriptEnvironment.ParseOptions,
            metadataReferences: Documentation.Documented(references),
            projectReferences: previous is null ? [] : [new ProjectReference(previous)],
            hostObjectType: typeof(NotebookGlobals));
}

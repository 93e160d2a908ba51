using System.Collections.Generic;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>
/// The test project (<c>TestProject</c>, files <c>/0/Test{n}.cs</c>), the other projects of the solution
/// (files <c>/{name}/Test{n}.cs</c>) and the diagnostics expected over all of them.
/// </summary>
public class SolutionState : ProjectState
{
    public const string PrimaryProjectName = "TestProject";

    public SolutionState()
        : base(PrimaryProjectName, "/0/Test")
    {
    }

    public ProjectCollection AdditionalProjects { get; } = new();

    /// <summary>Expected diagnostics besides those written as markup in the sources.</summary>
    public List<DiagnosticResult> ExpectedDiagnostics { get; } = new();
}

/// <summary>Projects by name; indexing an unknown name creates it, so <c>AdditionalProjects["B"].Sources.Add(...)</c> works.</summary>
public class ProjectCollection : Dictionary<string, ProjectState>
{
    public new ProjectState this[string projectName]
    {
        get
        {
            if (!TryGetValue(projectName, out var project))
            {
                project = new ProjectState(projectName, $"/{projectName}/Test");
                Add(projectName, project);
            }

            return project;
        }
    }
}

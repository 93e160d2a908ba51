using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>
/// The inputs of one project: its sources (markup allowed), <c>.editorconfig</c> files, additional files,
/// references to other projects of the test by name, and extra metadata references.
/// </summary>
public class ProjectState
{
    public ProjectState(string name, string defaultPrefix)
    {
        Name = name;
        Sources = new SourceFileList(defaultPrefix, "cs");
    }

    public string Name { get; }

    public SourceFileList Sources { get; }

    /// <summary>Editorconfig (or global config) files, by path: they apply to the sources below their folder.</summary>
    public SourceFileCollection AnalyzerConfigFiles { get; } = new();

    public SourceFileCollection AdditionalFiles { get; } = new();

    /// <summary>Names of other projects of the test (<see cref="SolutionState.AdditionalProjects"/>) this one references.</summary>
    public List<string> AdditionalProjectReferences { get; } = new();

    /// <summary>References beyond the framework and UserAccess.Runtime.</summary>
    public List<MetadataReference> AdditionalReferences { get; } = new();
}

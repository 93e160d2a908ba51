using System.Collections.Generic;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>
/// Named text files of a project, as in the official package: <c>Sources.Add("code")</c> names the file
/// <c>{prefix}{index}.cs</c> (the first one of the test project is <c>/0/Test0.cs</c>), and
/// <c>Sources.Add(("/0/Other.cs", "code"))</c> gives the name.
/// </summary>
public class SourceFileList : List<(string filename, string content)>
{
    private readonly string _defaultPrefix;
    private readonly string _defaultExtension;

    public SourceFileList(string defaultPrefix, string defaultExtension)
    {
        _defaultPrefix = defaultPrefix;
        _defaultExtension = defaultExtension;
    }

    public void Add(string content) => Add(($"{_defaultPrefix}{Count}.{_defaultExtension}", content));
}

/// <summary>Named files with no default name: <c>AnalyzerConfigFiles.Add(("/.editorconfig", "root = true..."))</c>.</summary>
public class SourceFileCollection : List<(string filename, string content)>
{
}

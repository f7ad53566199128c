namespace Soar.Tests.TestSupport;

/// <summary>The real OpenSSH corpus (tests/corpus), found from the test binary's folder upwards.</summary>
public static class CorpusFiles
{
    public static string Directory { get; } = Find();

    public static string Path(string name) => System.IO.Path.Combine(Directory, name);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "tests", "corpus", "openssh-9.2-lab");
            if (System.IO.Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("tests/corpus/openssh-9.2-lab not found above " + AppContext.BaseDirectory);
    }
}

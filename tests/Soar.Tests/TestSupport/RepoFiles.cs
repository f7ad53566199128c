namespace Soar.Tests.TestSupport;

/// <summary>Files of the repository (deploy/, tests/corpus/…), found from the test binary's folder upwards.</summary>
public static class RepoFiles
{
    public static string Root { get; } = Find();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Soar.slnx"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("Soar.slnx not found above " + AppContext.BaseDirectory);
    }
}

namespace Soar.Tests.TestSupport;

/// <summary>Files of this repository (test data kept beside the tests), found from the test binary's folder upwards.</summary>
public static class RepoFiles
{
    public static string Path(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException(relative + " not found above " + AppContext.BaseDirectory);
    }
}

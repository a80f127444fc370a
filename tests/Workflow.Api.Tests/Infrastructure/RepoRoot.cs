namespace Workflow.Api.Tests.Infrastructure;

/// <summary>The repository's root: the folder above this build that holds Workflow.sln. Shared with bench/ by a file link.</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Workflow.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Workflow.sln not found above " + AppContext.BaseDirectory);
    }
}

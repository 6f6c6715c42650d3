namespace Marketplace.Console.Tests;

// artifacts/ beside Marketplace.sln (git-ignored): where tests leave things for people to look at.
static class ArtifactsFolder
{
    public static string File(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !dir.EnumerateFiles("Marketplace.sln").Any())
            dir = dir.Parent;
        if (dir is null)
            throw new InvalidOperationException($"no Marketplace.sln above {AppContext.BaseDirectory}");
        var artifacts = Directory.CreateDirectory(Path.Combine(dir.FullName, "artifacts"));
        return Path.Combine(artifacts.FullName, name);
    }
}

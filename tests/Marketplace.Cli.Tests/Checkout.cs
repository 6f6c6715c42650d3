namespace Marketplace.Cli.Tests;

// The checkout the tests were built from: market.sh and the CLI's sources are run from there.
public static class Checkout
{
    public static string Root { get; } = Find();

    public static string MarketSh => Path.Combine(Root, "deploy", "local", "market.sh");

    static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !dir.EnumerateFiles("Marketplace.sln").Any())
            dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException($"no Marketplace.sln above {AppContext.BaseDirectory}");
    }
}

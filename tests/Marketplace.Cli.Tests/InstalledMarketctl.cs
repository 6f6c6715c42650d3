namespace Marketplace.Cli.Tests;

// marketctl packed and installed as a .NET tool by `market.sh install-cli --tool-path`, in a folder of
// its own (with market.sh's state folder beside it), as a user gets it.
public sealed class InstalledMarketctl : IAsyncLifetime
{
    readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("marketctl-tool-");

    public string ToolPath => Path.Combine(_folder.FullName, "tools");
    public string Executable => Path.Combine(ToolPath, "marketctl");
    public CliRun Install { get; private set; } = null!;

    // The installed package's own files: what `dotnet tool` laid out in its store.
    public string File(string name) =>
        Directory.EnumerateFiles(Path.Combine(ToolPath, ".store"), name, SearchOption.AllDirectories).Single();

    public async Task InitializeAsync() =>
        Install = await Shell.RunAsync(Checkout.MarketSh, ["install-cli", "--tool-path", ToolPath],
            new Dictionary<string, string?> { ["MARKET_STATE_DIR"] = Path.Combine(_folder.FullName, "state") },
            TimeSpan.FromMinutes(8));

    public Task DisposeAsync()
    {
        _folder.Delete(recursive: true);
        return Task.CompletedTask;
    }
}

using System.CommandLine;
using Marketplace.Cli.Invocation;

namespace Marketplace.Cli.Tests;

public sealed class Help
{
    public static TheoryData<string> Commands()
    {
        var root = Cli.Build(new CliHost(new Terminal(TextWriter.Null, TextWriter.Null, new Dictionary<string, string?>()), new GlobalOptions()));
        var paths = new TheoryData<string> { "" };
        void Walk(Command command, string path)
        {
            foreach (var sub in command.Subcommands)
            {
                paths.Add($"{path}{sub.Name}".Trim());
                Walk(sub, $"{path}{sub.Name} ");
            }
        }
        Walk(root, "");
        return paths;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Is_there_for_every_command(string command)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string[] args = [.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"];

        var code = await Cli.RunAsync(args, stdout, stderr, new Dictionary<string, string?>(), CancellationToken.None);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains($"marketctl {command}".Trim(), stdout.ToString());
        Assert.Contains("Usage:", stdout.ToString());
        Assert.Contains("--output", stdout.ToString());
    }

    [Fact]
    public async Task A_group_alone_shows_its_commands_and_exits_2()
    {
        using var stdout = new StringWriter();

        var code = await Cli.RunAsync(["offer"], stdout, TextWriter.Null, new Dictionary<string, string?>(), CancellationToken.None);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("publish", stdout.ToString());
        Assert.Contains("withdraw", stdout.ToString());
    }
}

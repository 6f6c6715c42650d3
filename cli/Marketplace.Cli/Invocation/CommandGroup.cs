using System.CommandLine;
using System.CommandLine.Help;

namespace Marketplace.Cli.Invocation;

// A command that only groups others (`marketctl offer`): alone, it shows its help and exits as a usage error.
public class CommandGroup : Command
{
    public CommandGroup(string name, string description, params Command[] commands) : base(name, description)
    {
        foreach (var command in commands)
            Add(command);
        SetAction(parse =>
        {
            new HelpAction().Invoke(parse);
            return ExitCodes.Usage;
        });
    }
}

using System.Collections;
using Marketplace.Cli;

// marketctl: Ctrl-C cancels the command in flight (gRPC calls, watches, the demo's waiting).
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
    .ToDictionary(e => (string)e.Key, e => (string?)e.Value);
return await Cli.RunAsync(args, Console.Out, Console.Error, environment, cancel.Token);

using System.CommandLine;
using Grpc.Core;
using Marketplace.Billing.V1;
using Marketplace.Cli.Connection;
using Marketplace.Cli.Invocation;
using Marketplace.Cli.Output;
using Marketplace.Cli.Parsing;

namespace Marketplace.Cli.Commands.Operator;

// marketctl billing watch: every billing event as it happens. Each event's cursor is kept in the profile,
// so the next watch (or this one, after a dropped connection) resumes after it: no gap, no duplicate.
public sealed class BillingWatchCommand : MarketCommand
{
    const int MaxReconnects = 5;

    readonly Option<string?> _cursor = new("--cursor") { Description = "resume after this cursor (default: the profile's last cursor, else the start)" };
    readonly Option<bool> _fromStart = new("--from-start") { Description = "replay the whole log, ignoring the saved cursor" };
    readonly Option<bool> _onlyNew = new("--only-new") { Description = "skip the history: only events from now on" };
    readonly Option<string?> _tenant = new("--tenant") { Description = "only this tenant's events" };
    readonly Option<string?> _provider = new("--provider") { Description = "only this provider's events" };
    readonly Option<string?> _hub = new("--hub") { Description = "only this hub's events" };
    readonly Option<int?> _take = new("--take") { Description = "stop after this many events" };
    readonly Option<TimeSpan?> _for = new("--for")
    {
        Description = "stop after this long, e.g. 30s (default: until Ctrl-C)",
        HelpName = "duration",
        CustomParser = result => Durations.TryParse(result.Tokens[0].Value, out var d)
            ? d
            : Fail(result, $"--for: '{result.Tokens[0].Value}' is not a duration; use e.g. 30s, 5m"),
    };
    readonly Option<bool> _noSave = new("--no-save") { Description = "do not keep the last cursor in the profile" };

    public BillingWatchCommand(CliHost host) : base(host, "watch", "Follow billing events live, resuming where the last watch stopped (operator)")
    {
        foreach (var option in new Option[] { _cursor, _fromStart, _onlyNew, _tenant, _provider, _hub, _take, _for, _noSave })
            Add(option);
    }

    protected override IReadOnlyDictionary<string, string> FieldOptions { get; } = new Dictionary<string, string>
    {
        ["from_cursor"] = "--cursor",
    };

    protected override async Task<int> RunAsync(CommandContext context, ParseResult parse, CancellationToken ct)
    {
        var request = StartingRequest(context, parse);
        if (parse.GetValue(_take) is <= 0)
            throw new UsageException("--take must be at least 1");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (parse.GetValue(_for) is { } duration)
            stop.CancelAfter(duration);

        context.Progress.Report(request.FromCursor switch
        {
            "" => "watching billing events from the start of the log",
            "$" => "watching new billing events",
            var cursor => $"watching billing events after {cursor}",
        });
        if (!context.Json)
            context.Out.WriteLine(BillingEventLine.Header);
        return await FollowAsync(context, request, parse.GetValue(_take), !parse.GetValue(_noSave), stop, ct);
    }

    WatchBillingEventsRequest StartingRequest(CommandContext context, ParseResult parse) => new()
    {
        FromCursor = parse.GetValue(_cursor)
                     ?? (parse.GetValue(_fromStart) ? "" : parse.GetValue(_onlyNew) ? "$" : context.Profile.BillingCursor ?? ""),
        TenantId = parse.GetValue(_tenant) ?? "",
        ProviderId = parse.GetValue(_provider) ?? "",
        HubId = parse.GetValue(_hub) ?? "",
    };

    // Prints events until --take or --for is reached; a dropped connection resumes after the last cursor.
    static async Task<int> FollowAsync(CommandContext context, WatchBillingEventsRequest request, int? take, bool save,
        CancellationTokenSource stop, CancellationToken ct)
    {
        var seen = 0;
        for (var failures = 0; ; failures++)
        {
            try
            {
                using var call = context.Market.Billing.WatchBillingEvents(request, MarketConnection.Follow(stop.Token));
                while (await call.ResponseStream.MoveNext(stop.Token))
                {
                    var e = call.ResponseStream.Current;
                    context.Out.WriteLine(context.Json ? JsonOutput.Of(e) : BillingEventLine.Of(e));
                    request.FromCursor = e.Cursor;
                    if (save)
                        Remember(context, e.Cursor);
                    failures = 0;
                    if (++seen == take)
                        return ExitCodes.Ok;
                }
                return ExitCodes.Ok; // the service ended the stream
            }
            catch (Exception stopped) when (IsStop(stopped) && stop.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                return ExitCodes.Ok; // --for ran out
            }
            catch (RpcException lost) when (lost.StatusCode is StatusCode.Unavailable or StatusCode.Internal
                                             && failures < MaxReconnects && !stop.IsCancellationRequested)
            {
                context.Progress.Report($"connection lost ({lost.Status.Detail}); resuming after {request.FromCursor}");
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1 << failures), stop.Token); // 1, 2, 4... s between tries
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return ExitCodes.Ok; // --for ran out while we waited
            }
        }
    }

    static void Remember(CommandContext context, string cursor)
    {
        var profile = context.Profiles.Load();
        profile.BillingCursor = cursor;
        context.Profiles.Save(profile);
    }

    static bool IsStop(Exception e) => e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled };

    static TimeSpan? Fail(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return null;
    }
}

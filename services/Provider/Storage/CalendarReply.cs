namespace Marketplace.Provider.Storage;

// What a hold operation came to: Status is "ok", "exhausted", "idem-conflict", "gone", "not-found" or "state".
public sealed record CalendarReply(string Status, string HoldId = "", HoldRecord? Hold = null, long Version = 0,
    string Detail = "")
{
    public bool Ok => Status == "ok";
}

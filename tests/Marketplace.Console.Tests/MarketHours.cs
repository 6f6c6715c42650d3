namespace Marketplace.Console.Tests;

// The exchange and the quotes work in whole market hours from the next one; a test that straddles an hour's
// turn would see its book shift under it (and the market clock's own auction clear its bids), so it starts
// after the turn when one is about to come.
static class MarketHours
{
    public static DateTimeOffset Next
    {
        get
        {
            var now = DateTimeOffset.UtcNow;
            return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
        }
    }

    public static async Task AwayFromTheTurnAsync(TimeSpan room)
    {
        var left = Next - DateTimeOffset.UtcNow;
        if (left < room)
            await Task.Delay(left + TimeSpan.FromSeconds(5));
    }
}

using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;

namespace Marketplace.Cli.Tests;

// A tenant bids from the command line: a bid at a fair limit is cleared by the market clock's next call
// auction into a lease; one far below every ask stands unfilled until cancelled; the book and the
// auctions' results are there to read.
[Collection(CliCollection.Name)]
public sealed class A_bidder(CliMarket fixture)
{
    [Fact]
    public async Task Bids_is_filled_by_the_auction_and_cancels_what_stands()
    {
        var cli = fixture.Cli();
        var tenant = CliMarket.Unique("bidder");
        Task<CliRun> Run(params string[] args) => cli.AsAsync(MarketRoles.Tenant, tenant, args);
        var now = fixture.Now;
        var (start, deadline, standUntil) = (Sample.Time(now.AddHours(2)), Sample.Time(now.AddHours(20)), Sample.Time(now.AddHours(18)));

        var fair = (await Run("bid", "place", "--workload", "batch", "--model", "H20", "--hours", "8", "-n", "4",
            "--start", start, "--deadline", deadline, "--limit", "40", "--divisible",
            "--request-id", "fair-1", "-o", "json")).Succeeded().Json();
        var low = (await Run("bid", "place", "--workload", "batch", "--model", "H20", "--hours", "8", "-n", "4",
            "--start", start, "--deadline", deadline, "--limit", "0.01",
            "--stand-until", standUntil, "-o", "json")).Succeeded().Json();
        var again = (await Run("bid", "place", "--workload", "batch", "--model", "H20", "--hours", "8", "-n", "4",
            "--start", start, "--deadline", deadline, "--limit", "40", "--divisible",
            "--request-id", "fair-1", "-o", "json")).Succeeded().Json();
        Assert.Equal(fair.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        Assert.Contains("open bids", (await Run("book", "--hours", "3")).Succeeded().Out);

        // The market clock runs an hour a second: the next auction hour comes within seconds.
        var fairId = fair.GetProperty("id").GetString()!;
        var leaseId = await Eventually.GetAsync(async () =>
        {
            var bids = (await Run("bid", "list", "-o", "json")).Succeeded().Json().GetProperty("bids");
            var mine = bids.EnumerateArray().Single(b => b.GetProperty("id").GetString() == fairId);
            return mine.GetProperty("state").GetString() == "BID_STATE_FILLED" ? mine.GetProperty("leaseId").GetString() : null;
        }, "the fair bid to be filled by an auction", TimeSpan.FromSeconds(60));
        Assert.Contains(leaseId!, (await Run("leases")).Succeeded().Out);
        var table = (await Run("bid", "list")).Succeeded().Out;
        Assert.Contains("filled", table);
        Assert.Contains("asks less than", table); // the low bid stands, and says why it was not filled

        var lowId = low.GetProperty("id").GetString()!;
        var cancelled = (await Run("bid", "cancel", lowId, "-o", "json")).Succeeded().Json();
        Assert.Equal("BID_STATE_CANCELLED", cancelled.GetProperty("state").GetString());
        var refused = await Run("bid", "cancel", fairId);
        Assert.Equal(ExitCodes.Refused, refused.ExitCode);
        Assert.Contains("filled", refused.Err);
        var auctions = (await Run("auctions", "--last", "3")).Succeeded().Out;
        Assert.Contains("bids filled", auctions);
        Assert.Contains("H20", auctions);
    }
}

using Google.Protobuf.WellKnownTypes;
using Marketplace.Events.V1;
using Marketplace.Provider.Domain;
using Marketplace.Provider.Storage;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.Provider.Catalog;

// A provider reports that a data center or an offer is down, and later that it is back. While down its
// hours are not free (nothing new is sold there) and not billed (the meter skips them); OutageStarted
// tells the broker, which moves the leases it hits. The outage is stored before it is announced, and
// announced until the bus has it (OutageAnnouncements).
public sealed class OutageDesk(OutageStore store, OfferStore offers, CalendarStore calendar, DataCenterDesk datacenters,
    CapacityPublisher capacity, OutageAnnouncements announcements, TimeProvider clock)
{
    public const int MaxReason = 500;
    static readonly TimeSpan MaxBackdating = TimeSpan.FromHours(24), MaxNotice = TimeSpan.FromDays(30);

    public async Task<Outage> ReportAsync(ReportOutageRequest request, CancellationToken ct)
    {
        Require.Id(request.DatacenterId, "datacenter_id");
        if (request.OfferId.Length > 0)
            Require.Id(request.OfferId, "offer_id");
        Require.Key(request.IdempotencyKey, "idempotency_key");
        if (request.Reason.Length > MaxReason)
            throw new InvalidFieldException("reason", $"must be at most {MaxReason} characters");
        var now = clock.GetUtcNow();
        var start = request.Start?.ToDateTimeOffset() ?? now;
        if (start > now + MaxNotice || start < now - MaxBackdating)
            throw new InvalidFieldException("start", $"must be within the last {MaxBackdating.TotalHours:0} hours or the next {MaxNotice.TotalDays:0} days");
        if (request.ExpectedEnd is { } expected && expected.ToDateTimeOffset() <= start)
            throw new InvalidFieldException("expected_end", "must be after start");

        var datacenter = await datacenters.GetAsync(request.DatacenterId, ct);
        var atSite = (await offers.ListAsync()).Where(o => o.DatacenterId == datacenter.Id && o.State == OfferState.Active).ToList();
        if (request.OfferId.Length > 0 && atSite.All(o => o.Id != request.OfferId))
            throw new NotFoundException("offer at data center " + datacenter.Id, request.OfferId);

        var outage = new Outage
        {
            Id = "outage-" + Guid.NewGuid().ToString("N")[..16],
            ProviderId = datacenter.ProviderId,
            DatacenterId = datacenter.Id,
            OfferId = request.OfferId,
            Start = Timestamp.FromDateTimeOffset(start),
            ExpectedEnd = request.ExpectedEnd,
            Reason = request.Reason,
            ReportedAt = Timestamp.FromDateTimeOffset(now),
        };
        outage.OfferIds.AddRange(atSite.Where(o => OutageHours.Takes(outage, o.Id)).Select(o => o.Id).Order(StringComparer.Ordinal));
        if (request.IdempotencyKey.Length > 0 && await store.ClaimKeyAsync(request.IdempotencyKey, outage.Id) is { } earlier)
            return await store.GetAsync(earlier) ?? throw new UnavailableException("the outage for this idempotency key is being recorded; retry");

        return await RecordAsync(outage);
    }

    public async Task<Outage> EndAsync(string outageId, Timestamp? endedAt, CancellationToken ct)
    {
        var outage = await GetAsync(outageId);
        if (outage.EndedAt is not null)
            return outage; // ended already: the same answer again
        var now = clock.GetUtcNow();
        var end = endedAt?.ToDateTimeOffset() ?? now;
        if (end > now || end < outage.Start.ToDateTimeOffset())
            throw new InvalidFieldException("ended_at", "must be between the outage's start and now");
        outage.EndedAt = Timestamp.FromDateTimeOffset(end);
        return await RecordAsync(outage);
    }

    // Stored first (marked unannounced), then finished; once stored it is finished whatever the caller does.
    async Task<Outage> RecordAsync(Outage outage)
    {
        await store.SaveAsync(outage);
        await FinishAsync(outage);
        return outage;
    }

    // Its offers' calendars follow it, then the market is told. Runs again safely (OutageRecovery).
    public async Task FinishAsync(Outage outage)
    {
        await TakeDownAsync(outage.DatacenterId, outage.OfferIds, CancellationToken.None);
        await announcements.AnnounceAsync(outage, CancellationToken.None);
    }

    public async Task<Outage> GetAsync(string outageId)
    {
        Require.Id(outageId, "outage_id");
        return await store.GetAsync(outageId) ?? throw new NotFoundException("outage", outageId);
    }

    public async Task<IReadOnlyList<Outage>> ListAsync(string datacenterId, string providerId, bool openOnly, CancellationToken ct)
    {
        var sites = datacenterId.Length > 0
            ? [await datacenters.GetAsync(datacenterId, ct)]
            : await datacenters.ListAsync(providerId, "", ct);
        var outages = new List<Outage>();
        foreach (var site in sites)
            outages.AddRange((await store.OfDataCenterAsync(site.Id)).Where(o => !openOnly || o.EndedAt is null));
        return outages.OrderByDescending(o => o.Start.ToDateTimeOffset()).ToList();
    }

    // Each offer's calendar is down over the hours its open outages take from now on (none: back up), and
    // the market hears of its free capacity.
    async Task TakeDownAsync(string datacenterId, IEnumerable<string> offerIds, CancellationToken ct)
    {
        var open = (await store.OfDataCenterAsync(datacenterId)).Where(o => o.EndedAt is null).ToList();
        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var offerId in offerIds)
        {
            var taking = open.Where(o => OutageHours.Takes(o, offerId)).Select(OutageHours.Of).ToList();
            var (from, to) = taking.Count == 0 ? (1L, 0L) : (taking.Min(t => t.First), taking.Max(t => t.Last));
            await calendar.DownAsync(offerId, from, to, nowMs);
            await capacity.AnnounceAsync(offerId, CapacityChangeReason.Changed, ct);
        }
    }
}

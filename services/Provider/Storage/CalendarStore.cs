using System.Buffers.Binary;
using System.Globalization;
using Marketplace.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Marketplace.Provider.Storage;

// Runs calendar.lua: one atomic script per offer for every change to its hourly capacity.
public sealed class CalendarStore(IConnectionMultiplexer redis, ReplicatedWrites replicated)
{
    static readonly string Script = EmbeddedLua.Read<CalendarStore>("calendar.lua");

    IDatabase Db => redis.GetDatabase();

    public async Task<long?> InitAsync(string offerId, byte[] offer, long first, long last, int count, long nowMs)
    {
        var r = await Run(offerId, "init", nowMs, first, last, count, offer);
        return (string)r[0]! == "ok" ? (long)r[1] : null;
    }

    // `leaseId`: confirm the hold into it in the same step ("": a hold that expires unless confirmed).
    // "gone": a hold under `holdId` was discarded before this request came (its key cannot hold again).
    public async Task<CalendarReply> HoldAsync(string offerId, string holdId, int units, long first, long last,
        long expiresMs, string idempotencyKey, string fingerprint, string leaseId, long nowMs)
    {
        var r = await Run(offerId, "hold", nowMs, holdId, units, first, last, expiresMs, idempotencyKey, fingerprint, leaseId);
        return (string)r[0]! switch
        {
            "exhausted" => new CalendarReply("exhausted", Detail: $"slot {(string)r[1]!} has {(string)r[2]!} free"),
            "idem-conflict" => new CalendarReply("idem-conflict", HoldId: (string)r[1]!),
            "gone" => new CalendarReply("gone", HoldId: holdId),
            _ => Hold(r),
        };
    }

    public async Task<CalendarReply> ConfirmAsync(string offerId, string holdId, string leaseId, long nowMs) =>
        Hold(await Run(offerId, "confirm", nowMs, holdId, leaseId));

    // `keepBefore`: a confirmed hold keeps its hours before this slot too (0: only those begun).
    public async Task<CalendarReply> ReleaseAsync(string offerId, string holdId, long currentSlot, bool discard, long nowMs, long keepBefore = 0) =>
        Hold(await Run(offerId, "release", nowMs, holdId, currentSlot, discard ? "1" : "0", keepBefore));

    public async Task<CalendarReply> GetAsync(string offerId, string holdId, long nowMs) =>
        Hold(await Run(offerId, "get", nowMs, holdId));

    // Returns the new version and the most units taken from any one slot.
    public async Task<(long Version, int Removed)> ResizeAsync(string offerId, byte[] offer, int count, long nowMs)
    {
        var r = await Run(offerId, "resize", nowMs, count, offer);
        return ((long)r[1], (int)r[2]);
    }

    // Free units in every slot of the offer's window, read from the array calendar.lua keeps: one value
    // of 4 bytes per slot, so a year of hours is 35 KB and one GET.
    public async Task<(long Version, int Expired, int[] Free)> FreeAsync(string offerId, long first, long last, long nowMs)
    {
        var r = await Run(offerId, "free", nowMs, first, last);
        var (baseSlot, packed) = ((long)r[3], (byte[])r[4]!);
        var free = new int[last - first + 1];
        for (var slot = Math.Max(first, baseSlot); slot <= last; slot++)
        {
            var at = (slot - baseSlot) * 4;
            if (at + 4 > packed.Length)
                break;
            free[slot - first] = BinaryPrimitives.ReadInt32LittleEndian(packed.AsSpan((int)at, 4));
        }
        return ((long)r[1], (int)r[2], free);
    }

    public async Task<(long Version, (int Published, int Held, int Leased)[] Slots)> SlotsAsync(string offerId,
        long first, long last, long nowMs)
    {
        var r = await Run(offerId, "slots", nowMs, first, last);
        var slots = new (int, int, int)[(r.Length - 2) / 3];
        for (var i = 0; i < slots.Length; i++)
            slots[i] = ((int)r[2 + 3 * i], (int)r[3 + 3 * i], (int)r[4 + 3 * i]);
        return ((long)r[1], slots);
    }

    // Takes slots from..to down for an outage (nothing in them is free or can be held), in place of any
    // range before; from > to brings every slot back. Returns the new version.
    public async Task<long> DownAsync(string offerId, long from, long to, long nowMs) =>
        (long)(await Run(offerId, "down", nowMs, from, to))[1];

    public async Task<int> SweepAsync(string offerId, long nowMs) => (int)(await Run(offerId, "sweep", nowMs))[1];

    // Confirmed hours that have ended and are not metered yet, with the last slot due for each hold.
    public async Task<IReadOnlyList<(string HoldId, HoldRecord Hold, long UpTo)>> DueAsync(string offerId,
        long currentSlot, long nowMs)
    {
        var r = await Run(offerId, "due", nowMs, currentSlot);
        var due = new List<(string, HoldRecord, long)>();
        for (var i = 1; i + 2 < r.Length; i += 3)
            due.Add(((string)r[i]!, HoldRecord.Parse((string)r[i + 1]!), (long)r[i + 2]));
        return due;
    }

    public Task MarkMeteredAsync(string offerId, string holdId, long upTo, long nowMs) =>
        Run(offerId, "metered", nowMs, holdId, upTo);

    async Task<RedisResult[]> Run(string offerId, string op, long nowMs, params RedisValue[] args)
    {
        var values = new RedisValue[args.Length + 2];
        values[0] = op;
        values[1] = nowMs;
        args.CopyTo(values, 2);
        var keys = ProviderKeys.Calendar(offerId);
        var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(Script, keys, values))!;
        if (op is not ("get" or "free" or "slots" or "due"))
            await replicated.AfterAsync(keys[0]);
        return reply;
    }

    static CalendarReply Hold(RedisResult[] r) => (string)r[0]! switch
    {
        "ok" => new CalendarReply("ok", (string)r[1]!, HoldRecord.Parse((string)r[2]!),
            long.Parse((string)r[3]!, CultureInfo.InvariantCulture)),
        "state" => new CalendarReply("state", Detail: (string)r[1]!),
        var status => new CalendarReply(status),
    };
}

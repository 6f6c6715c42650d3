namespace Marketplace.Billing.Ledger;

// Where a reader of the billing event log is: the last entry id it has had of each shard's stream ("" before
// the first). As a cursor it is the ids joined by ','; with one shard that is the entry id alone, as
// cursors always were. Entry ids are "<ms>-<seq>", ordered as their stream is.
sealed class LogPosition
{
    readonly string[] _ids;

    LogPosition(string[] ids) => _ids = ids;

    public static LogPosition Start(int shards) => new(Enumerable.Repeat("", shards).ToArray());

    public static LogPosition Of(IEnumerable<string> ids) => new(ids.Select(Normal).ToArray());

    // A cursor this service gave out for a log of `shards` shards.
    public static bool TryParse(string cursor, int shards, out LogPosition position)
    {
        var ids = Array.ConvertAll(cursor.Split(','), Normal);
        position = new LogPosition(ids);
        return ids.Length == shards && ids.All(id => id.Length == 0 || TryParseId(id, out _));
    }

    public string this[int shard] => _ids[shard];

    // The position after one more entry of a shard.
    public LogPosition With(int shard, string id)
    {
        var ids = (string[])_ids.Clone();
        ids[shard] = Normal(id);
        return new LogPosition(ids);
    }

    // "0-0" (what an empty stream's last id is given as) is before the first entry too.
    static string Normal(string id) => id == "0-0" ? "" : id;

    // Whether the entry is at or before the position: had already.
    public bool Covers(int shard, string id) => CompareIds(id, _ids[shard]) <= 0;

    public override string ToString() => string.Join(',', _ids);

    // "" (before the first entry) sorts first.
    public static int CompareIds(string a, string b)
    {
        TryParseId(a, out var x);
        TryParseId(b, out var y);
        return x.CompareTo(y);
    }

    static bool TryParseId(string value, out (ulong Ms, ulong Seq) id)
    {
        id = default;
        if (value.Split('-') is not [var ms, var seq] || !ulong.TryParse(ms, out var m) || !ulong.TryParse(seq, out var s))
            return false;
        id = (m, s);
        return true;
    }
}

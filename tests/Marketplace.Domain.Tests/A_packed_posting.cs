using Marketplace.Billing.Storage;

namespace Marketplace.Domain.Tests;

// The billing log carries each posting packed in one value: it must come back field for field, and a value
// that is not a packed posting of a known version must be refused, not read as something else.
public sealed class A_packed_posting
{
    static readonly PostingRecord Posting = new("post:usage:h1:7", "usage:h1:7", "lease-1", "tenant-é", "provider-1", "dc-1", "hub-1",
        "region-1", "H20", "voucher-1", "program-1", "CNY", 123_456, -12_345, 0, 7200, 0.1 + 0.2, 1_900_000_000_000,
        1_900_000_123_456, PostingRecord.Credit);

    [Fact]
    public void Comes_back_whole_with_the_subsidy_beside_it() =>
        Assert.Equal(Posting with { SubsidyFen = 99 }, PackedPosting.Unpack(PackedPosting.Pack(Posting), 99));

    [Fact]
    public void Of_an_unknown_version_or_cut_short_is_refused()
    {
        var packed = PackedPosting.Pack(Posting);
        Assert.Throws<FormatException>(() => PackedPosting.Unpack([2, .. packed[1..]], 0));
        Assert.Throws<FormatException>(() => PackedPosting.Unpack(packed[..^3], 0));
    }
}

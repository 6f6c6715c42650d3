using Google.Protobuf.WellKnownTypes;
using Marketplace.Billing.Domain;
using Marketplace.Billing.Storage;
using Marketplace.Billing.V1;

namespace Marketplace.Billing.Ledger;

// A stored posting as the contract shows it: its four entries (three without a voucher), summing to zero.
static class PostingContract
{
    public static Posting ToProto(this PostingRecord p)
    {
        var at = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(p.PostedMs));
        var posting = new Posting
        {
            Id = p.Id,
            SourceEventId = p.EventId,
            LeaseId = p.LeaseId,
            TenantId = p.TenantId,
            ProviderId = p.ProviderId,
            HubId = p.HubId,
            VoucherId = p.SubsidyFen > 0 ? p.VoucherId : "",
            AcceleratorHours = p.AcceleratorSeconds / 3600.0,
            EnergyKwh = p.EnergyKwh,
            OccurredAt = at,
            Kind = p.Kind,
        };
        LedgerEntry Entry(string account, long fen, string memo) => new()
        {
            PostingId = p.Id, Account = Accounts.Parse(account), Amount = FenMoney.ToMoney(fen, p.Currency), OccurredAt = at, Memo = memo,
        };
        posting.Entries.Add(Entry(Accounts.Tenant(p.TenantId), p.TenantDueFen,
            p.Kind == PostingRecord.Credit ? $"SLA credit on lease {p.LeaseId}" : $"usage of lease {p.LeaseId}"));
        if (p.SubsidyFen > 0)
            posting.Entries.Add(Entry(Accounts.VoucherFund(p.ProgramId), p.SubsidyFen, $"voucher {p.VoucherId}"));
        posting.Entries.Add(Entry(Accounts.Provider(p.ProviderId), -(p.AmountFen - p.FeeFen), "payable to provider"));
        posting.Entries.Add(Entry(Accounts.PlatformFees, -p.FeeFen, "platform fee"));
        return posting;
    }
}

using Marketplace.Billing.V1;

namespace Marketplace.Cli.Commands.Operator;

// Revenue, accelerator-hours by hub and voucher spend, summed from usage postings of the billing log.
public sealed class BillingReport
{
    public int Postings { get; private set; }
    public string Currency { get; private set; } = "";
    public decimal Gross { get; private set; }            // everything billed: tenants' share plus vouchers'
    public decimal PlatformFee { get; private set; }      // the platform's revenue
    public decimal ProviderPayable { get; private set; }
    public decimal VoucherCovered { get; private set; }
    public decimal TenantDue { get; private set; }
    public double AcceleratorHours { get; private set; }
    public List<HubFigures> Hubs { get; } = [];
    public List<VoucherProgramSpend> Vouchers { get; } = [];
    public string? LastCursor { get; private set; }       // pass as --cursor to report only what comes after

    public void Add(BillingEvent e)
    {
        LastCursor = e.Cursor;
        if (e.KindCase != BillingEvent.KindOneofCase.Posting)
            return;
        var posting = e.Posting;
        Postings++;
        Currency = PostingFigures.Currency(posting) is { Length: > 0 } currency ? currency : Currency;
        var gross = PostingFigures.Gross(posting);
        Gross += gross;
        PlatformFee += PostingFigures.PlatformFee(posting);
        ProviderPayable += PostingFigures.ProviderPayable(posting);
        TenantDue += PostingFigures.TenantDue(posting);
        AcceleratorHours += posting.AcceleratorHours;

        var hubId = posting.HubId.Length > 0 ? posting.HubId : "(outside the hubs)";
        var hub = Hubs.FirstOrDefault(h => h.HubId == hubId) ?? Added(Hubs, new HubFigures { HubId = hubId });
        hub.AcceleratorHours += posting.AcceleratorHours;
        hub.EnergyKwh += posting.EnergyKwh;
        hub.Gross += gross;

        var voucher = PostingFigures.Voucher(posting);
        if (voucher == 0 || PostingFigures.Program(posting) is not { } programId)
            return;
        VoucherCovered += voucher;
        var program = Vouchers.FirstOrDefault(v => v.ProgramId == programId)
                      ?? Added(Vouchers, new VoucherProgramSpend { ProgramId = programId });
        program.Spent += voucher;
        program.ByTenant[posting.TenantId] = program.ByTenant.GetValueOrDefault(posting.TenantId) + voucher;
    }

    static T Added<T>(List<T> list, T item)
    {
        list.Add(item);
        return item;
    }
}

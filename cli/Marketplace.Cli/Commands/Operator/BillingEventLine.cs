using Marketplace.Billing.V1;
using Marketplace.Cli.Output;

namespace Marketplace.Cli.Commands.Operator;

// One billing event as one line of a live feed: fixed columns, since the feed never ends to measure.
public static class BillingEventLine
{
    public const string Header =
        "CURSOR             OCCURRED           TENANT                    PROVIDER              HUB                          ACC-H      AMOUNT   VOUCHER";

    public static string Of(BillingEvent e) => e.KindCase switch
    {
        BillingEvent.KindOneofCase.Posting => string.Format(System.Globalization.CultureInfo.InvariantCulture,
            "{0,-18} {1,-18} {2,-25} {3,-21} {4,-26} {5,7} {6,11} {7,9}",
            e.Cursor, Cells.Time(e.OccurredAt), e.Posting.TenantId, e.Posting.ProviderId, e.Posting.HubId,
            Cells.Number(e.Posting.AcceleratorHours), Cells.Amount(PostingFigures.Gross(e.Posting)),
            Cells.Amount(PostingFigures.Voucher(e.Posting))),
        BillingEvent.KindOneofCase.InvoiceIssued => $"{e.Cursor,-18} {Cells.Time(e.OccurredAt),-18} invoice {e.InvoiceIssued.Id} " +
                                                    $"for {e.InvoiceIssued.TenantId}: {Cells.Money(e.InvoiceIssued.Total)}",
        _ => $"{e.Cursor,-18} {Cells.Time(e.OccurredAt),-18} (an event this marketctl does not know)",
    };
}

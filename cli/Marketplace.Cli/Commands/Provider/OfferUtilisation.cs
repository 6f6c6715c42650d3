namespace Marketplace.Cli.Commands.Provider;

// One offer's capacity over a window, in accelerator-hours (slot units summed over its hours).
public sealed record OfferUtilisation(string OfferId, string DatacenterId, string HubId, string AcceleratorModel,
    long Published, long Held, long Leased)
{
    // Held + leased over published: what the market has taken of what was offered.
    public double Utilisation => Published == 0 ? 0 : (double)(Held + Leased) / Published;
}

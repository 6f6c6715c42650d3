namespace Marketplace.Provider;

public sealed class ProviderOptions
{
    public const string Section = "Provider";

    // Load seeds/ (data centers and offers) at start-up; loading twice changes nothing.
    public bool LoadSeeds { get; set; }

    // Where seeds/ is; unset: the copy shipped next to the service.
    public string? SeedsPath { get; set; }

    // How often expired holds are swept (real time): capacity is back within TTL + this.
    public TimeSpan HoldSweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    // How often the meter looks for lease hours that have ended (real time; market time may run faster).
    public TimeSpan MeterInterval { get; set; } = TimeSpan.FromSeconds(5);
}

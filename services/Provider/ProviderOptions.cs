namespace Marketplace.Provider;

public sealed class ProviderOptions
{
    public const string Section = "Provider";

    // Load seeds/ (data centers and offers) at start-up; loading twice changes nothing.
    public bool LoadSeeds { get; set; }

    // Where seeds/ is; unset: the copy shipped next to the service.
    public string? SeedsPath { get; set; }
}

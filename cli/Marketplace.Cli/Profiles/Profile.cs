namespace Marketplace.Cli.Profiles;

// ~/.config/marketctl/profile.json: who this user is to the market and where it listens.
public sealed class Profile
{
    public string? Token { get; set; }
    public string? ProviderAddress { get; set; }
    public string? BrokerAddress { get; set; }
    public string? BillingAddress { get; set; }

    // The last billing event seen by `billing watch`: the next watch resumes after it.
    public string? BillingCursor { get; set; }
}

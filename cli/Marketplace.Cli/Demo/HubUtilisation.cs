namespace Marketplace.Cli.Demo;

// One national hub's capacity over the day: accelerator-hours published, and held or leased.
public sealed record HubUtilisation(string HubId, long Published, long Used)
{
    public double Utilisation => Published == 0 ? 0 : (double)Used / Published;
}

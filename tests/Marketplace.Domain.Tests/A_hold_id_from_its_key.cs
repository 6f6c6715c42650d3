using Marketplace.Broker.Leasing;
using Marketplace.Provider.Domain;

namespace Marketplace.Domain.Tests;

// The broker records an accept's holds before it asks for them, so it must name each hold as the provider will.
public sealed class A_hold_id_from_its_key
{
    [Theory]
    [InlineData("dc-1-h20-a", "broker-7:1f2e3d.0")]
    [InlineData("sh/dc.2_h100", "k")]
    [InlineData("o", "A.b:c/d-e_f")]
    public void Is_the_same_at_the_broker_and_the_provider(string offerId, string key)
    {
        var id = HoldIds.For(offerId, key);
        Assert.Equal(id, ProviderHolds.IdFor(offerId, key));
        Assert.Equal(offerId, HoldIds.OfferOf(id));
        Assert.NotEqual(id, HoldIds.For(offerId, key + "x"));
    }
}

using Grpc.Net.Client.Balancer;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Grpc;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Domain.Tests;

// How a client address names the replicas it spreads its calls over (BalancedChannel).
public sealed class A_balanced_channel_address
{
    [Theory]
    [InlineData("http://127.0.0.1:5101", false)]
    [InlineData("https://provider:8080", false)]
    [InlineData("dns:///provider-headless:8080", true)]
    [InlineData("static:///127.0.0.1:5101,127.0.0.1:5102", true)]
    public void Is_balanced_unless_it_is_plain_http(string address, bool balanced) =>
        Assert.Equal(balanced, BalancedChannel.IsBalanced(new Uri(address)));

    [Fact]
    public void Static_lists_its_hosts_and_ports_in_order()
    {
        var addresses = BalancedChannel.StaticAddresses(new Uri("static:///127.0.0.1:5101, provider-1:8080,[::1]:5103"));

        Assert.Equal(["127.0.0.1:5101", "provider-1:8080", "::1:5103"],
            addresses.Select(a => $"{a.EndPoint.Host}:{a.EndPoint.Port}"));
    }

    [Theory]
    [InlineData("static:///")]
    [InlineData("static:///127.0.0.1")]
    [InlineData("static:///127.0.0.1:port")]
    public void Static_without_a_host_and_port_is_refused(string address) =>
        Assert.Throws<ArgumentException>(() => BalancedChannel.StaticAddresses(new Uri(address)));

    [Fact]
    public void A_retried_method_the_service_does_not_have_is_refused_at_start_up()
    {
        var services = new ServiceCollection();

        var refused = Assert.Throws<ArgumentException>(() => services.AddBalancedGrpcClient<ProviderService.ProviderServiceClient>(
            new Uri("http://127.0.0.1:5101"), ProviderService.Descriptor, "HoldCapacity", "HoldCapasity"));
        Assert.Contains("HoldCapasity", refused.Message);
    }

    [Fact]
    public void A_balanced_address_brings_the_dns_and_static_resolvers_once()
    {
        var services = new ServiceCollection();
        services.AddBalancedGrpcClient<ProviderService.ProviderServiceClient>(new Uri("static:///127.0.0.1:5101,127.0.0.1:5102"),
            ProviderService.Descriptor, "GetCatalogSnapshot");
        services.AddBalancedGrpcClient<ProviderService.ProviderServiceClient>(new Uri("dns:///provider-headless:8080"),
            ProviderService.Descriptor);

        using var provider = services.BuildServiceProvider();
        var resolvers = provider.GetServices<ResolverFactory>().Select(r => r.Name).Order().ToList();

        Assert.Equal(["dns", "static"], resolvers);
        Assert.NotNull(provider.GetRequiredService<ProviderService.ProviderServiceClient>());
    }

    [Fact]
    public void A_plain_address_brings_no_resolver()
    {
        var services = new ServiceCollection();
        services.AddBalancedGrpcClient<ProviderService.ProviderServiceClient>(new Uri("http://127.0.0.1:5101"), ProviderService.Descriptor);

        using var provider = services.BuildServiceProvider();

        Assert.Empty(provider.GetServices<ResolverFactory>());
    }
}

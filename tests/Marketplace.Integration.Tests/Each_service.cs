using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests;

[Collection(MarketCollection.Name)]
public sealed class Each_service(MarketFixture fixture)
{
    readonly MarketUnderTest _market = fixture.Market;

    public static TheoryData<string, string> ServicesAndDependencies => new()
    {
        { "provider", "" }, { "provider", "redis" }, { "provider", "rabbitmq" },
        { "broker", "" }, { "broker", "redis" }, { "broker", "rabbitmq" },
        { "billing", "" }, { "billing", "redis" }, { "billing", "rabbitmq" },
    };

    [Theory]
    [MemberData(nameof(ServicesAndDependencies))]
    public async Task Reports_itself_and_its_dependencies_serving_over_grpc_health(string service, string dependency)
    {
        var health = new Health.HealthClient(Service(service).Channel);

        var status = await Eventually.GetAsync(async () =>
        {
            var reply = await health.CheckAsync(new HealthCheckRequest { Service = dependency });
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving ? reply : null;
        }, $"{service} health '{dependency}' SERVING");

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, status.Status);
    }

    [Theory]
    [InlineData("provider", "marketplace.provider.v1.ProviderService")]
    [InlineData("broker", "marketplace.broker.v1.BrokerService")]
    [InlineData("billing", "grpc.health.v1.Health")]
    public async Task Lists_its_services_over_grpc_reflection(string service, string expected)
    {
        var reflection = new ServerReflection.ServerReflectionClient(Service(service).Channel);
        using var call = reflection.ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(default));

        Assert.Contains(expected, call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name));
    }

    RunningService Service(string name) => name switch
    {
        "provider" => _market.Provider,
        "broker" => _market.Broker,
        _ => _market.Billing,
    };
}

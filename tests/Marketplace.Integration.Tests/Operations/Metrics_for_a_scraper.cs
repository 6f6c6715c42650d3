using Marketplace.Broker.V1;
using Marketplace.Integration.Tests.Broker;
using Marketplace.Integration.Tests.Billing;
using Marketplace.ServiceDefaults.Bus;
using Marketplace.Testing.Market;
using RabbitMQ.Client;

namespace Marketplace.Integration.Tests.Operations;

// Each service's instruments at /metrics on its HTTP/1.1 port, in Prometheus's text format, anonymous.
// The market's services share this test process, and with it the bus's poison counter: figures are
// read before and after, and must have grown.
[Collection(MarketCollection.Name)]
public sealed class Metrics_for_a_scraper(MarketFixture fixture)
{
    readonly MarketUnderTest _market = fixture.Market;

    [Theory]
    [InlineData("provider")]
    [InlineData("broker")]
    [InlineData("billing")]
    public async Task Each_service_answers_a_scrape_in_prometheus_text_format_with_its_redis_latency(string service)
    {
        using var http = new HttpClient { BaseAddress = Service(service).JsonAddress };

        using var response = await http.GetAsync("/metrics");

        response.EnsureSuccessStatusCode();
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE target_info gauge", await response.Content.ReadAsStringAsync());
        // A histogram shows once it has a reading: the first ping is at start-up.
        var scrape = await Eventually.GetAsync(async () => await PrometheusText.ScrapeAsync(Service(service).JsonAddress!) is var s
            && s.Sum("marketplace_redis_ping_duration_seconds_count") > 0 ? s : null, $"{service} to have pinged Redis");
        Assert.Contains("# TYPE marketplace_redis_ping_duration_seconds histogram", scrape.Text);
    }

    [Fact]
    public async Task A_quote_and_its_accept_grow_the_broker_quote_and_accept_counters()
    {
        const decimal band = 0.0037m;
        var before = await PrometheusText.ScrapeAsync(_market.Broker.JsonAddress!);
        var offer = await _market.OfferInBandAsync(band, count: 8);

        var quote = await _market.QuoteOnAsync(BrokerSteps.Batch(Samples.UniqueId("tenant-metrics"), 8, 2, band), offer);
        await _market.BrokerClient.AcceptQuoteAsync(new AcceptQuoteRequest { QuoteId = quote.Id, IdempotencyKey = "accept-" + quote.Id });

        // A scrape is cached for a moment (300 ms): ask again until it shows the calls.
        var after = await Eventually.GetAsync(async () =>
        {
            var scrape = await PrometheusText.ScrapeAsync(_market.Broker.JsonAddress!);
            return Grew(before, scrape, "marketplace_broker_quotes_total", ("outcome", "ok"))
                   && Grew(before, scrape, "marketplace_broker_quote_duration_seconds_count")
                   && Grew(before, scrape, "marketplace_broker_accepts_total", ("outcome", "ok")) ? scrape : null;
        }, "the quote, its duration and the accept counted");
        Assert.True(after.Has("marketplace_broker_outbox_events"), "no outbox backlog gauge");
        // None of ASP.NET Core's per-call instruments but its request durations. Those are counted where a
        // service is a process of its own (A_broker_over_two_provider_replicas): here every host of the test
        // process share their stream by name, and in the whole suite the broker's scrape was found without it.
        Assert.False(after.Has("http_server_active_requests"), "the active-requests gauge is collected");
        Assert.DoesNotContain("kestrel_", after.Text);
    }

    [Fact]
    public async Task The_broker_measures_the_age_of_the_capacity_events_it_consumes()
    {
        var before = await PrometheusText.ScrapeAsync(_market.Broker.JsonAddress!);

        await _market.OfferInBandAsync(0.0041m, count: 4); // the provider publishes its CapacityChanged

        await Eventually.TrueAsync(async () => Grew(before, await PrometheusText.ScrapeAsync(_market.Broker.JsonAddress!),
            "marketplace_bus_consumed_message_age_seconds_count", ("message", "CapacityChanged")), "the event's age recorded");
    }

    [Fact]
    public async Task An_accept_refused_is_counted_by_its_status()
    {
        var before = await PrometheusText.ScrapeAsync(_market.Broker.JsonAddress!);

        await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => _market.BrokerClient.AcceptQuoteAsync(
            new AcceptQuoteRequest { QuoteId = Samples.UniqueId("no-such-quote"), IdempotencyKey = Samples.UniqueId("k") }).ResponseAsync);

        await Eventually.TrueAsync(async () => Grew(before, await PrometheusText.ScrapeAsync(_market.Broker.JsonAddress!),
            "marketplace_broker_accepts_total", ("outcome", "not_found")), "the accept counted as not_found");
    }

    [Fact]
    public async Task A_usage_record_posted_twice_counts_one_applied_and_one_duplicate_posting()
    {
        var before = await PrometheusText.ScrapeAsync(_market.Billing.JsonAddress!);
        await using var bus = await RawBus.ConnectAsync(_market.Servers.RabbitMqUri);
        var tenant = Samples.UniqueId("tenant-metrics");
        var lease = BillingSteps.Lease(tenant, pricePerHour: 3.21m);
        await bus.OpenAsync(lease);

        var usage = BillingSteps.Usage(lease, hour: 0);
        await bus.PublishAsync(usage);
        await bus.PublishAsync(usage);

        await _market.BillingClient.SettledTenantBalanceAsync(tenant, 6.42m);
        await Eventually.TrueAsync(async () =>
        {
            var after = await PrometheusText.ScrapeAsync(_market.Billing.JsonAddress!);
            return Grew(before, after, "marketplace_billing_postings_total", ("outcome", "applied"))
                   && Grew(before, after, "marketplace_billing_postings_total", ("outcome", "duplicate"));
        }, "one applied and one duplicate posting counted");
    }

    [Fact]
    public async Task A_poison_message_raises_the_poison_counter_under_its_reason()
    {
        const string reason = "unknown type header";
        var before = await PrometheusText.ScrapeAsync(_market.Broker.JsonAddress!);

        await PublishToBrokerQueueAsync("marketplace.events.v1.NoSuchEvent");

        await Eventually.TrueAsync(async () => Grew(before, await PrometheusText.ScrapeAsync(_market.Broker.JsonAddress!),
            "marketplace_bus_poison_messages_total", ("reason", reason)), $"the poison counted under reason '{reason}'");
    }

    // Straight to the broker's own queue, as a foreign publisher that got the type wrong would.
    async Task PublishToBrokerQueueAsync(string typeHeader)
    {
        var factory = new ConnectionFactory { Uri = _market.Servers.RabbitMqUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var properties = new BasicProperties
        {
            ContentType = ProtobufContentType.MediaType, Persistent = true,
            Headers = new Dictionary<string, object?> { [ProtobufContentType.MessageTypeHeader] = typeHeader },
        };
        await channel.BasicPublishAsync(exchange: "", routingKey: BusExtensions.ReplicaQueue("broker", "capacity-changed"), mandatory: true,
            basicProperties: properties, body: "not an event"u8.ToArray());
    }

    static bool Grew(PrometheusText before, PrometheusText after, string name, params (string, string)[] labels) =>
        after.Sum(name, labels) >= before.Sum(name, labels) + 1;

    RunningService Service(string name) => name switch
    {
        "provider" => _market.Provider,
        "broker" => _market.Broker,
        _ => _market.Billing,
    };
}

using System.Diagnostics;
using Grpc.Core;
using Marketplace.Broker.V1;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.Testing.Market;

namespace Marketplace.Integration.Tests.Broker;

// Each tenant has a budget of quotes a second of its own: one tenant firing far past it is refused
// (RESOURCE_EXHAUSTED, told how long to wait) while another is served, and the platform is never limited.
// A broker of this test's own with a small budget (5 a second, bursts of 10), so one volley goes past it.
// Outcomes only (who is served, who is told to wait), never how fast.
[Collection(MarketCollection.Name)]
public sealed class Per_tenant_limits(MarketFixture fixture) : IAsyncLifetime
{
    const int Database = 13; // this test's broker (the fixture uses 0-3, the CLI tests 5, the fault tests 6-12)
    const int QuotesPerSecond = 5, Burst = 2 * QuotesPerSecond;
    const int Volley = 100; // at once: ten times the burst
    const decimal Band = 0.0053m; // no other test prices offers here

    readonly MarketUnderTest _market = fixture.Market;
    RunningService _broker = null!;

    sealed record Answer(StatusCode Status, string Detail, long? RetryAfterMs, long At);

    public async Task InitializeAsync()
    {
        var offer = await _market.OfferInBandAsync(Band, 64); // before the broker: its catalog starts from the snapshot
        _broker = await _market.StartBrokerAsync(
            ("ConnectionStrings:Redis", $"{_market.Servers.RedisConnectionString},defaultDatabase={Database}"),
            ("Bus:EndpointPrefix", $"broker-limits-{Guid.NewGuid():N}"[..22]),
            ("Broker:ProviderAddress", _market.Provider.Address.ToString()),
            ("Broker:BillingAddress", _market.Billing.Address.ToString()),
            ("Broker:TenantQuotesPerSecond", QuotesPerSecond.ToString()));
        // Waited for as the fixture's operator, who is not limited: no tenant's budget is spent on it.
        await _market.QuoteOnAsyncWith(new BrokerService.BrokerServiceClient(_broker.Channel), Request("catalog-probe"), offer);
    }

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task A_noisy_tenant_past_its_budget_is_refused_and_told_how_long_to_wait()
    {
        var noisy = Samples.UniqueId("noisy");
        var clock = Stopwatch.StartNew();
        var answers = await VolleyAsync(MarketRoles.Tenant, noisy, noisy, Volley);
        var seconds = (int)Math.Ceiling(clock.Elapsed.TotalSeconds);

        NoneBut(answers, a => a.Status is StatusCode.OK or StatusCode.ResourceExhausted, "answered neither OK nor RESOURCE_EXHAUSTED");
        var refused = answers.Where(a => a.Status == StatusCode.ResourceExhausted).ToList();
        Assert.NotEmpty(refused);
        // Told to wait a while, but never longer than refilling the whole burst takes.
        NoneBut(refused, a => a.RetryAfterMs is > 0 and <= 1000L * Burst / QuotesPerSecond && a.Detail.Contains(noisy),
            $"refused without a retry-after-ms in (0, {1000 * Burst / QuotesPerSecond}] or the tenant's name");
        // The burst, and at most one refill a second besides (one more for a refill just as the volley began).
        Assert.InRange(answers.Count(a => a.Status == StatusCode.OK), 1, Burst + QuotesPerSecond * (seconds + 1));
    }

    [Fact]
    public async Task A_quiet_tenant_is_served_from_its_own_budget_while_a_noisy_one_is_refused()
    {
        var (noisy, quiet) = (Samples.UniqueId("noisy"), Samples.UniqueId("quiet"));
        var noisyRefused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var noisyVolley = VolleyAsync(MarketRoles.Tenant, noisy, noisy, Volley, a =>
        {
            if (a.Status == StatusCode.ResourceExhausted) noisyRefused.TrySetResult();
        });

        // The noisy tenant's budget is spent (it has been refused) when the quiet one asks.
        await noisyRefused.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var quietAnswers = await VolleyAsync(MarketRoles.Tenant, quiet, quiet, 3);
        await noisyVolley;

        NoneBut(quietAnswers, a => a.Status == StatusCode.OK, "of the quiet tenant's calls not served");
    }

    [Theory]
    [InlineData(MarketRoles.Operator)]
    [InlineData(MarketRoles.Service)]
    public async Task The_platform_is_never_limited_even_for_a_tenant_over_its_budget(string role)
    {
        var noisy = Samples.UniqueId("noisy");
        Assert.Contains((await VolleyAsync(MarketRoles.Tenant, noisy, noisy, Volley)).Select(a => a.Status), s => s == StatusCode.ResourceExhausted);

        var answers = await VolleyAsync(role, Samples.UniqueId(role), noisy, Volley);

        NoneBut(answers, a => a.Status == StatusCode.OK, $"of the {role}'s calls not served");
    }

    [Fact]
    public async Task A_noisy_tenant_that_waits_as_told_is_served_again()
    {
        var noisy = Samples.UniqueId("noisy");
        var last = (await VolleyAsync(MarketRoles.Tenant, noisy, noisy, Volley))
            .Where(a => a.Status == StatusCode.ResourceExhausted).MaxBy(a => a.At);
        Assert.True(last?.RetryAfterMs > 0, $"the last refusal: {last}");

        var wait = TimeSpan.FromMilliseconds(last!.RetryAfterMs!.Value) - Stopwatch.GetElapsedTime(last.At); // counted from the refusal
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        var again = Assert.Single(await VolleyAsync(MarketRoles.Tenant, noisy, noisy, 1));

        Assert.True(again.Status == StatusCode.OK, $"after waiting {last.RetryAfterMs} ms as told: {again.Status}: {again.Detail}");
    }

    // `calls` RequestQuotes for `tenantId` at once, as `role`/`subject` on a channel of their own.
    async Task<IReadOnlyList<Answer>> VolleyAsync(string role, string subject, string tenantId, int calls,
        Action<Answer>? onAnswer = null)
    {
        using var channel = TestChannels.For(_broker.Address, MarketUnderTest.TokenFor(role, subject));
        var client = new BrokerService.BrokerServiceClient(channel);
        return await Task.WhenAll(Enumerable.Range(0, calls).Select(async _ =>
        {
            var answer = await AnswerOf(client.RequestQuoteAsync(Request(tenantId), deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync);
            onAnswer?.Invoke(answer);
            return answer;
        }));
    }

    static async Task<Answer> AnswerOf(Task call)
    {
        try
        {
            await call;
            return new Answer(StatusCode.OK, "", null, Stopwatch.GetTimestamp());
        }
        catch (RpcException e)
        {
            var retryAfter = long.TryParse(e.Trailers.GetValue("retry-after-ms"), out var ms) ? ms : (long?)null;
            return new Answer(e.StatusCode, e.Status.Detail, retryAfter, Stopwatch.GetTimestamp());
        }
    }

    // Every answer as it should be; or how many were not, and the first of them.
    static void NoneBut(IReadOnlyList<Answer> answers, Func<Answer, bool> expected, string what)
    {
        var others = answers.Where(a => !expected(a)).ToList();
        Assert.True(others.Count == 0, $"{others.Count} of {answers.Count} {what}, e.g. {others.FirstOrDefault()}");
    }

    static QuoteRequest Request(string tenantId) => BrokerSteps.Batch(tenantId, accelerators: 2, hoursEach: 1, ceiling: Band);
}

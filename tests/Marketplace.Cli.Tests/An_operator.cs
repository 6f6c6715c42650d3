using Marketplace.ServiceDefaults.Auth;

namespace Marketplace.Cli.Tests;

[Collection(CliCollection.Name)]
public sealed class An_operator(CliMarket fixture)
{
    const string Operator = "ops-desk";

    [Fact]
    public async Task Watches_billing_stops_after_some_events_and_resumes_without_a_duplicate()
    {
        var cli = fixture.Cli();
        var tenant = await LeaseAndBillAsync(cli, hours: 3);
        Task<CliRun> Watch(params string[] args) => cli.AsAsync(MarketRoles.Operator, Operator, ["billing", "watch", "--tenant", tenant, "-o", "json", .. args]);

        var first = (await Watch("--take", "2")).Succeeded().JsonLines();
        var rest = (await Watch("--take", "1")).Succeeded().JsonLines();
        var all = (await Watch("--from-start", "--take", "3", "--no-save")).Succeeded().JsonLines();
        var nothingNew = (await Watch("--for", "1s")).Succeeded().JsonLines();

        Assert.Equal(2, first.Count);
        var resumed = Assert.Single(rest);
        Assert.Equal(all.Select(Cursor), first.Append(resumed).Select(Cursor));
        Assert.Equal(3, all.Select(e => e.GetProperty("posting").GetProperty("id").GetString()).Distinct().Count());
        Assert.Empty(nothingNew);
    }

    [Fact]
    public async Task Resumes_the_watch_from_a_cursor_it_is_given()
    {
        var cli = fixture.Cli();
        var tenant = await LeaseAndBillAsync(cli, hours: 2);
        var all = (await cli.AsAsync(MarketRoles.Operator, Operator, "billing", "watch", "--tenant", tenant, "--take", "2",
            "--no-save", "-o", "json")).Succeeded().JsonLines();

        var after = (await cli.AsAsync(MarketRoles.Operator, Operator, "billing", "watch", "--tenant", tenant,
            "--cursor", Cursor(all[0]), "--take", "1")).Succeeded();

        Assert.Contains(Cursor(all[1]), after.Out);
        Assert.DoesNotContain(Cursor(all[0]) + " ", after.Out);
    }

    [Fact]
    public async Task Creates_and_grants_vouchers_and_reports_revenue_hours_by_hub_and_voucher_spend()
    {
        var cli = fixture.Cli();
        Task<CliRun> Run(params string[] args) => cli.AsAsync(MarketRoles.Operator, Operator, args);
        var tenant = CliMarket.Unique("voucher-sme");

        var program = (await Run("vouchers", "create", "--name", "Guizhou compute voucher", "--issuer", "Guizhou Big Data Bureau",
            "--budget", "100000", "--cap-per-tenant", "5000", "--copay", "40", "--expires", Sample.Time(fixture.Now.AddDays(20)),
            "-o", "json")).Succeeded().Json();
        var programId = program.GetProperty("id").GetString()!;
        var voucher = (await Run("vouchers", "grant", programId, "--tenant", tenant, "--cap", "2000", "-o", "json")).Succeeded().Json();
        Assert.Equal($"v-{programId}-{tenant}", voucher.GetProperty("id").GetString());

        await LeaseAndBillAsync(cli, hours: 2, tenant, voucher.GetProperty("id").GetString());

        var report = (await Run("report", "--tenant", tenant, "--settle", "1s", "-o", "json")).Succeeded().Json();
        Assert.Equal(2, report.GetProperty("postings").GetInt32());
        Assert.Equal(8, report.GetProperty("acceleratorHours").GetDouble());
        Assert.True(report.GetProperty("gross").GetDecimal() > 0);
        Assert.True(report.GetProperty("platformFee").GetDecimal() > 0);
        var hub = Assert.Single(report.GetProperty("hubs").EnumerateArray());
        Assert.Equal(8, hub.GetProperty("acceleratorHours").GetDouble());
        var spend = Assert.Single(report.GetProperty("vouchers").EnumerateArray());
        Assert.Equal(programId, spend.GetProperty("programId").GetString());
        Assert.Equal(report.GetProperty("voucherCovered").GetDecimal(), spend.GetProperty("spent").GetDecimal());
        Assert.True(spend.GetProperty("spent").GetDecimal() > 0);

        var reconciled = (await Run("vouchers", "show", programId, "-o", "json")).Succeeded().Json();
        Assert.Equal(tenant, reconciled.GetProperty("spend")[0].GetProperty("tenantId").GetString());
        Assert.Contains("VOUCHER PROGRAM", (await Run("report", "--tenant", tenant, "--settle", "1s")).Succeeded().Out);
        Assert.Contains(programId, (await Run("vouchers", "list")).Succeeded().Out);
    }

    [Fact]
    public async Task Closes_the_billing_period_early_and_the_tenant_sees_its_invoice_issued()
    {
        var cli = fixture.Cli();
        var tenant = await LeaseAndBillAsync(cli, hours: 2);

        var refused = await cli.AsAsync(MarketRoles.Tenant, tenant, "invoices", "close");
        var closed = (await cli.AsAsync(MarketRoles.Operator, Operator, "invoices", "close", "-o", "json")).Succeeded().Json();

        Assert.Equal(ExitCodes.Denied, refused.ExitCode);
        var invoice = Assert.Single(closed.GetProperty("invoices").EnumerateArray(), i => i.GetProperty("tenantId").GetString() == tenant);
        Assert.Equal("INVOICE_STATE_ISSUED", invoice.GetProperty("state").GetString());
        Assert.True(long.Parse(invoice.GetProperty("number").GetString()!) > 0, invoice.ToString());
        Assert.True(decimal.Parse(invoice.GetProperty("total").GetProperty("units").GetString()!) > 0, invoice.ToString());
        var id = invoice.GetProperty("id").GetString()!;
        var shown = (await cli.AsAsync(MarketRoles.Tenant, tenant, "invoice", "--id", id)).Succeeded();
        Assert.Contains($"Invoice {id} (no. {invoice.GetProperty("number").GetString()}, issued", shown.Out);
        var table = (await cli.AsAsync(MarketRoles.Operator, Operator, "invoices", "close")).Succeeded();
        Assert.Contains("invoices issued", table.Out);
        Assert.Contains("NUMBER", table.Out);
    }

    // A tenant's lease of 4 H20s for so many hours, starting now, run and billed to the last hour.
    async Task<string> LeaseAndBillAsync(Marketctl cli, int hours, string? tenant = null, string? voucher = null)
    {
        tenant ??= CliMarket.Unique("metered");
        string[] quote = ["quote", "--workload", "batch", "--model", "H20", "--hours", $"{4 * hours}", "-n", "4",
            "--start", Sample.Time(fixture.Now), "-o", "json"];
        if (voucher is not null)
            quote = [.. quote, "--voucher", voucher];
        var options = (await cli.AsAsync(MarketRoles.Tenant, tenant, quote)).Succeeded().Json();
        (await cli.AsAsync(MarketRoles.Tenant, tenant, "accept", options.GetProperty("options")[0].GetProperty("id").GetString()!)).Succeeded();
        await Billed.HoursAsync(fixture, tenant, 4 * hours);
        return tenant;
    }

    static string Cursor(System.Text.Json.JsonElement e) => e.GetProperty("cursor").GetString()!;
}

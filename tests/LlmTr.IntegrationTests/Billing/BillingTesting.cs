using System.Globalization;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Billing;

/// <summary>What billing tests need: a priced model of their own, credit, usage reports, and the ledger as stored.</summary>
internal static class BillingTesting
{
    public const string Provider = "billing-test";

    /// <summary>Writes usage batches quickly, so tests wait milliseconds for the ledger.</summary>
    public static Dictionary<string, string?> FastUsageWrites(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { ["Billing:UsageFlushInterval"] = "00:00:00.020" };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Adds a model with these prices (each effective from its moment) and waits for the host's catalog to have them all.</summary>
    public static async Task<string> PricedModelAsync(LlmTrHostFactory host, params (PriceUnit Unit, decimal Amount, DateTimeOffset From)[] prices)
    {
        var admin = host.Services.GetRequiredService<ICatalogAdministration>();
        var catalog = host.Services.GetRequiredService<IModelCatalog>();
        var id = $"{Provider}/model-{Guid.NewGuid():N}"[..40];
        if (catalog.Current.FindProvider(Provider) is null)
        {
            Ensure(await admin.SaveProviderAsync(new ProviderInput(Provider, "Billing test", "OpenAi", "http://127.0.0.1:9/v1", "TR", null,
                "Keeps nothing.", "Hiçbir şey saklamaz.", "Active"), "test"));
        }

        Ensure(await admin.SaveModelAsync(new ModelInput(id, "upstream", "Priced model", "For billing tests.", "Faturalama testleri için.", 32_000, 4_096,
            ["text"], ["text"], ["chat"], [], "Active", "Public", [], null,
            [new DataPathHop("LLMTR gateway", "TR", "Istanbul", "Routes", "Metadata only", false, HopRetention.MetadataOnly)]), "test"));
        foreach (var (unit, amount, from) in prices)
        {
            Ensure(await admin.SetPriceAsync(new PriceInput(id, unit.ToString(), amount, from), "test"));
        }

        await Poll.UntilAsync(() => Task.FromResult(catalog.Current.FindModel(id)?.PriceHistory.Count == prices.Length), "the priced model to reach the catalog");
        return id;
    }

    public static UsageReport Report(
        string accountId, Guid keyId, string modelId, long prompt, long completion, DateTimeOffset? startedAt = null, string? requestId = null) => new(
        requestId ?? $"req-{Guid.NewGuid():N}",
        accountId,
        keyId,
        modelId,
        startedAt ?? DateTimeOffset.UtcNow,
        TimeSpan.FromMilliseconds(420),
        UsageOutcome.Succeeded,
        200,
        new UsageCounts(prompt, completion),
        ["TR"],
        Streamed: false);

    public static async Task GrantAsync(LlmTrHostFactory host, string accountId, decimal amount)
    {
        var result = await host.Services.GetRequiredService<IBillingAdministration>().AdjustAsync(accountId, amount, "test credit", "tests");
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.SelectMany(e => e.Value)));
    }

    public static async Task<decimal> DecimalAsync(string connectionString, string sql, params (string Name, object Value)[] parameters) =>
        decimal.Parse((await Sql.RowsAsync(connectionString, $"SELECT coalesce(({sql}), 0)::text", parameters)).Single(), CultureInfo.InvariantCulture);

    public static Task<decimal> StoredBalanceAsync(string connectionString, string accountId) =>
        DecimalAsync(connectionString, """SELECT "Balance" FROM billing.accounts WHERE "AccountId" = @a""", ("a", accountId));

    public static Task<decimal> LedgerSumAsync(string connectionString, string accountId) =>
        DecimalAsync(connectionString, """SELECT sum("Amount") FROM billing.ledger_entries WHERE "AccountId" = @a""", ("a", accountId));

    public static Task<decimal> UsageCostAsync(string connectionString, string accountId) =>
        DecimalAsync(connectionString, """SELECT sum("Cost") FROM billing.usage_records WHERE "AccountId" = @a""", ("a", accountId));

    public static async Task<string> EmailOfAsync(LlmTrHostFactory host, string userId) =>
        (await Sql.RowsAsync(host.ConnectionString, "SELECT \"Email\" FROM identity.\"AspNetUsers\" WHERE \"Id\" = @id", ("id", userId))).Single();

    /// <summary>Signs <paramref name="email"/> in through the login page, in <paramref name="browser"/>.</summary>
    public static async Task SignInAsync(FormClient browser, string email)
    {
        var signedIn = await browser.SubmitAsync("/account/login", "login", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = TestAccounts.Password });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, signedIn.StatusCode);
    }

    private static void Ensure(CatalogCommandResult result) =>
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.SelectMany(e => e.Value)));
}

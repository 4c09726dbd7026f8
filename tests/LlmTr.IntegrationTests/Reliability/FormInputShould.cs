using LlmTr.IntegrationTests.Catalog;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Reliability;

/// <summary>
/// The services behind the dashboard's and the admin console's forms (key creation, top-up, low-balance setting,
/// credit adjustment, catalog provider, model, data path and price) fed invalid values: each answer names the field
/// with a message a form can show, and nothing at all is written to the database.
/// </summary>
public sealed class FormInputShould(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private static readonly string Huge = new('x', 100_000);
    private static readonly DataPathHop Hop = new("LLMTR gateway", "TR", "Istanbul", "Routes", "Metadata only", false);

    [Fact]
    public async Task RefuseEveryInvalidValueByFieldAndWriteNothing()
    {
        var services = fixture.Host.Services;
        var keys = services.GetRequiredService<IApiKeys>();
        var topUps = services.GetRequiredService<ITopUps>();
        var accounts = services.GetRequiredService<IBillingAccounts>();
        var ledger = services.GetRequiredService<IBillingAdministration>();
        var catalog = services.GetRequiredService<ICatalogAdministration>();
        var user = await TestAccounts.CreateUserAsync(fixture.Host);
        var site = new Uri("https://llmtr.test/");
        var provider = new ProviderInput("acme", "Acme", "OpenAi", "https://api.acme.test/v1", "TR", null, "Keeps nothing.", "Hiçbir şey saklamaz.", "Active");
        var model = CatalogAdministrationShould.SeedLikeModel("openai/form-test-model");
        var price = new PriceInput("openai/gpt-4o", "InputTokensPerMillion", 1m, DateTimeOffset.UtcNow);
        var before = await RowCountsAsync();

        var cases = new List<(string Form, string Field, Func<Task<IReadOnlyDictionary<string, string[]>>> Submit)>
        {
            ("key", "Name", async () => (await keys.CreateAsync(user, new NewApiKey(""))).Errors),
            ("key", "Name", async () => (await keys.CreateAsync(user, new NewApiKey(Huge))).Errors),
            ("key", "Name", async () => (await keys.CreateAsync(user, new NewApiKey("   "))).Errors),
            ("key", "ExpiresAt", async () => (await keys.CreateAsync(user, new NewApiKey("k", ExpiresAt: DateTimeOffset.UtcNow.AddDays(-1)))).Errors),
            ("key", "ExpiresAt", async () => (await keys.CreateAsync(user, new NewApiKey("k", ExpiresAt: DateTimeOffset.MinValue))).Errors),
            ("key", "RequestsPerMinute", async () => (await keys.CreateAsync(user, new NewApiKey("k", RequestsPerMinute: 0))).Errors),
            ("key", "RequestsPerMinute", async () => (await keys.CreateAsync(user, new NewApiKey("k", RequestsPerMinute: -5))).Errors),
            ("key", "RequestsPerMinute", async () => (await keys.CreateAsync(user, new NewApiKey("k", RequestsPerMinute: int.MaxValue))).Errors),
            ("key", "AllowedModels", async () => (await keys.CreateAsync(user, new NewApiKey("k", AllowedModels: ["openai/ gpt-4o"]))).Errors),
            ("key", "AllowedModels", async () => (await keys.CreateAsync(user, new NewApiKey("k", AllowedModels: ["not a model", "openai/**", Huge]))).Errors),
            ("key", "SpendLimit", async () => (await keys.CreateAsync(user, new NewApiKey("k", SpendLimit: -1m))).Errors),
            ("key", "SpendLimit", async () => (await keys.CreateAsync(user, new NewApiKey("k", SpendLimit: decimal.MaxValue))).Errors),
            ("key", "SpendLimit", async () => (await keys.CreateAsync(user, new NewApiKey("k", SpendLimit: 0.001m))).Errors),
            ("key", "MonthlySpendLimit", async () => (await keys.CreateAsync(user, new NewApiKey("k", SpendLimit: 5m, MonthlySpendLimit: 10m))).Errors),
            ("top-up", "Credit", async () => (await topUps.StartAsync(user, 0m, site)).Errors),
            ("top-up", "Credit", async () => (await topUps.StartAsync(user, -10m, site)).Errors),
            ("top-up", "Credit", async () => (await topUps.StartAsync(user, decimal.MaxValue, site)).Errors),
            ("top-up", "Credit", async () => (await topUps.StartAsync(user, decimal.MinValue, site)).Errors),
            ("top-up", "Credit", async () => (await topUps.StartAsync(user, 10.001m, site)).Errors),
            ("low balance", "Threshold", () => accounts.SetLowBalanceThresholdAsync(user, -1m)),
            ("low balance", "Threshold", () => accounts.SetLowBalanceThresholdAsync(user, decimal.MaxValue)),
            ("adjustment", "Amount", async () => (await ledger.AdjustAsync(user, 0m, "a good reason", "admin@llmtr.test")).Errors),
            ("adjustment", "Amount", async () => (await ledger.AdjustAsync(user, decimal.MaxValue, "a good reason", "admin@llmtr.test")).Errors),
            ("adjustment", "Amount", async () => (await ledger.AdjustAsync(user, 0.001m, "a good reason", "admin@llmtr.test")).Errors),
            ("adjustment", "Reason", async () => (await ledger.AdjustAsync(user, 5m, "", "admin@llmtr.test")).Errors),
            ("adjustment", "Reason", async () => (await ledger.AdjustAsync(user, 5m, Huge, "admin@llmtr.test")).Errors),
            ("provider", "Id", () => Errors(catalog.SaveProviderAsync(provider with { Id = "Not Valid!" }, "admin@llmtr.test"))),
            ("provider", "Id", () => Errors(catalog.SaveProviderAsync(provider with { Id = Huge }, "admin@llmtr.test"))),
            ("provider", "DisplayName", () => Errors(catalog.SaveProviderAsync(provider with { DisplayName = Huge }, "admin@llmtr.test"))),
            ("provider", "Protocol", () => Errors(catalog.SaveProviderAsync(provider with { Protocol = "7" }, "admin@llmtr.test"))),
            ("provider", "Protocol", () => Errors(catalog.SaveProviderAsync(provider with { Protocol = "Carrier pigeon" }, "admin@llmtr.test"))),
            ("provider", "BaseUrl", () => Errors(catalog.SaveProviderAsync(provider with { BaseUrl = "ftp://api.acme.test" }, "admin@llmtr.test"))),
            ("provider", "BaseUrl", () => Errors(catalog.SaveProviderAsync(provider with { BaseUrl = "not a url" }, "admin@llmtr.test"))),
            ("provider", "Country", () => Errors(catalog.SaveProviderAsync(provider with { Country = "Turkey" }, "admin@llmtr.test"))),
            ("provider", "Status", () => Errors(catalog.SaveProviderAsync(provider with { Status = "" }, "admin@llmtr.test"))),
            ("provider", "DataHandlingTr", () => Errors(catalog.SaveProviderAsync(provider with { DataHandlingTr = "" }, "admin@llmtr.test"))),
            ("model", "Id", () => Errors(catalog.SaveModelAsync(model with { Id = "OpenAI/GPT 4o" }, "admin@llmtr.test"))),
            ("model", "ContextLength", () => Errors(catalog.SaveModelAsync(model with { ContextLength = -1 }, "admin@llmtr.test"))),
            ("model", "MaxOutputTokens", () => Errors(catalog.SaveModelAsync(model with { MaxOutputTokens = int.MaxValue }, "admin@llmtr.test"))),
            ("model", "InputModalities", () => Errors(catalog.SaveModelAsync(model with { InputModalities = ["smell"] }, "admin@llmtr.test"))),
            ("model", "Operations", () => Errors(catalog.SaveModelAsync(model with { Operations = [] }, "admin@llmtr.test"))),
            ("model", "Status", () => Errors(catalog.SaveModelAsync(model with { Status = "-1" }, "admin@llmtr.test"))),
            ("model", "Visibility", () => Errors(catalog.SaveModelAsync(model with { Visibility = "Everyone" }, "admin@llmtr.test"))),
            ("model", "FallbackModelIds", () => Errors(catalog.SaveModelAsync(model with { FallbackModelIds = [model.Id] }, "admin@llmtr.test"))),
            ("data path", "DataPath", () => Errors(catalog.SaveModelAsync(model with { DataPath = [] }, "admin@llmtr.test"))),
            ("data path", "DataPath[0].Country", () => Errors(catalog.SaveModelAsync(model with { DataPath = [Hop with { Country = "tr" }] }, "admin@llmtr.test"))),
            ("data path", "DataPath[0].Operator", () => Errors(catalog.SaveModelAsync(model with { DataPath = [Hop with { Operator = "" }] }, "admin@llmtr.test"))),
            ("data path", "DataPath[1].Retention", () => Errors(catalog.SaveModelAsync(model with { DataPath = [Hop, Hop with { Retention = " " }] }, "admin@llmtr.test"))),
            ("price", "Amount", () => Errors(catalog.SetPriceAsync(price with { Amount = -0.01m }, "admin@llmtr.test"))),
            ("price", "Amount", () => Errors(catalog.SetPriceAsync(price with { Amount = decimal.MaxValue }, "admin@llmtr.test"))),
            ("price", "Amount", () => Errors(catalog.SetPriceAsync(price with { Amount = 0.000000001m }, "admin@llmtr.test"))),
            ("price", "Unit", () => Errors(catalog.SetPriceAsync(price with { Unit = "PerSmile" }, "admin@llmtr.test"))),
            ("price", "EffectiveFrom", () => Errors(catalog.SetPriceAsync(price with { EffectiveFrom = default }, "admin@llmtr.test"))),
            ("price", "ModelId", () => Errors(catalog.SetPriceAsync(price with { ModelId = "openai/gpt-99" }, "admin@llmtr.test"))),
        };

        var problems = new List<string>();
        foreach (var (form, field, submit) in cases)
        {
            var errors = await submit();
            if (!errors.TryGetValue(field, out var messages) || messages.Length == 0 || messages.Any(m => string.IsNullOrWhiteSpace(m) || m.Length > 300))
            {
                problems.Add($"{form} form, field {field}: got {string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(before, await RowCountsAsync());
    }

    private static async Task<IReadOnlyDictionary<string, string[]>> Errors(Task<CatalogCommandResult> result) => (await result).Errors;

    /// <summary>How many rows each table of the catalog, keys and billing schemas holds.</summary>
    private async Task<string> RowCountsAsync()
    {
        var tables = await Sql.RowsAsync(fixture.Host.ConnectionString, """
            SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema IN ('catalog', 'keys', 'billing') ORDER BY 1
            """);
        var counts = new List<string>();
        foreach (var table in tables)
        {
            counts.Add($"{table}={await Sql.CountAsync(fixture.Host.ConnectionString, $"SELECT count(*) FROM {table}")}");
        }

        return string.Join(", ", counts);
    }
}

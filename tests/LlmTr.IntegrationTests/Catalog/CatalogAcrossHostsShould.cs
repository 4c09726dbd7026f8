using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Catalog;

public sealed class CatalogAcrossHostsShould
{
    [Fact]
    public async Task ReachASecondHostWithinSecondsOfAChange()
    {
        var server = await PostgresServer.InstanceAsync();
        var database = await server.CreateMigratedDatabaseAsync();
        var seeded = new Dictionary<string, string?> { ["Demo:Enabled"] = "true", ["Demo:AdminPassword"] = "Demo-Admin-Pass-1" };
        await using var first = new LlmTrHostFactory(database, seeded);
        await using var second = new LlmTrHostFactory(database);
        var secondCatalog = second.Services.GetRequiredService<IModelCatalog>();
        _ = first.Services; // starts after the second host, and loads the seed catalog: the second host hears of it
        await Poll.UntilAsync(() => Task.FromResult(secondCatalog.Current.FindModel("openai/gpt-4o") is not null),
            "the second host to load the seed catalog", TimeSpan.FromSeconds(10));

        var hidden = CatalogAdministrationShould.SeedLikeModel("openai/gpt-4o") with { Status = "Disabled" };
        var result = await first.Services.GetRequiredService<ICatalogAdministration>().SaveModelAsync(hidden, "admin@llmtr.test");

        Assert.True(result.Succeeded);
        await Poll.UntilAsync(
            () => Task.FromResult(secondCatalog.Current.FindModel("openai/gpt-4o")!.Status == ModelStatus.Disabled),
            "the second host to see the change", TimeSpan.FromSeconds(10));
        Assert.False(secondCatalog.Current.FindModel("openai/gpt-4o")!.IsListed);
    }
}

public sealed class ProviderAddressesShould
{
    [Fact]
    public async Task ComeFromConfigurationWhenItNamesOne()
    {
        var server = await PostgresServer.InstanceAsync();
        await using var host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Demo:AdminPassword"] = "Demo-Admin-Pass-1",
            ["Providers:openai:BaseUrl"] = "http://127.0.0.1:9/openai-staging/v1",
        });

        var catalog = host.Services.GetRequiredService<IModelCatalog>().Current;

        Assert.Equal("http://127.0.0.1:9/openai-staging/v1", catalog.FindProvider("openai")!.BaseUrl);
        Assert.Equal("https://api.anthropic.com", catalog.FindProvider("anthropic")!.BaseUrl);
    }
}

using LlmTr.Modules.Catalog.Contracts;
using LlmTr.SharedKernel;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Catalog;

public sealed class CatalogAdministrationShould(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private ICatalogAdministration Admin => fixture.Host.Services.GetRequiredService<ICatalogAdministration>();

    private IModelCatalog Catalog => fixture.Host.Services.GetRequiredService<IModelCatalog>();

    [Fact]
    public async Task KeepTheEarlierPriceForEarlierTimesWhenAPriceChanges()
    {
        var before = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var change = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var modelId = "mistral/mistral-large-latest";
        var original = Catalog.Current.FindModel(modelId)!.PriceAt(PriceUnit.OutputTokensPerMillion, before)!.Amount;

        var result = await Admin.SetPriceAsync(new PriceInput(modelId, "OutputTokensPerMillion", 7.25m, change), "admin@llmtr.test");

        Assert.True(result.Succeeded);
        await Poll.UntilAsync(() => Task.FromResult(Catalog.Current.FindModel(modelId)!.PriceHistory.Any(p => p.Amount == 7.25m)), "the snapshot to reload");
        var model = Catalog.Current.FindModel(modelId)!;
        Assert.Equal(original, model.PriceAt(PriceUnit.OutputTokensPerMillion, before)!.Amount);
        Assert.Equal(original, model.PriceAt(PriceUnit.OutputTokensPerMillion, change.AddTicks(-1))!.Amount);
        Assert.Equal(7.25m, model.PriceAt(PriceUnit.OutputTokensPerMillion, change)!.Amount);
        Assert.Equal(7.25m, model.PriceAt(PriceUnit.OutputTokensPerMillion, change.AddYears(1))!.Amount);
    }

    [Fact]
    public async Task RecordWhoChangedWhatAndWhen()
    {
        var result = await Admin.SetPriceAsync(
            new PriceInput("xai/grok-4", "InputTokensPerMillion", 3.10m, new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero)), "curator@llmtr.test");

        Assert.True(result.Succeeded);
        var latest = (await Admin.HistoryAsync(50)).First(c => c.Actor == "curator@llmtr.test");
        Assert.Equal("model:xai/grok-4", latest.Subject);
        Assert.Equal("price set", latest.Action);
        Assert.Contains("3.10", latest.Details, StringComparison.Ordinal);
        Assert.True(latest.At > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task RefuseInvalidChangesAndWriteNothing()
    {
        var changesBefore = (await Admin.HistoryAsync(500)).Count;

        var negative = await Admin.SetPriceAsync(new PriceInput("openai/gpt-4o", "InputTokensPerMillion", -1m, DateTimeOffset.UtcNow), "admin@llmtr.test");
        var unknownModel = await Admin.SetPriceAsync(new PriceInput("openai/gpt-99", "InputTokensPerMillion", 1m, DateTimeOffset.UtcNow), "admin@llmtr.test");
        var orphanModel = await Admin.SaveModelAsync(
            SeedLikeModel("nobody/model-1"), "admin@llmtr.test");

        Assert.Equal(["A price cannot be negative."], negative.Errors[nameof(PriceInput.Amount)]);
        Assert.Equal(["There is no model 'openai/gpt-99'."], unknownModel.Errors[nameof(PriceInput.ModelId)]);
        Assert.Contains("There is no provider 'nobody'", orphanModel.Errors[nameof(ModelInput.Id)][0], StringComparison.Ordinal);
        Assert.Equal(changesBefore, (await Admin.HistoryAsync(500)).Count);
        Assert.Null(Catalog.Current.FindModel("nobody/model-1"));
    }

    [Fact]
    public async Task LoadTheSeedAgainWithoutChangingAnythingAnAdminEdited()
    {
        var edited = SeedLikeModel("qwen/qwen3-max") with { DisplayName = "Qwen3 Max (curated)" };
        Assert.True((await Admin.SaveModelAsync(edited, "admin@llmtr.test")).Succeeded);
        var changesBefore = (await Admin.HistoryAsync(500)).Count;

        foreach (var demo in fixture.Host.Services.GetServices<IDemoData>())
        {
            await demo.LoadAsync(CancellationToken.None);
        }

        Assert.Equal(changesBefore, (await Admin.HistoryAsync(500)).Count);
        await Poll.UntilAsync(() => Task.FromResult(Catalog.Current.FindModel("qwen/qwen3-max")!.DisplayName == "Qwen3 Max (curated)"), "the edit to reach the snapshot");
    }

    [Fact]
    public async Task WithdrawEveryModelOfADisabledProvider()
    {
        var provider = Catalog.Current.FindProvider("mimo")!;
        var disabled = new ProviderInput(provider.Id, provider.DisplayName, provider.Protocol.ToString(), provider.BaseUrl, provider.Country,
            provider.Region, provider.DataHandling.En, provider.DataHandling.Tr, "Disabled");

        Assert.True((await Admin.SaveProviderAsync(disabled, "admin@llmtr.test")).Succeeded);

        await Poll.UntilAsync(() => Task.FromResult(Catalog.Current.FindProvider("mimo")!.Status == ProviderStatus.Disabled), "the snapshot to reload");
        var mimo = Catalog.Current.Models.Where(m => m.ProviderId == "mimo").ToList();
        Assert.NotEmpty(mimo);
        Assert.All(mimo, m => Assert.False(m.IsListed));
        Assert.All(mimo, m => Assert.Equal(ModelStatus.Active, m.Status));
    }

    internal static ModelInput SeedLikeModel(string id) => new(
        id, "upstream-name", "A model", "A model for tests.", "Testler için bir model.", 32_000, 4_096,
        ["text"], ["text"], ["chat", "streaming"], ["temperature"], "Active", "Public", [], null,
        [new DataPathHop("LLMTR gateway", "TR", "Istanbul", "Routes", "Metadata only", false, HopRetention.MetadataOnly)]);
}

using LlmTr.Modules.Catalog.Contracts;
using LlmTr.SharedKernel;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Catalog;

/// <summary>
/// An installation seeded before the demo model took tools, JSON output and a larger context: loading the seed again
/// brings its entry up to date while it stands as the earlier seed wrote it, and leaves an admin's edit alone.
/// </summary>
public sealed class SeedRevisionsShould(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private ICatalogAdministration Admin => fixture.Host.Services.GetRequiredService<ICatalogAdministration>();

    private IModelCatalog Catalog => fixture.Host.Services.GetRequiredService<IModelCatalog>();

    [Fact]
    public async Task BringTheDemoModelsEarlierEntryUpToDateButNotAnEditedOne()
    {
        var current = Catalog.Current.FindModel("llmtr/demo")!;
        var earlier = new ModelInput(current.Id, current.UpstreamName, current.DisplayName, current.Description.En, current.Description.Tr,
            8_192, 1_024, [.. current.InputModalities], [.. current.OutputModalities], ["chat", "streaming"], [.. current.Parameters],
            "Preview", current.Visibility.ToString(), [], current.ReleaseDate, [.. current.DataPath]);

        Assert.True((await Admin.SaveModelAsync(earlier, "seed")).Succeeded);
        await Poll.UntilAsync(() => Task.FromResult(Catalog.Current.FindModel("llmtr/demo")!.ContextLength == 8_192), "the earlier entry in the snapshot");
        await LoadSeedAsync();

        await Poll.UntilAsync(() => Task.FromResult(Catalog.Current.FindModel("llmtr/demo")!.ContextLength == 200_000), "the revised entry in the snapshot");
        var revised = Catalog.Current.FindModel("llmtr/demo")!;
        Assert.Equal((8_192, ModelStatus.Preview), (revised.MaxOutputTokens, revised.Status)); // its status stays as it was
        Assert.Superset(new HashSet<string> { Operations.Tools, Operations.JsonMode, Operations.StructuredOutput }, revised.Operations.ToHashSet());

        var edited = earlier with { ContextLength = 16_000, Status = "Active" };
        Assert.True((await Admin.SaveModelAsync(edited, "admin@llmtr.test")).Succeeded);
        await Poll.UntilAsync(() => Task.FromResult(Catalog.Current.FindModel("llmtr/demo")!.ContextLength == 16_000), "the edit in the snapshot");
        var changes = (await Admin.HistoryAsync(500)).Count;
        await LoadSeedAsync();

        Assert.Equal(changes, (await Admin.HistoryAsync(500)).Count); // nothing saved
        Assert.Equal(16_000, Catalog.Current.FindModel("llmtr/demo")!.ContextLength);
    }

    private async Task LoadSeedAsync()
    {
        foreach (var demo in fixture.Host.Services.GetServices<IDemoData>())
        {
            await demo.LoadAsync(CancellationToken.None);
        }
    }
}

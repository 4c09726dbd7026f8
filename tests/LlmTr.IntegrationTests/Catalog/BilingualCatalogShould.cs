using System.Net;
using System.Text.Json;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Catalog.Data;
using LlmTr.Persistence;
using LlmTr.SharedKernel;
using LlmTr.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Catalog;

/// <summary>
/// The catalog's text in English and Turkish: <c>/api/models</c> gives both (a model's <c>description.en/.tr</c>, each
/// hop's <c>purpose</c>/<c>retention</c> and <c>purpose_tr</c>/<c>retention_tr</c>), and older data paths keep their text as English.
/// </summary>
public sealed class BilingualCatalogShould(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    [Fact]
    public async Task GiveEverySeededModelAndHopItsTurkishTextBesideTheEnglish()
    {
        // Other tests here save models of their own (and change grok-4's path): every other model is the seed's.
        var models = (await ModelsAsync()).Where(m => m.GetProperty("id").GetString() is not ("llmtr/bilingual-test" or "xai/grok-4")).ToList();

        Assert.True(models.Count > 10);
        Assert.All(models, model =>
        {
            Assert.NotEmpty(model.GetProperty("description").GetProperty("en").GetString()!);
            Assert.NotEmpty(model.GetProperty("description").GetProperty("tr").GetString()!);
            Assert.All(model.GetProperty("data_path").EnumerateArray(), hop =>
            {
                Assert.NotEqual(hop.GetProperty("purpose").GetString(), hop.GetProperty("purpose_tr").GetString());
                Assert.NotEqual(hop.GetProperty("retention").GetString(), hop.GetProperty("retention_tr").GetString());
            });
        });
        var openAi = models.Single(m => m.GetProperty("id").GetString() == "openai/gpt-4o").GetProperty("data_path")[1];
        Assert.Equal("Runs the model", openAi.GetProperty("purpose").GetString());
        Assert.Equal("Modeli çalıştırır", openAi.GetProperty("purpose_tr").GetString());
        Assert.Equal("Kötüye kullanım denetimi için 30 güne kadar", openAi.GetProperty("retention_tr").GetString());
    }

    [Fact]
    public async Task SaveAHopsTurkishTextAndFallBackToEnglishWhereNoneIsWritten()
    {
        var admin = fixture.Host.Services.GetRequiredService<ICatalogAdministration>();
        var result = await admin.SaveModelAsync(new ModelInput(
            "llmtr/bilingual-test", "bilingual", "Bilingual Test", "A test model.", "Bir test modeli.", 8_192, 1_024,
            ["text"], ["text"], ["chat"], [], "Active", "Public", [], null,
            [new DataPathHop("LLMTR gateway", "TR", "Istanbul", "Routes", "Metadata only", false, HopRetention.MetadataOnly, "Yönlendirir", "Yalnızca üst veri"),
             new DataPathHop("LLMTR inference", "TR", "Istanbul", "Runs the model", "Not retained", false, HopRetention.Nothing)]), "curator@llmtr.test");
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.SelectMany(e => e.Value)));

        JsonElement? saved = null;
        await Poll.UntilAsync(async () => (saved = (await ModelsAsync()).FirstOrDefault(m => m.GetProperty("id").GetString() == "llmtr/bilingual-test")) is { ValueKind: JsonValueKind.Object },
            "the saved model in /api/models");

        var path = saved!.Value.GetProperty("data_path");
        Assert.Equal(("Routes", "Yönlendirir"), (path[0].GetProperty("purpose").GetString(), path[0].GetProperty("purpose_tr").GetString()));
        Assert.Equal(("Metadata only", "Yalnızca üst veri"), (path[0].GetProperty("retention").GetString(), path[0].GetProperty("retention_tr").GetString()));
        Assert.Equal(("Runs the model", "Runs the model"), (path[1].GetProperty("purpose").GetString(), path[1].GetProperty("purpose_tr").GetString()));
        var stored = fixture.Host.Services.GetRequiredService<IModelCatalog>().Current.FindModel("llmtr/bilingual-test")!.DataPath[1];
        Assert.Equal("", stored.PurposeTr); // the fallback is the API's, the catalog keeps what was written
    }

    [Fact]
    public async Task KeepTheTextOfDataPathsWrittenBeforeAsEnglishWithTurkishEmpty()
    {
        var server = await PostgresServer.InstanceAsync();
        var connectionString = await server.CreateEmptyDatabaseAsync();
        var options = new DbContextOptionsBuilder<CatalogDbContext>()
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(PersistenceServiceCollectionExtensions.MigrationsAssembly)
                .MigrationsHistoryTable(PersistenceServiceCollectionExtensions.MigrationsHistoryTable, ModuleSchemas.Catalog))
            .Options;
        await using var db = new CatalogDbContext(options);
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync("ProviderSpeaksResponsesApi");
        await Sql.ExecuteAsync(connectionString, """
            INSERT INTO catalog.providers ("Id", "DisplayName", "Protocol", "BaseUrl", "Country", "DataHandlingEn", "DataHandlingTr", "Status", "SpeaksResponsesApi")
            VALUES ('llmtr', 'LLMTR', 'OpenAi', 'https://inference.llmtr.local/v1', 'TR', 'In Istanbul.', 'İstanbul''da.', 'Active', false);
            INSERT INTO catalog.models ("Id", "ProviderId", "UpstreamName", "DisplayName", "DescriptionEn", "DescriptionTr", "ContextLength",
                "InputModalities", "OutputModalities", "Operations", "Parameters", "Status", "Visibility", "FallbackModelIds", data_path)
            VALUES ('llmtr/old', 'llmtr', 'old', 'Old', 'An old model.', 'Eski bir model.', 8192, '{text}', '{text}', '{chat}', '{}', 'Active', 'Public', '{}',
                '[{"Operator":"LLMTR gateway","Country":"TR","Region":"Istanbul","Purpose":"Routes","Retention":"Metadata only","Keeps":"MetadataOnly","UsedForTraining":false}]');
            """);

        await migrator.MigrateAsync();

        var hop = (await db.Models.AsNoTracking().SingleAsync(m => m.Id == "llmtr/old")).DataPath.Single();
        Assert.Equal(("Routes", "Metadata only"), (hop.Purpose, hop.Retention));
        Assert.Equal(("", ""), (hop.PurposeTr, hop.RetentionTr));
        Assert.Equal(["Routes|"], await Sql.RowsAsync(connectionString,
            "SELECT (data_path->0->>'Purpose') || '|' || (data_path->0->>'PurposeTr') FROM catalog.models WHERE \"Id\" = 'llmtr/old'"));
    }

    [Fact]
    public async Task GiveAHopAnEarlierSeedWroteItsTurkishTextButLeaveAnEditedOneAlone()
    {
        var admin = fixture.Host.Services.GetRequiredService<ICatalogAdministration>();
        var catalog = fixture.Host.Services.GetRequiredService<IModelCatalog>();
        var current = catalog.Current.FindModel("xai/grok-4")!;
        var earlier = new ModelInput(current.Id, current.UpstreamName, current.DisplayName, current.Description.En, current.Description.Tr,
            current.ContextLength, current.MaxOutputTokens, [.. current.InputModalities], [.. current.OutputModalities], [.. current.Operations],
            [.. current.Parameters], current.Status.ToString(), current.Visibility.ToString(), [], current.ReleaseDate,
            [current.DataPath[0] with { PurposeTr = "", RetentionTr = "" }, current.DataPath[1] with { Retention = "Kept 30 days", PurposeTr = "", RetentionTr = "" }]);
        Assert.True((await admin.SaveModelAsync(earlier, "seed")).Succeeded);
        await Poll.UntilAsync(() => Task.FromResult(catalog.Current.FindModel("xai/grok-4")!.DataPath[0].PurposeTr.Length == 0), "the earlier path in the snapshot");

        foreach (var demo in fixture.Host.Services.GetServices<IDemoData>())
        {
            await demo.LoadAsync(CancellationToken.None);
        }

        await Poll.UntilAsync(() => Task.FromResult(catalog.Current.FindModel("xai/grok-4")!.DataPath[0].PurposeTr.Length > 0), "the Turkish text in the snapshot");
        var path = catalog.Current.FindModel("xai/grok-4")!.DataPath;
        Assert.Equal("İsteğin kimliğini doğrular, yönlendirir ve ölçer", path[0].PurposeTr);
        Assert.Equal("Modeli çalıştırır", path[1].PurposeTr);
        Assert.Equal(("Kept 30 days", ""), (path[1].Retention, path[1].RetentionTr)); // an English text the seed did not write gets no Turkish guess
    }

    private async Task<List<JsonElement>> ModelsAsync()
    {
        using var client = fixture.Host.CreateClient();
        var response = await client.GetAsync(new Uri("/api/models", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("data").EnumerateArray().Select(e => e.Clone()).ToList();
    }
}

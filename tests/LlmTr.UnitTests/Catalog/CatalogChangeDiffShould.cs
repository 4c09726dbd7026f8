using System.Text.Json;
using LlmTr.Modules.Catalog.Administration;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Catalog.Data;

namespace LlmTr.UnitTests.Catalog;

/// <summary>The catalog history shows what each change changed, field by field, instead of the saved JSON.</summary>
public sealed class CatalogChangeDiffShould
{
    private static readonly DataPathHop Gateway = new("LLMTR gateway", "TR", "Istanbul", "Routes", "Metadata only", false, HopRetention.MetadataOnly);

    private static ModelInput Input(string status = "Active", IReadOnlyList<DataPathHop>? path = null, IReadOnlyList<string>? operations = null) => new(
        "llmtr/test", "test", "Test", "A model.", "Bir model.", 8_192, null, ["text"], ["text"], operations ?? ["chat"], [], status, "Public", [], null,
        path ?? [Gateway]);

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    private static ChangeRecord Change(long id, string subject, string action, string details) =>
        new() { Id = id, At = DateTimeOffset.UnixEpoch.AddMinutes(id), Actor = "admin@llmtr.test", Subject = subject, Action = action, Details = details };

    [Fact]
    public void ListOnlyTheFieldsThatChangedWithTheirValuesBeforeAndAfter()
    {
        var before = Json(Input());
        var after = Json(Input(status: "Preview", operations: ["chat", "tools"], path: [Gateway with { PurposeTr = "Yönlendirir" }]));

        var fields = CatalogChangeDiff.Compare(before, after);

        Assert.Equal(
            [
                new CatalogFieldChange("Operations", "chat", "chat, tools"),
                new CatalogFieldChange("Status", "Active", "Preview"),
                new CatalogFieldChange("DataPath[1].PurposeTr", "", "Yönlendirir"),
            ],
            fields.OrderBy(f => f.Field == "DataPath[1].PurposeTr").ThenBy(f => f.Field, StringComparer.Ordinal));
    }

    [Fact]
    public void ShowAHopAddedAndAHopRemovedAsFieldsOfTheirPlace()
    {
        var two = Json(Input(path: [Gateway, Gateway with { Operator = "OpenAI", Country = "US" }]));
        var one = Json(Input(path: [Gateway]));

        var removed = CatalogChangeDiff.Compare(two, one);

        Assert.Contains(new CatalogFieldChange("DataPath[2].Operator", "OpenAI", ""), removed);
        Assert.Contains(new CatalogFieldChange("DataPath[2].Country", "US", ""), removed);
        Assert.DoesNotContain(removed, f => f.Field.StartsWith("DataPath[1]", StringComparison.Ordinal));
    }

    [Fact]
    public void TreatAFieldMissingFromAnOlderRecordAsEmpty()
    {
        // Hops recorded before their Turkish text existed carry no PurposeTr at all.
        var older = Json(Input()).Replace(",\"PurposeTr\":\"\"", "", StringComparison.Ordinal);

        Assert.Empty(CatalogChangeDiff.Compare(older, Json(Input())));
    }

    [Fact]
    public void CompareEachChangeWithTheSameSubjectsPreviousChangeOfTheSameKind()
    {
        var history = new[]
        {
            Change(1, "model:llmtr/test", "created", Json(Input())),
            Change(2, "model:llmtr/test", CatalogChangeDiff.PriceSet, Json(new PriceInput("llmtr/test", "InputTokensPerMillion", 0.5m, DateTimeOffset.UnixEpoch))),
            Change(3, "model:llmtr/other", "created", Json(Input() with { Id = "llmtr/other", Status = "Preview" })),
            Change(4, "model:llmtr/test", CatalogChangeDiff.PriceSet, Json(new PriceInput("llmtr/test", "OutputTokensPerMillion", 1m, DateTimeOffset.UnixEpoch))),
            Change(5, "model:llmtr/test", CatalogChangeDiff.PriceSet, Json(new PriceInput("llmtr/test", "InputTokensPerMillion", 0.6m, DateTimeOffset.UnixEpoch.AddDays(1)))),
            Change(6, "model:llmtr/test", "updated", Json(Input(status: "Deprecated"))),
        };

        var described = CatalogChangeDiff.Describe([.. history.OrderByDescending(c => c.Id)], history).ToDictionary(e => e.Id);

        Assert.Equal([new CatalogFieldChange("Status", "Active", "Deprecated")], described[6].Fields);
        Assert.Equal(["Amount", "EffectiveFrom"], described[5].Fields.Select(f => f.Field));
        Assert.Equal(new CatalogFieldChange("Amount", "0.5", "0.6"), described[5].Fields[0]);
        Assert.Contains(new CatalogFieldChange("Unit", "", "OutputTokensPerMillion"), described[4].Fields); // the first price of its unit
        Assert.Contains(new CatalogFieldChange("Status", "", "Active"), described[1].Fields); // a creation lists what it set
        Assert.DoesNotContain(described[1].Fields, f => f.After.Length == 0);
    }

    [Fact]
    public void KeepUnreadableDetailsAsOneField()
    {
        Assert.Equal([new CatalogFieldChange("Details", "", "not json")], CatalogChangeDiff.Compare(null, "not json"));
    }
}

using Bunit;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Web.Pages.Admin.Catalog;
using LlmTr.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Web.Tests.Admin;

/// <summary>The catalog's change history shows each change's fields, before and after, and never the saved JSON.</summary>
public sealed class CatalogHistoryShould : WebTestContext
{
    private const string SavedJson = """{"Id":"llmtr/test","Status":"Preview"}""";

    public CatalogHistoryShould()
    {
        Services.AddSingleton<ICatalogAdministration>(new History(
        [
            new CatalogChangeEntry(2, DateTimeOffset.UnixEpoch.AddDays(2), "curator@llmtr.test", "model:llmtr/test", "updated", SavedJson)
            {
                Fields = [new CatalogFieldChange("Status", "Active", "Preview"), new CatalogFieldChange("DataPath[2].PurposeTr", "", "Modeli çalıştırır")],
            },
            new CatalogChangeEntry(1, DateTimeOffset.UnixEpoch.AddDays(1), "curator@llmtr.test", "model:llmtr/test", "updated", SavedJson),
        ]));
        Authorization.SetAuthorized("curator@llmtr.test");
    }

    [Fact]
    public void ShowEachChangedFieldWithItsValueBeforeAndAfter()
    {
        var page = Render<CatalogHistory>();

        var rows = page.FindAll("table.llmtr-history-fields tbody tr")
            .Select(r => (r.QuerySelector("th")!.TextContent.Trim(), r.QuerySelector(".llmtr-history-before")!.TextContent.Trim(), r.QuerySelector(".llmtr-history-after")!.TextContent.Trim()))
            .ToList();
        Assert.Equal([("Status", "Active", "Preview"), ("DataPath[2].PurposeTr", "(empty)", "Modeli çalıştırır")], rows);
        Assert.DoesNotContain("{\"Id\"", page.Markup, StringComparison.Ordinal);
        Assert.Contains("Saved with no field changed.", page.Find(".llmtr-history-unchanged").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void NameTheColumnsInTurkishForTurkishAdmins()
    {
        using var turkish = new CultureScope("tr");

        var page = Render<CatalogHistory>();

        Assert.Equal(["Alan", "Önce", "Sonra"], page.FindAll("table.llmtr-history-fields thead th").Select(th => th.TextContent.Trim()));
        Assert.Contains("(boş)", page.Markup, StringComparison.Ordinal);
    }

    private sealed class History(IReadOnlyList<CatalogChangeEntry> entries) : ICatalogAdministration
    {
        public Task<IReadOnlyList<CatalogChangeEntry>> HistoryAsync(int take, CancellationToken cancellationToken = default) => Task.FromResult(entries);

        public Task<CatalogCommandResult> SaveProviderAsync(ProviderInput input, string actor, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The history page saves nothing.");

        public Task<CatalogCommandResult> SaveModelAsync(ModelInput input, string actor, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The history page saves nothing.");

        public Task<CatalogCommandResult> SetPriceAsync(PriceInput input, string actor, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The history page saves nothing.");
    }
}

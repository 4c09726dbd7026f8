using Bunit;
using LlmTr.Web.Localization;
using LlmTr.Web.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LlmTr.Web.Tests.Localization;

/// <summary>MudBlazor's built-in texts (pagers, data grid, buttons) follow the page's language through the site's resources.</summary>
public sealed class MudTextsShould : WebTestContext
{
    private static readonly int[] Rows = [.. Enumerable.Range(1, 20)];

    public MudTextsShould()
    {
        // What the site registers (checked below), over the bunit context's MudBlazor services.
        Services.AddTransient<MudLocalizer, SiteMudLocalizer>();
    }

    [Fact]
    public void BeTheLocalizerTheSiteRegistersForMudBlazor()
    {
        var registered = new ServiceCollection().AddLlmTrWeb().Last(d => d.ServiceType == typeof(MudLocalizer));

        Assert.Equal(typeof(SiteMudLocalizer), registered.ImplementationType);
    }

    [Fact]
    public void TranslateTheTablePagerIntoTurkish()
    {
        using var turkish = new CultureScope("tr");

        var table = RenderTable();

        Assert.Contains("Sayfa başına satır:", table.Markup, StringComparison.Ordinal);
        Assert.Equal("1-10 / toplam 20", table.Find(".mud-table-page-number-information").TextContent.Trim());
        Assert.NotNull(table.Find("button[aria-label='Sonraki sayfa']"));
        Assert.DoesNotContain("Rows per page", table.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void KeepTheTablePagerInEnglishOnEnglishPages()
    {
        var table = RenderTable();

        Assert.Contains("Rows per page:", table.Markup, StringComparison.Ordinal);
        Assert.Equal("1-10 of 20", table.Find(".mud-table-page-number-information").TextContent.Trim());
        Assert.NotNull(table.Find("button[aria-label='Next page']"));
    }

    [Fact]
    public void TranslateTheDataGridsTextsIntoTurkish()
    {
        using var turkish = new CultureScope("tr");
        var localizer = Services.GetRequiredService<MudLocalizer>();

        Assert.Equal("Filtre değeri", localizer["MudDataGrid_FilterValue"].Value);
        Assert.Equal("Sıralamayı kaldır", localizer["MudDataGrid_Unsort"].Value);
        Assert.Equal("1-10 / toplam 20", localizer["MudDataGridPager_InfoFormat", 1, 10, 20].Value);
        Assert.True(localizer["MudSomething_Unknown"].ResourceNotFound); // MudBlazor's own English then
    }

    private IRenderedComponent<MudTable<int>> RenderTable() => Render<MudTable<int>>(parameters => parameters
        .Add(p => p.Items, Rows)
        .Add(p => p.RowsPerPage, 10)
        .Add(p => p.RowTemplate, (RenderFragment<int>)(row => builder => builder.AddContent(0, row)))
        .Add(p => p.PagerContent, (RenderFragment)(builder =>
        {
            builder.OpenComponent<TablePager>(0);
            builder.CloseComponent();
        })));
}

using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;

namespace LlmTr.UnitTests.Catalog;

/// <summary>The derived facts of a catalog model the gateway asks on every request: prices in force and the data path.</summary>
public sealed class CatalogModelShould
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static ModelPrice Price(PriceUnit unit, decimal amount, int daysFromNow) => new(unit, amount, "USD", Now.AddDays(daysFromNow));

    private static DataPathHop Hop(string country, HopRetention keeps) => new("Hop", country, "City", "Processes", "Keeps", false, keeps);

    private static CatalogModel Model(IReadOnlyList<ModelPrice> prices, IReadOnlyList<DataPathHop>? path = null) => new(
        "openai/gpt-4o", "openai", "gpt-4o", "GPT-4o", new LocalizedText("", ""), 128_000, null, ["text"], ["text"], ["chat"], [],
        ModelStatus.Active, ModelVisibility.Public, [], null, path ?? [], prices);

    [Fact]
    public void TakeForEachUnitTheLatestPriceAlreadyInForce()
    {
        var model = Model([
            Price(PriceUnit.OutputTokensPerMillion, 10m, -30),
            Price(PriceUnit.InputTokensPerMillion, 2m, -30),
            Price(PriceUnit.InputTokensPerMillion, 2.5m, -1),
            Price(PriceUnit.InputTokensPerMillion, 3m, 5), // announced, not yet in force
            Price(PriceUnit.OutputTokensPerMillion, 12m, -2),
        ]);

        var prices = model.PricesAt(Now);

        Assert.Equal([PriceUnit.InputTokensPerMillion, PriceUnit.OutputTokensPerMillion], prices.Select(p => p.Unit));
        Assert.Equal([2.5m, 12m], prices.Select(p => p.Amount));
        Assert.Equal(2.5m, model.PriceAt(PriceUnit.InputTokensPerMillion, Now)!.Amount);
        Assert.Equal(3m, model.PriceAt(PriceUnit.InputTokensPerMillion, Now.AddDays(6))!.Amount);
        Assert.Null(model.PriceAt(PriceUnit.Image, Now));
        Assert.Empty(model.PricesAt(Now.AddDays(-31)));
    }

    [Fact]
    public void BePaidOnlyWhileSomePriceInForceIsAboveZero()
    {
        var freeNowPaidLater = Model([
            Price(PriceUnit.InputTokensPerMillion, 1m, -30),
            Price(PriceUnit.InputTokensPerMillion, 0m, -1),
            Price(PriceUnit.OutputTokensPerMillion, 0m, -30),
            Price(PriceUnit.OutputTokensPerMillion, 4m, 3),
        ]);

        Assert.True(freeNowPaidLater.IsPaidAt(Now.AddDays(-10)));
        Assert.False(freeNowPaidLater.IsPaidAt(Now));
        Assert.True(freeNowPaidLater.IsPaidAt(Now.AddDays(3)));
        Assert.False(Model([]).IsPaidAt(Now));
    }

    [Fact]
    public void StayInTurkeyAndKeepNothingOnlyWithAPublishedPathThatSaysSo()
    {
        var turkish = Model([], [Hop("TR", HopRetention.Nothing), Hop("tr", HopRetention.MetadataOnly)]);
        var abroad = Model([], [Hop("TR", HopRetention.Nothing), Hop("US", HopRetention.Content)]);
        var unpublished = Model([]);

        Assert.True(turkish.HostedInTurkey);
        Assert.True(turkish.RetainsNothing);
        Assert.False(abroad.HostedInTurkey);
        Assert.False(abroad.RetainsNothing);
        Assert.False(unpublished.HostedInTurkey);
        Assert.False(unpublished.RetainsNothing);
    }

    [Fact]
    public void AnnounceEachCountryOfThePathOnceAndWorkItOutOncePerModel()
    {
        var model = Model([], [Hop("TR", HopRetention.Nothing), Hop("us", HopRetention.Content), Hop("US", HopRetention.Content)]);

        var summary = DataPathSummary.Of(model);

        Assert.Equal(["TR", "US"], summary.Countries);
        Assert.Equal("TR,US", summary.Header);
        Assert.Same(summary, DataPathSummary.Of(model));
        Assert.NotSame(summary, DataPathSummary.Of(model with { DataPath = [Hop("TR", HopRetention.Nothing)] }));
        Assert.Equal("TR", DataPathSummary.Of(model with { DataPath = [Hop("TR", HopRetention.Nothing)] }).Header);
    }
}

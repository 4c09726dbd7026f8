using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Usage;
using LlmTr.Modules.Catalog.Contracts;

namespace LlmTr.UnitTests.Billing;

public sealed class UsagePricingShould
{
    private static readonly DateTimeOffset PricedFrom = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ChargePromptAndCompletionTokensPerMillion()
    {
        var model = Model((PriceUnit.InputTokensPerMillion, 2.5m), (PriceUnit.OutputTokensPerMillion, 10m));

        Assert.Equal(0.0035m, Cost(model, new UsageCounts(1_000, 100)));
        Assert.Equal(0.000012500m, Cost(model, new UsageCounts(5, 0)));
    }

    [Fact]
    public void ChargeCachedPromptTokensAtTheCachedPriceAndOnlyTheRestAtTheInputPrice()
    {
        var model = Model((PriceUnit.InputTokensPerMillion, 2.5m), (PriceUnit.CachedInputTokensPerMillion, 1.25m), (PriceUnit.OutputTokensPerMillion, 10m));

        // 600 uncached × 2.5 + 400 cached × 1.25 + 100 × 10, per million.
        Assert.Equal(0.0030m, Cost(model, new UsageCounts(1_000, 100, CachedPromptTokens: 400)));
    }

    [Fact]
    public void ChargeCachedTokensAtTheInputPriceWhenTheModelHasNoCachedPrice()
    {
        var model = Model((PriceUnit.InputTokensPerMillion, 2.5m));

        Assert.Equal(0.0025m, Cost(model, new UsageCounts(1_000, 0, CachedPromptTokens: 400)));
    }

    [Fact]
    public void NeverCountMoreCachedTokensThanPromptTokens()
    {
        var model = Model((PriceUnit.InputTokensPerMillion, 2m), (PriceUnit.CachedInputTokensPerMillion, 1m));

        Assert.Equal(0.001m, Cost(model, new UsageCounts(1_000, 0, CachedPromptTokens: 5_000)));
    }

    [Fact]
    public void ChargeReasoningTokensOnlyAsThePartOfCompletionTokensTheyAre()
    {
        var model = Model((PriceUnit.OutputTokensPerMillion, 8m));

        Assert.Equal(Cost(model, new UsageCounts(0, 1_000)), Cost(model, new UsageCounts(0, 1_000, ReasoningTokens: 800)));
    }

    [Fact]
    public void ChargeImagesAudioMinutesAndTheRequestPrice()
    {
        var model = Model((PriceUnit.Image, 0.04m), (PriceUnit.AudioMinute, 0.006m), (PriceUnit.Request, 0.001m));

        Assert.Equal((3 * 0.04m) + (2.5m * 0.006m) + 0.001m, Cost(model, new UsageCounts(0, 0, Images: 3, AudioMinutes: 2.5m)));
    }

    [Theory]
    [InlineData(UsageOutcome.Succeeded, 0, "0.001")]
    [InlineData(UsageOutcome.Failed, 0, "0")]
    [InlineData(UsageOutcome.Cancelled, 0, "0")]
    [InlineData(UsageOutcome.Cancelled, 1_000_000, "1.001")]
    [InlineData(UsageOutcome.Failed, 1_000_000, "1.001")]
    public void ChargeTheRequestPriceOnlyForARequestThatSucceededOrConsumedSomething(UsageOutcome outcome, long completion, string expected)
    {
        var model = Model((PriceUnit.OutputTokensPerMillion, 1m), (PriceUnit.Request, 0.001m));

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            UsagePricing.CostOf(model, new UsageCounts(0, completion), Now, outcome));
    }

    [Fact]
    public void UseThePriceInForceWhenTheRequestStarted()
    {
        var changed = Now.AddMinutes(-1);
        var model = Model([new ModelPrice(PriceUnit.InputTokensPerMillion, 1m, "USD", PricedFrom), new ModelPrice(PriceUnit.InputTokensPerMillion, 4m, "USD", changed)]);

        Assert.Equal(1m, UsagePricing.CostOf(model, new UsageCounts(1_000_000, 0), changed.AddTicks(-1), UsageOutcome.Succeeded));
        Assert.Equal(4m, UsagePricing.CostOf(model, new UsageCounts(1_000_000, 0), changed, UsageOutcome.Succeeded));
        Assert.Equal(0m, UsagePricing.CostOf(model, new UsageCounts(1_000_000, 0), PricedFrom.AddTicks(-1), UsageOutcome.Succeeded));
    }

    [Fact]
    public void ChargeNothingForUnitsTheModelHasNoPriceFor()
    {
        var model = Model((PriceUnit.InputTokensPerMillion, 1m));

        Assert.Equal(0m, Cost(model, new UsageCounts(0, 1_000, Images: 2, AudioMinutes: 1m)));
    }

    [Fact]
    public void KeepFourteenDecimalPlacesExactlyForTokensAndRoundBeyondThemHalfAwayFromZero()
    {
        var tokens = Model((PriceUnit.InputTokensPerMillion, 0.00000001m));
        var audio = Model((PriceUnit.AudioMinute, 0.00000003m));

        Assert.Equal(0.00000000000001m, Cost(tokens, new UsageCounts(1, 0)));
        Assert.Equal(0.00000000000002m, Cost(audio, new UsageCounts(0, 0, AudioMinutes: 0.0000005m))); // 0.000000000000015
        Assert.Equal(0.00000001m, Cost(audio, new UsageCounts(0, 0, AudioMinutes: 1m / 3m))); // 0.0000000099999…
    }

    [Fact]
    public void IgnoreNegativeCounts()
    {
        var model = Model((PriceUnit.InputTokensPerMillion, 1m), (PriceUnit.Image, 1m));

        Assert.Equal(0m, UsagePricing.CostOf(model, new UsageCounts(-5, -5, -5, -5, -5, -5m), Now, UsageOutcome.Failed));
    }

    private static decimal Cost(CatalogModel model, UsageCounts counts) => UsagePricing.CostOf(model, counts, Now, UsageOutcome.Succeeded);

    private static CatalogModel Model(params (PriceUnit Unit, decimal Amount)[] prices) =>
        Model(prices.Select(p => new ModelPrice(p.Unit, p.Amount, "USD", PricedFrom)).ToArray());

    private static CatalogModel Model(ModelPrice[] prices) => new(
        "test/model", "test", "model", "Model", new LocalizedText("A model", "Bir model"), 8_000, null, ["text"], ["text"], ["chat"], [],
        ModelStatus.Active, ModelVisibility.Public, [], null, [], prices);
}

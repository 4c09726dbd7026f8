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

    // Issue 20: prompt-cache writes were billed at the plain input price.
    [Fact]
    public void ChargeCacheWritesAtTheirOwnPricesByHowLongTheCacheLives()
    {
        // Claude Sonnet 4.5: input 3, cache read 0.30, 5-minute write 3.75 (1.25×), 1-hour write 6 (2×), output 15.
        var model = Model((PriceUnit.InputTokensPerMillion, 3m), (PriceUnit.CachedInputTokensPerMillion, 0.30m), (PriceUnit.CacheWrite5mTokensPerMillion, 3.75m),
            (PriceUnit.CacheWrite1hTokensPerMillion, 6m), (PriceUnit.OutputTokensPerMillion, 15m));
        var counts = new UsageCounts(10_000, 500, CachedPromptTokens: 2_000) { CacheWrite5mTokens = 3_000, CacheWrite1hTokens = 1_000 };

        // 4,000 plain × 3 + 2,000 × 0.30 + 3,000 × 3.75 + 1,000 × 6 + 500 × 15 = 12,000 + 600 + 11,250 + 6,000 + 7,500 = 37,350 per million.
        Assert.Equal(0.03735m, Cost(model, counts));
    }

    [Fact]
    public void ChargeCacheWritesAtTheInputPriceWhenTheModelPricesThemNoOtherWay()
    {
        var model = Model((PriceUnit.InputTokensPerMillion, 3m));

        Assert.Equal(0.003m, Cost(model, new UsageCounts(1_000, 0) { CacheWrite5mTokens = 600, CacheWrite1hTokens = 400 }));
    }

    // Issue 20: audio tokens in chat were billed as text.
    [Fact]
    public void ChargeAudioTokensInAndOutAtTheAudioPrices()
    {
        // gpt-4o-audio-preview: text 2.50 / 10, audio 40 / 80.
        var model = Model((PriceUnit.InputTokensPerMillion, 2.5m), (PriceUnit.OutputTokensPerMillion, 10m),
            (PriceUnit.AudioInputTokensPerMillion, 40m), (PriceUnit.AudioOutputTokensPerMillion, 80m));
        var counts = new UsageCounts(1_200, 900) { AudioPromptTokens = 1_000, AudioCompletionTokens = 700 };

        // 200 × 2.5 + 1,000 × 40 + 200 × 10 + 700 × 80 = 500 + 40,000 + 2,000 + 56,000 = 98,500 per million.
        Assert.Equal(0.0985m, Cost(model, counts));
    }

    [Fact]
    public void ChargeReasoningTokensApartOnlyWhenTheModelPricesThemApart()
    {
        var apart = Model((PriceUnit.OutputTokensPerMillion, 2m), (PriceUnit.ReasoningTokensPerMillion, 5m));

        // 200 × 2 + 800 × 5 = 4,400 per million.
        Assert.Equal(0.0044m, Cost(apart, new UsageCounts(0, 1_000, ReasoningTokens: 800)));
    }

    // Issue 20: GPT Image 1 was a flat price whatever its size and quality.
    [Theory]
    [InlineData("1024x1024/low", "0.011")]
    [InlineData("1024x1024/high", "0.167")]
    [InlineData("1536x1024/high", "0.25")]
    [InlineData("1536x1024/medium", "0.063")] // its size's price, as the variant has none of its own
    [InlineData("512x512/high", "0.04")] // neither: the unit's plain price
    public void ChargeAnImageAtItsSizeAndQualitysPrice(string variant, string expected)
    {
        var model = Model([
            new ModelPrice(PriceUnit.Image, 0.04m, "USD", PricedFrom),
            new ModelPrice(PriceUnit.Image, 0.011m, "USD", PricedFrom, "1024x1024/low"),
            new ModelPrice(PriceUnit.Image, 0.167m, "USD", PricedFrom, "1024x1024/high"),
            new ModelPrice(PriceUnit.Image, 0.063m, "USD", PricedFrom, "1536x1024"),
            new ModelPrice(PriceUnit.Image, 0.25m, "USD", PricedFrom, "1536x1024/high"),
        ]);

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            Cost(model, new UsageCounts(0, 0, Images: 1) { ImageVariant = variant }));
    }

    [Fact]
    public void ChargeImageTokensInAndOutAtTheImagePrices()
    {
        // GPT Image 1: text in 5, image in 10, image out 40.
        var model = Model((PriceUnit.InputTokensPerMillion, 5m), (PriceUnit.ImageInputTokensPerMillion, 10m), (PriceUnit.ImageOutputTokensPerMillion, 40m));
        var counts = new UsageCounts(350, 4_160, Images: 1) { ImagePromptTokens = 300, ImageCompletionTokens = 4_160 };

        // 50 × 5 + 300 × 10 + 4,160 × 40 = 250 + 3,000 + 166,400 = 169,650 per million.
        Assert.Equal(0.16965m, Cost(model, counts));
    }

    // Issue 20: web searches were never charged.
    [Fact]
    public void ChargeWebSearchesToolCallsAndAudioSecondsPerUnit()
    {
        var model = Model((PriceUnit.WebSearch, 0.01m), (PriceUnit.ToolCall, 0.0025m), (PriceUnit.AudioSecond, 0.0001m));

        // 3 × 0.01 + 2 × 0.0025 + 90 s × 0.0001.
        Assert.Equal(0.044m, Cost(model, new UsageCounts(0, 0, AudioMinutes: 1.5m) { WebSearches = 3, ToolCalls = 2 }));
    }

    [Fact]
    public void ChargeNothingForARequestThatFailedBeforeSearchingOrProducing()
    {
        var model = Model((PriceUnit.WebSearch, 0.01m), (PriceUnit.Request, 0.001m));

        Assert.Equal(0m, UsagePricing.CostOf(model, UsageCounts.None, Now, UsageOutcome.Failed));
        Assert.Equal(0.011m, UsagePricing.CostOf(model, UsageCounts.None with { WebSearches = 1 }, Now, UsageOutcome.Failed));
    }

    [Fact]
    public void NeverChargeAPartTwiceWhenPartsAddUpToMoreThanTheWhole()
    {
        var model = Model((PriceUnit.InputTokensPerMillion, 1m), (PriceUnit.CachedInputTokensPerMillion, 2m), (PriceUnit.AudioInputTokensPerMillion, 4m));

        // 1,000 prompt tokens: 800 cached at 2, then only 200 left for audio at 4.
        Assert.Equal(0.0024m, Cost(model, new UsageCounts(1_000, 0, CachedPromptTokens: 800) { AudioPromptTokens = 900 }));
    }

    [Fact]
    public void HoldEveryTokenAtTheDearestUnitOfItsSideAndTheDearestImageWhenTheSizeIsUnknown()
    {
        var model = Model([
            new ModelPrice(PriceUnit.InputTokensPerMillion, 3m, "USD", PricedFrom),
            new ModelPrice(PriceUnit.CacheWrite1hTokensPerMillion, 6m, "USD", PricedFrom),
            new ModelPrice(PriceUnit.OutputTokensPerMillion, 10m, "USD", PricedFrom),
            new ModelPrice(PriceUnit.AudioOutputTokensPerMillion, 80m, "USD", PricedFrom),
            new ModelPrice(PriceUnit.Image, 0.04m, "USD", PricedFrom),
            new ModelPrice(PriceUnit.Image, 0.25m, "USD", PricedFrom, "1536x1024/high"),
            new ModelPrice(PriceUnit.WebSearch, 0.01m, "USD", PricedFrom),
        ]);

        // 1,000 × 6 + 100 × 80 per million, 2 images at the dearest 0.25, 5 searches at 0.01.
        Assert.Equal(0.014m + 0.5m + 0.05m, UsagePricing.MaximumCostOf(model, new UsageCounts(1_000, 100, Images: 2) { WebSearches = 5 }, Now));
        Assert.Equal(0.014m + 0.08m, UsagePricing.MaximumCostOf(model, new UsageCounts(1_000, 100, Images: 2) { ImageVariant = "1024x1024/low" }, Now));

        // The hold is never below what the request can be charged.
        var counts = new UsageCounts(1_000, 100, Images: 2) { CacheWrite1hTokens = 1_000, AudioCompletionTokens = 100, ImageVariant = "1536x1024/high", WebSearches = 5 };
        Assert.Equal(UsagePricing.MaximumCostOf(model, counts, Now), Cost(model, counts));
    }

    private static decimal Cost(CatalogModel model, UsageCounts counts) => UsagePricing.CostOf(model, counts, Now, UsageOutcome.Succeeded);

    private static CatalogModel Model(params (PriceUnit Unit, decimal Amount)[] prices) =>
        Model(prices.Select(p => new ModelPrice(p.Unit, p.Amount, "USD", PricedFrom)).ToArray());

    private static CatalogModel Model(ModelPrice[] prices) => new(
        "test/model", "test", "model", "Model", new LocalizedText("A model", "Bir model"), 8_000, null, ["text"], ["text"], ["chat"], [],
        ModelStatus.Active, ModelVisibility.Public, [], null, [], prices);
}

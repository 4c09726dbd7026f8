using LlmTr.Modules.Catalog.Contracts;

namespace LlmTr.UnitTests.Catalog;

/// <summary>
/// "Priced" means a price in force for any unit: models priced per image (GPT Image 1) or per audio minute (Whisper)
/// have no token price, and were once shown as not priced.
/// </summary>
public sealed class PriceInForceShould
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static CatalogModel Model(string[] operations, params ModelPrice[] prices) => new(
        "openai/model", "openai", "model", "Model", new LocalizedText("", ""), 32_000, null, ["text"], ["text"], operations, [],
        ModelStatus.Active, ModelVisibility.Public, [], null, [], prices);

    private static ModelPrice Price(PriceUnit unit, decimal amount, int daysFromNow = -1) => new(unit, amount, "USD", Now.AddDays(daysFromNow));

    [Theory]
    [InlineData(PriceUnit.Image)]
    [InlineData(PriceUnit.AudioMinute)]
    [InlineData(PriceUnit.Request)]
    [InlineData(PriceUnit.InputTokensPerMillion)]
    public void CountAPriceForAnyUnit(PriceUnit unit)
    {
        Assert.True(Model(["image_generation"], Price(unit, 0.04m)).IsPricedAt(Now));
    }

    [Fact]
    public void CountAFreePriceAsAPrice()
    {
        Assert.True(Model(["chat"], Price(PriceUnit.InputTokensPerMillion, 0m)).IsPricedAt(Now));
    }

    [Fact]
    public void NotCountAPriceAnnouncedForLaterOrNoPriceAtAll()
    {
        Assert.False(Model(["transcription"], Price(PriceUnit.AudioMinute, 0.006m, daysFromNow: 3)).IsPricedAt(Now));
        Assert.False(Model(["transcription"]).IsPricedAt(Now));
    }

    [Theory]
    [InlineData("chat", true)]
    [InlineData("image_generation", false)]
    [InlineData("transcription", false)]
    [InlineData("speech", false)]
    [InlineData("embeddings", false)]
    public void GiveAContextWindowOnlyToChatModels(string operation, bool hasContextWindow)
    {
        Assert.Equal(hasContextWindow, Model([operation]).HasContextWindow);
    }
}

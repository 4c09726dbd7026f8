using LlmTr.Modules.Catalog.Contracts;

namespace LlmTr.UnitTests.Catalog;

public sealed class PriceUnitsShould
{
    [Fact]
    public void KeepTheNamesClientsAlreadyReadAndGiveEveryUnitOneOfItsOwn()
    {
        // Published in /api/models before the units of issue 20: never renamed.
        Assert.Equal("input_tokens_per_million", PriceUnits.ApiName(PriceUnit.InputTokensPerMillion));
        Assert.Equal("output_tokens_per_million", PriceUnits.ApiName(PriceUnit.OutputTokensPerMillion));
        Assert.Equal("cached_input_tokens_per_million", PriceUnits.ApiName(PriceUnit.CachedInputTokensPerMillion));
        Assert.Equal("image", PriceUnits.ApiName(PriceUnit.Image));
        Assert.Equal("audio_minute", PriceUnits.ApiName(PriceUnit.AudioMinute));
        Assert.Equal("request", PriceUnits.ApiName(PriceUnit.Request));

        var units = Enum.GetValues<PriceUnit>();
        Assert.Equal(units.Length, units.Select(PriceUnits.ApiName).Distinct(StringComparer.Ordinal).Count());
        Assert.All(units, unit =>
        {
            Assert.False(string.IsNullOrWhiteSpace(PriceUnits.Meaning(unit).En));
            Assert.NotEqual(PriceUnits.Meaning(unit).En, PriceUnits.Meaning(unit).Tr);
            Assert.NotEqual(PriceUnits.Per(unit).En, PriceUnits.Per(unit).Tr);
            Assert.Equal(unit, PriceUnits.FromApiName(PriceUnits.ApiName(unit)));
        });
    }

    [Theory]
    [InlineData("1024x1024", "high", "1024x1024/high")]
    [InlineData("1536x1024", null, "1536x1024")]
    [InlineData(null, "high", null)]
    public void NameAnImagesVariantBySizeAndQuality(string? size, string? quality, string? expected) =>
        Assert.Equal(expected, PriceVariants.OfImage(size, quality));
}

using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;

namespace LlmTr.Modules.Billing.Usage;

/// <summary>
/// A request's cost from the catalog prices in force when it started (a price change never reprices a request
/// already running). Token prices are per million tokens. Cached prompt tokens are part of the prompt tokens, as in
/// OpenAI's usage: when the model has a cached-input price they are charged at it and only the rest at the input
/// price. Reasoning tokens are part of the completion tokens and are charged with them. The per-request price is
/// charged when the request consumed something or succeeded: a request that failed or was cancelled before the
/// model produced anything costs nothing.
/// </summary>
internal static class UsagePricing
{
    /// <summary>The ledger's precision: tokens × an eight-place price per million is exact at fourteen places.</summary>
    public const int Scale = 14;

    private const decimal TokensPerPriceUnit = 1_000_000m;

    public static decimal CostOf(CatalogModel model, UsageCounts counts, DateTimeOffset startedAt, UsageOutcome outcome)
    {
        decimal PriceOf(PriceUnit unit) => model.PriceAt(unit, startedAt)?.Amount ?? 0m;

        var prompt = Math.Max(0, counts.PromptTokens);
        var cached = Math.Clamp(counts.CachedPromptTokens, 0, prompt);
        var completion = Math.Max(0, counts.CompletionTokens);
        var images = Math.Max(0, counts.Images);
        var audioMinutes = Math.Max(0m, counts.AudioMinutes);

        var tokenCost = model.PriceAt(PriceUnit.CachedInputTokensPerMillion, startedAt) is { } cachedPrice
            ? ((prompt - cached) * PriceOf(PriceUnit.InputTokensPerMillion)) + (cached * cachedPrice.Amount)
            : prompt * PriceOf(PriceUnit.InputTokensPerMillion);
        tokenCost += completion * PriceOf(PriceUnit.OutputTokensPerMillion);

        var cost = (tokenCost / TokensPerPriceUnit) + (images * PriceOf(PriceUnit.Image)) + (audioMinutes * PriceOf(PriceUnit.AudioMinute));
        var consumed = prompt > 0 || completion > 0 || images > 0 || audioMinutes > 0;
        if (consumed || outcome == UsageOutcome.Succeeded)
        {
            cost += PriceOf(PriceUnit.Request);
        }

        return Math.Round(cost, Scale, MidpointRounding.AwayFromZero);
    }
}

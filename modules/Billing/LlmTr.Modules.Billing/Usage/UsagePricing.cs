using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;

namespace LlmTr.Modules.Billing.Usage;

/// <summary>
/// A request's cost from the catalog prices in force when it started (a price change never reprices a request
/// already running), exactly as the provider's bill adds it up. Token prices are per million tokens. The prompt and
/// completion counts are whole, as in OpenAI's usage; each part with a unit of its own (cache reads, cache writes,
/// audio, images, reasoning) is charged at that unit's price when the model has one and at the plain input or output
/// price when it has not, and only what is left is charged at the plain price. Images are charged per image at their
/// size and quality's price (by their output tokens instead when the model prices those and the provider reports
/// them), audio per minute or second, web searches and provider-run tool calls per call. The
/// per-request price is charged when the request consumed something or succeeded: a request that failed or was
/// cancelled before the model produced anything costs nothing. No margin is ever added here: the platform's margin is
/// taken once, on top-ups. Pages and docs that show a cost line by line get it from here, through <see cref="IUsagePricing"/>.
/// </summary>
internal static class UsagePricing
{
    /// <summary>The ledger's precision: tokens × an eight-place price per million is exact at fourteen places.</summary>
    public const int Scale = 14;

    private const decimal TokensPerPriceUnit = 1_000_000m;

    public static decimal CostOf(CatalogModel model, UsageCounts counts, DateTimeOffset startedAt, UsageOutcome outcome)
    {
        var total = new Total();
        Price(model, counts, startedAt, outcome, ref total);
        return Math.Round(total.Sum, Scale, MidpointRounding.AwayFromZero);
    }

    /// <summary>
    /// The cost of a request line by line, each unit with the quantity charged at it, its price and the amount: the
    /// same arithmetic <see cref="CostOf"/> adds up (its total is the sum of these amounts, rounded to the ledger's
    /// precision). Units the request consumed nothing of, or whose price is none or zero, are left out.
    /// </summary>
    public static IReadOnlyList<UsageCostLine> LinesOf(CatalogModel model, UsageCounts counts, DateTimeOffset startedAt, UsageOutcome outcome)
    {
        var lines = new Lines();
        Price(model, counts, startedAt, outcome, ref lines);
        return lines.All;
    }

    private static void Price<TSink>(CatalogModel model, UsageCounts counts, DateTimeOffset startedAt, UsageOutcome outcome, ref TSink sink)
        where TSink : struct, ICostSink
    {
        var input = model.PriceAt(PriceUnit.InputTokensPerMillion, startedAt);
        var output = model.PriceAt(PriceUnit.OutputTokensPerMillion, startedAt);

        // Parts are clamped to what is left of the whole, in a fixed order, so counts that overlap or exceed the whole
        // (a provider's rounding) can never charge a token twice.
        var promptLeft = Math.Max(0, counts.PromptTokens);
        Part(ref sink, ref promptLeft, counts.CachedPromptTokens, model.PriceAt(PriceUnit.CachedInputTokensPerMillion, startedAt) ?? input);
        Part(ref sink, ref promptLeft, counts.CacheWrite5mTokens, model.PriceAt(PriceUnit.CacheWrite5mTokensPerMillion, startedAt) ?? input);
        Part(ref sink, ref promptLeft, counts.CacheWrite1hTokens, model.PriceAt(PriceUnit.CacheWrite1hTokensPerMillion, startedAt) ?? input);
        Part(ref sink, ref promptLeft, counts.AudioPromptTokens, model.PriceAt(PriceUnit.AudioInputTokensPerMillion, startedAt) ?? input);
        Part(ref sink, ref promptLeft, counts.ImagePromptTokens, model.PriceAt(PriceUnit.ImageInputTokensPerMillion, startedAt) ?? input);
        Part(ref sink, ref promptLeft, promptLeft, input);

        var completionLeft = Math.Max(0, counts.CompletionTokens);
        if (model.PriceAt(PriceUnit.ReasoningTokensPerMillion, startedAt) is { } reasoning)
        {
            Part(ref sink, ref completionLeft, counts.ReasoningTokens, reasoning);
        }

        Part(ref sink, ref completionLeft, counts.AudioCompletionTokens, model.PriceAt(PriceUnit.AudioOutputTokensPerMillion, startedAt) ?? output);
        Part(ref sink, ref completionLeft, counts.ImageCompletionTokens, model.PriceAt(PriceUnit.ImageOutputTokensPerMillion, startedAt) ?? output);
        Part(ref sink, ref completionLeft, completionLeft, output);

        var audioMinutes = Math.Max(0m, counts.AudioMinutes);
        // A model priced both per image and by image output tokens (GPT Image) is billed by the tokens when the provider
        // reports them, as its bill is; per image only when it does not.
        var imagesByTokens = counts.ImageCompletionTokens > 0 && model.PriceAt(PriceUnit.ImageOutputTokensPerMillion, startedAt) is { Amount: > 0 };
        Each(ref sink, imagesByTokens ? 0 : Math.Max(0, counts.Images), model.PriceAt(PriceUnit.Image, counts.ImageVariant, startedAt));
        Each(ref sink, audioMinutes, model.PriceAt(PriceUnit.AudioMinute, startedAt));
        Each(ref sink, audioMinutes * 60m, model.PriceAt(PriceUnit.AudioSecond, startedAt));
        Each(ref sink, Math.Max(0, counts.WebSearches), model.PriceAt(PriceUnit.WebSearch, startedAt));
        Each(ref sink, Math.Max(0, counts.ToolCalls), model.PriceAt(PriceUnit.ToolCall, startedAt));
        if (counts.ConsumedAnything || outcome == UsageOutcome.Succeeded)
        {
            Each(ref sink, 1, model.PriceAt(PriceUnit.Request, startedAt));
        }
    }

    /// <summary>The part's tokens (at most what is left of the whole) at its price per million; takes them from what is left.</summary>
    private static void Part<TSink>(ref TSink sink, ref long left, long tokens, ModelPrice? price)
        where TSink : struct, ICostSink
    {
        var part = Math.Clamp(tokens, 0, left);
        left -= part;
        if (part > 0 && price is not null)
        {
            sink.Add(price, part, part * price.Amount / TokensPerPriceUnit);
        }
    }

    private static void Each<TSink>(ref TSink sink, decimal quantity, ModelPrice? price)
        where TSink : struct, ICostSink
    {
        if (quantity > 0 && price is not null)
        {
            sink.Add(price, quantity, quantity * price.Amount);
        }
    }

    private interface ICostSink
    {
        void Add(ModelPrice price, decimal quantity, decimal amount);
    }

    private struct Total : ICostSink
    {
        public decimal Sum;

        public void Add(ModelPrice price, decimal quantity, decimal amount) => Sum += amount;
    }

    private struct Lines : ICostSink
    {
        private List<UsageCostLine>? _lines;

        public readonly IReadOnlyList<UsageCostLine> All => _lines ?? [];

        public void Add(ModelPrice price, decimal quantity, decimal amount)
        {
            if (price.Amount != 0)
            {
                (_lines ??= []).Add(new UsageCostLine(PriceUnits.ApiName(price.Unit), price.Variant, quantity, price.Amount, amount));
            }
        }
    }

    /// <summary>
    /// The most a request that consumes at most <paramref name="maximum"/> can cost, whatever its answer turns out to
    /// be: every prompt token at the dearest prompt unit, every output token at the dearest output unit, every image at
    /// its variant's price (the dearest variant when the size is not known), plus the searches, tool calls and the
    /// per-request price. What the credit gate holds while the request runs.
    /// </summary>
    public static decimal MaximumCostOf(CatalogModel model, UsageCounts maximum, DateTimeOffset startedAt)
    {
        var prompt = Dearest(model, startedAt, PriceUnit.InputTokensPerMillion, PriceUnit.CachedInputTokensPerMillion, PriceUnit.CacheWrite5mTokensPerMillion,
            PriceUnit.CacheWrite1hTokensPerMillion, PriceUnit.AudioInputTokensPerMillion, PriceUnit.ImageInputTokensPerMillion);
        var completion = Dearest(model, startedAt, PriceUnit.OutputTokensPerMillion, PriceUnit.ReasoningTokensPerMillion, PriceUnit.AudioOutputTokensPerMillion,
            PriceUnit.ImageOutputTokensPerMillion);
        var image = maximum.ImageVariant is { } variant
            ? model.PriceAt(PriceUnit.Image, variant, startedAt)?.Amount ?? 0m
            : model.HighestPriceAt(PriceUnit.Image, startedAt) ?? 0m;
        var audioMinutes = Math.Max(0m, maximum.AudioMinutes);

        var cost = (((Math.Max(0, maximum.PromptTokens) * prompt) + (Math.Max(0, maximum.CompletionTokens) * completion)) / TokensPerPriceUnit)
            + (Math.Max(0, maximum.Images) * image)
            + (audioMinutes * Price(model, PriceUnit.AudioMinute, startedAt))
            + (audioMinutes * 60m * Price(model, PriceUnit.AudioSecond, startedAt))
            + (Math.Max(0, maximum.WebSearches) * Price(model, PriceUnit.WebSearch, startedAt))
            + (Math.Max(0, maximum.ToolCalls) * Price(model, PriceUnit.ToolCall, startedAt))
            + Price(model, PriceUnit.Request, startedAt);
        return Math.Round(cost, Scale, MidpointRounding.AwayFromZero);
    }

    private static decimal Price(CatalogModel model, PriceUnit unit, DateTimeOffset at) => model.PriceAt(unit, at)?.Amount ?? 0m;

    private static decimal Dearest(CatalogModel model, DateTimeOffset at, params ReadOnlySpan<PriceUnit> units)
    {
        var dearest = 0m;
        foreach (var unit in units)
        {
            dearest = Math.Max(dearest, Price(model, unit, at));
        }

        return dearest;
    }
}

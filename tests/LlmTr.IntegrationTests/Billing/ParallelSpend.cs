namespace LlmTr.IntegrationTests.Billing;

/// <summary>
/// The figures of the parallel spend tests (a balance, a key's limit, a member's budget under 200 requests at once):
/// a model priced 1.00 per million input tokens and 100.00 per million output tokens, whose provider reports 200
/// prompt tokens and the model's whole output.
/// </summary>
internal static class ParallelSpend
{
    public const decimal InputPrice = 1m;

    public const decimal OutputPrice = 100m;

    public const int MaxOutputTokens = 16_384;

    /// <summary>
    /// One request's maximum cost: the model's whole output (no max_tokens is sent) at the output price, plus the input
    /// of a body under 4,000 bytes (under 1,000 tokens) at the input price.
    /// </summary>
    public const decimal OneRequestMaximum = (MaxOutputTokens * OutputPrice / 1_000_000m) + (1_000 * InputPrice / 1_000_000m);

    /// <summary>What each served request really costs.</summary>
    public const decimal RequestCost = ((200 * InputPrice) + (MaxOutputTokens * OutputPrice)) / 1_000_000m;

    public const int ParallelRequests = 200;
}

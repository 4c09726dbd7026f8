using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;

namespace LlmTr.Modules.Gateway.Chat;

/// <summary>
/// What a request can consume at most on a model, known before the provider is called: the credit gate holds its
/// price while the request runs, which is what bounds how far parallel requests can take a balance (or a key's limit)
/// past zero. Plain arithmetic over what the request already parsed: no second pass over the body.
/// </summary>
internal static class MaximumUsage
{
    /// <summary>
    /// The web searches held for a search tool that sets no <c>max_uses</c>: a provider may run more, and those beyond
    /// it are the documented part of the spend bound that no hold covers.
    /// </summary>
    public const int UnboundedWebSearches = 5;

    /// <summary>
    /// Input tokens estimated from the body at about four bytes a token. A JSON body carries more than its text, so
    /// this overstates text; what it can understate (an image sent by URL costs more tokens than its address) is why
    /// the documented bound speaks of an estimate.
    /// </summary>
    public static long InputTokens(int bodyLength) => (Math.Max(bodyLength, 0) + 3L) / 4;

    /// <summary>
    /// The most output a model gives one answer: its catalog maximum, or its context length when the catalog has none
    /// (no answer can be longer than the model's whole window).
    /// </summary>
    public static long OutputLimit(CatalogModel model) => model.MaxOutputTokens is > 0 and var max ? max : Math.Max(model.ContextLength, 1);

    /// <summary>
    /// A chat request (chat completions or the Messages API): its input, capped at the model's context, plus
    /// <c>max_completion_tokens</c>/<c>max_tokens</c> (or the model's maximum output), capped at that maximum, for each
    /// of its <c>n</c> choices, and the web searches it allows each of them.
    /// </summary>
    public static UsageCounts Chat(ChatRequest request, CatalogModel model)
    {
        var limit = OutputLimit(model);
        var output = request.MaxTokens is { } asked ? Math.Min(asked, limit) : limit;
        var choices = request.Number("n") is { } n && n >= 1 ? (long)n : 1;
        return new UsageCounts(Math.Min(InputTokens(request.BodyLength), Math.Max(model.ContextLength, 1)), output * choices)
        {
            WebSearches = (int)Math.Min(request.WebSearchLimit * choices, int.MaxValue),
        };
    }
}

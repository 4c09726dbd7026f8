namespace LlmTr.Modules.Billing.Contracts;

/// <summary>An account's usage rows (metadata only, never prompts or outputs), filtered for pages, exports and charts.</summary>
public interface IUsageHistory
{
    /// <summary>
    /// The first UTC day whose requests are certainly still kept one by one (<c>Billing:UsageRetentionMonths</c> back
    /// from this month): lists, exports and the residency report hold nothing older, while the charts and daily totals
    /// (<see cref="DailySpendAsync"/>, <see cref="SpendByModelAsync"/>, <see cref="ActivityAsync"/>) still cover older days.
    /// </summary>
    DateOnly RawKeptFrom { get; }

    Task<UsagePage> QueryAsync(string accountId, UsageFilter filter, int skip, int take, CancellationToken cancellationToken = default);

    /// <summary>One of the account's requests by the id sent in <c>x-request-id</c>; null when it is another account's or unknown.</summary>
    Task<UsageRow?> FindAsync(string accountId, string requestId, CancellationToken cancellationToken = default);

    /// <summary>Every matching row, newest first, streamed (for the CSV export).</summary>
    IAsyncEnumerable<UsageRow> ExportAsync(string accountId, UsageFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Spend per UTC day in [from, to], days without usage left out.</summary>
    Task<IReadOnlyList<DailySpend>> DailySpendAsync(string accountId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ModelSpend>> SpendByModelAsync(string accountId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default);

    /// <summary>
    /// Requests, tokens and spend per UTC day, key and model in [from, to] (combinations without usage left out): what
    /// the activity charts draw, read from the daily roll-up and, for the last two days, the rows themselves, in two
    /// queries whatever the range.
    /// </summary>
    Task<IReadOnlyList<UsageActivity>> ActivityAsync(string accountId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default);
}

/// <param name="KeyId">The key that made the requests (the playground's own id for playground requests).</param>
public sealed record UsageActivity(DateOnly Day, Guid KeyId, string ModelId, long Requests, long PromptTokens, long CompletionTokens, decimal Cost);

/// <param name="From">First UTC day included.</param>
/// <param name="To">Last UTC day included.</param>
/// <param name="Outcome">Only requests that ended so (succeeded, failed, cancelled), or null for all.</param>
public sealed record UsageFilter(Guid? KeyId = null, string? ModelId = null, DateOnly? From = null, DateOnly? To = null, UsageOutcome? Outcome = null);

public sealed record UsageRow(
    string RequestId,
    Guid KeyId,
    string ModelId,
    DateTimeOffset StartedAt,
    int LatencyMs,
    UsageOutcome Outcome,
    int HttpStatus,
    long PromptTokens,
    long CompletionTokens,
    long CachedPromptTokens,
    long ReasoningTokens,
    int Images,
    decimal AudioMinutes,
    decimal Cost,
    string Currency,
    IReadOnlyList<string> ProcessedIn,
    bool Streamed,
    string? ErrorCode = null,
    string? ErrorMessage = null)
{
    /// <summary>Prompt tokens written to a five-minute cache (part of <see cref="PromptTokens"/>).</summary>
    public long CacheWrite5mTokens { get; init; }

    /// <summary>Prompt tokens written to a one-hour cache (part of <see cref="PromptTokens"/>).</summary>
    public long CacheWrite1hTokens { get; init; }

    /// <summary>Audio in the prompt, in tokens (part of <see cref="PromptTokens"/>).</summary>
    public long AudioPromptTokens { get; init; }

    /// <summary>Spoken output, in tokens (part of <see cref="CompletionTokens"/>).</summary>
    public long AudioCompletionTokens { get; init; }

    /// <summary>Images in the prompt, in tokens (part of <see cref="PromptTokens"/>).</summary>
    public long ImagePromptTokens { get; init; }

    /// <summary>Generated images, in tokens (part of <see cref="CompletionTokens"/>).</summary>
    public long ImageCompletionTokens { get; init; }

    /// <summary>The size and quality images were priced at (<c>1024x1024/high</c>), when known.</summary>
    public string? ImageVariant { get; init; }

    /// <summary>Web searches the provider ran.</summary>
    public int WebSearches { get; init; }

    /// <summary>Calls of tools the provider ran itself, web search aside.</summary>
    public int ToolCalls { get; init; }
}

public sealed record UsagePage(IReadOnlyList<UsageRow> Rows, int Total);

public sealed record DailySpend(DateOnly Day, decimal Cost, long Requests);

public sealed record ModelSpend(string ModelId, decimal Cost, long Requests);

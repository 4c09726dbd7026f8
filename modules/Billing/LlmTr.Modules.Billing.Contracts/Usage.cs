namespace LlmTr.Modules.Billing.Contracts;

/// <summary>
/// Where the gateway hands every finished /v1 request (success, error or cancelled). Pricing comes from the catalog
/// price in force when the request started; the row and the ledger debit are written later, in batches, so recording
/// costs no database call.
/// </summary>
public interface IUsageRecorder
{
    /// <summary>Prices the request, queues it for the ledger and returns its cost for the response's usage.</summary>
    UsageCharge Record(UsageReport report);

    /// <summary>
    /// What a request on <paramref name="modelId"/> that started at <paramref name="startedAt"/> costs at most when it
    /// consumes <paramref name="maximum"/> (priced as a success, so a per-request price counts): the amount the credit
    /// gate holds while it runs. Zero for a model the catalog does not have. Nothing is recorded.
    /// </summary>
    decimal MaximumCost(string modelId, UsageCounts maximum, DateTimeOffset startedAt);
}

/// <summary>
/// Admission to the usage queue: the gateway reserves room for a request's usage row before it serves the request, so a
/// request that was answered always has room for its row, even while the database is away. The check is two
/// interlocked operations: no lock, no database.
/// </summary>
public interface IUsageAdmission
{
    /// <summary>
    /// Reserves one row of the usage queue (<c>Billing:UsageQueueCapacity</c>, counting rows queued, being written and
    /// reserved by requests still running). False when it is full: answer 503 <c>service_unavailable</c> and record
    /// nothing. A reservation is used by the request's <see cref="UsageReport"/> (with <see cref="UsageReport.Reserved"/>)
    /// and given back when that row has been written.
    /// </summary>
    bool TryReserve();
}

/// <param name="RequestId">The request's id, as sent to the client in <c>x-request-id</c>.</param>
/// <param name="AccountId">The user who owns the key (the account whose credit pays).</param>
/// <param name="ProcessedIn">ISO country codes of the data path's hops at request time, in path order (kept so a later catalog change does not rewrite history).</param>
/// <param name="HttpStatus">The status the client saw (200 for a stream that started, even if it ended in an error event).</param>
public sealed record UsageReport(
    string RequestId,
    string AccountId,
    Guid KeyId,
    string ModelId,
    DateTimeOffset StartedAt,
    TimeSpan Latency,
    UsageOutcome Outcome,
    int HttpStatus,
    UsageCounts Counts,
    IReadOnlyList<string> ProcessedIn,
    bool Streamed)
{
    /// <summary>
    /// The request holds a usage-queue reservation from <see cref="IUsageAdmission.TryReserve"/> (the gateway's always
    /// do). A report without one takes a row of the queue regardless of its bound.
    /// </summary>
    public bool Reserved { get; init; }

    /// <summary>
    /// The name of the model's deployment the request reached (the one that answered, or the last one called), whose
    /// data path <see cref="ProcessedIn"/> lists; null when the request reached none.
    /// </summary>
    public string? Deployment { get; init; }

    /// <summary>
    /// How long <see cref="Deployment"/> took to answer this request, to its response headers (or to its failure: a
    /// refused connection, a timeout), in whole milliseconds; null when no provider was called.
    /// </summary>
    public int? UpstreamLatencyMs { get; init; }

    /// <summary>
    /// For a request that failed: the error's code as the client got it (<c>insufficient_credits</c>,
    /// <c>provider_error</c>), at most <see cref="UsageErrors.MaxCodeLength"/> characters; null otherwise.
    /// </summary>
    public string? ErrorCode { get; init; }

    /// <summary>
    /// For a request that failed: the gateway's own short message (never any prompt or answer text, nor a provider's
    /// words), at most <see cref="UsageErrors.MaxMessageLength"/> characters; longer ones are cut.
    /// </summary>
    public string? ErrorMessage { get; init; }

    private readonly Guid _spendKeyId;

    /// <summary>
    /// The id the key's spend is counted under for its limits: the key's lineage (the first key of its rotation
    /// chain), so a rotated key's spend carries to its replacement. The key's own id when not set. The usage row
    /// keeps <see cref="KeyId"/>, the key that made the request.
    /// </summary>
    public Guid SpendKeyId
    {
        get => _spendKeyId == Guid.Empty ? KeyId : _spendKeyId;
        init => _spendKeyId = value;
    }

    /// <summary>
    /// The id the member's spend in the organisation is counted under, for their budget (beside the key's); empty when
    /// the request has no member to count (a personal organisation).
    /// </summary>
    public Guid MemberSpendId { get; init; }
}

public enum UsageOutcome
{
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>
/// What the request consumed, in the catalog's price units. Counts the provider did not report are zero. The prompt
/// and completion counts are whole, as in OpenAI's usage: the cached, cache-write, audio and image token counts are
/// parts of <see cref="PromptTokens"/>, and the reasoning, audio and image output counts parts of
/// <see cref="CompletionTokens"/>, each priced at its own unit when the model has one.
/// </summary>
public sealed record UsageCounts(
    long PromptTokens,
    long CompletionTokens,
    long CachedPromptTokens = 0,
    long ReasoningTokens = 0,
    int Images = 0,
    decimal AudioMinutes = 0m)
{
    public static UsageCounts None { get; } = new(0, 0);

    public long TotalTokens => PromptTokens + CompletionTokens;

    /// <summary>Prompt tokens written to a five-minute prompt cache (Anthropic <c>cache_creation.ephemeral_5m_input_tokens</c>).</summary>
    public long CacheWrite5mTokens { get; init; }

    /// <summary>Prompt tokens written to a one-hour prompt cache (Anthropic <c>cache_creation.ephemeral_1h_input_tokens</c>).</summary>
    public long CacheWrite1hTokens { get; init; }

    /// <summary>Audio in the prompt, in tokens.</summary>
    public long AudioPromptTokens { get; init; }

    /// <summary>Spoken output, in tokens.</summary>
    public long AudioCompletionTokens { get; init; }

    /// <summary>Images in the prompt, in tokens.</summary>
    public long ImagePromptTokens { get; init; }

    /// <summary>Generated images, in tokens.</summary>
    public long ImageCompletionTokens { get; init; }

    /// <summary>The size and quality the images were made at (<c>1024x1024/high</c>), which may have a price of its own; null when not known.</summary>
    public string? ImageVariant { get; init; }

    /// <summary>Web searches the provider ran for the request.</summary>
    public int WebSearches { get; init; }

    /// <summary>Calls of tools the provider ran itself (file search, code execution), web search aside.</summary>
    public int ToolCalls { get; init; }

    /// <summary>Whether anything was consumed: a request that consumed nothing and failed costs nothing.</summary>
    public bool ConsumedAnything => PromptTokens > 0 || CompletionTokens > 0 || Images > 0 || AudioMinutes > 0 || WebSearches > 0 || ToolCalls > 0;
}

/// <summary>
/// What usage costs on a catalog model, line by line, with the arithmetic that charges requests: for pages and docs that
/// show a cost worked out (the request detail, the pricing page's examples). Nothing is recorded.
/// </summary>
public interface IUsagePricing
{
    /// <summary>The cost of <paramref name="counts"/> on the model at the prices in force at <paramref name="at"/>; null for a model the catalog does not have.</summary>
    UsageCost? Price(string modelId, UsageCounts counts, DateTimeOffset at, UsageOutcome outcome = UsageOutcome.Succeeded);
}

/// <summary>A cost worked out: its lines, and their total at the ledger's precision.</summary>
public sealed record UsageCost(IReadOnlyList<UsageCostLine> Lines, decimal Total, string Currency);

/// <summary>One line of a cost: a price unit (its <c>/api/models</c> name) and variant, the quantity charged at it, its price and the amount.</summary>
/// <param name="Quantity">Tokens for a per-million unit (the amount is quantity × price ÷ 1,000,000), else images, minutes, seconds, searches, calls or requests.</param>
public sealed record UsageCostLine(string Unit, string? Variant, decimal Quantity, decimal Price, decimal Amount);

/// <summary>The cost of one request in the platform currency (never rounded: the ledger keeps full precision).</summary>
public sealed record UsageCharge(decimal Cost, string Currency);

/// <summary>The bounds of the error a usage row keeps: short metadata, never content.</summary>
public static class UsageErrors
{
    public const int MaxCodeLength = 64;

    public const int MaxMessageLength = 300;
}

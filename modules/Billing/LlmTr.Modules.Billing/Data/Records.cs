using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.Modules.Billing.Data;

/// <summary>
/// An account's running balance: always the sum of its ledger entries, kept in the same transaction as each entry.
/// <see cref="Version"/> grows with every change, so a host never replaces what it knows with an older read.
/// </summary>
internal sealed class AccountRecord
{
    public required string AccountId { get; init; }

    public decimal Balance { get; set; }

    public required string Currency { get; init; }

    public long Version { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The owner's low-balance notice threshold, or null for none.</summary>
    public decimal? LowBalanceThreshold { get; set; }

    /// <summary>When the owner was last told the balance fell below the threshold; cleared once it is back above.</summary>
    public DateTimeOffset? LowBalanceNotifiedAt { get; set; }
}

/// <summary>One immutable balance change. The database refuses updates and deletes of these rows.</summary>
internal sealed class LedgerEntryRecord
{
    public long Id { get; init; }

    public required string AccountId { get; init; }

    public DateTimeOffset At { get; init; }

    public LedgerEntryKind Kind { get; init; }

    public decimal Amount { get; init; }

    public required string Currency { get; init; }

    public string? Reason { get; init; }

    public string? Actor { get; init; }

    public Guid? TopUpId { get; init; }

    /// <summary>For usage debits: how many requests the entry covers.</summary>
    public int? RequestCount { get; init; }

    public LedgerEntry ToContract() => new(Id, AccountId, At, Kind, Amount, Currency, Reason, Actor, TopUpId, RequestCount);
}

/// <summary>One /v1 request's metadata and cost. Never the prompt, never the output.</summary>
internal sealed class UsageRecord
{
    public required string RequestId { get; init; }

    public required string AccountId { get; init; }

    public Guid KeyId { get; init; }

    public required string ModelId { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public int LatencyMs { get; init; }

    public UsageOutcome Outcome { get; init; }

    public int HttpStatus { get; init; }

    public long PromptTokens { get; init; }

    public long CompletionTokens { get; init; }

    public long CachedPromptTokens { get; init; }

    public long ReasoningTokens { get; init; }

    public int Images { get; init; }

    public decimal AudioMinutes { get; init; }

    public long CacheWrite5mTokens { get; init; }

    public long CacheWrite1hTokens { get; init; }

    public long AudioPromptTokens { get; init; }

    public long AudioCompletionTokens { get; init; }

    public long ImagePromptTokens { get; init; }

    public long ImageCompletionTokens { get; init; }

    /// <summary>The size and quality the images were priced at, when known.</summary>
    public string? ImageVariant { get; init; }

    public int WebSearches { get; init; }

    public int ToolCalls { get; init; }

    public decimal Cost { get; init; }

    public required string Currency { get; init; }

    public required string[] ProcessedIn { get; init; }

    /// <summary>The deployment of the model that served the request (or was last called), by name; null when none was reached.</summary>
    public string? Deployment { get; init; }

    /// <summary>How long that deployment took to answer (to response headers, or to its failure), in milliseconds; null when no provider was called.</summary>
    public int? UpstreamLatencyMs { get; init; }

    public bool Streamed { get; init; }

    public DateTimeOffset RecordedAt { get; init; }

    /// <summary>The error code a failed request was answered with; null for the others.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The gateway's own short message for that error (bounded, never content).</summary>
    public string? ErrorMessage { get; init; }
}

/// <summary>What a key has spent in all, and in the latest UTC month it spent in: what key spend limits are checked against.</summary>
internal sealed class KeySpendRecord
{
    public Guid KeyId { get; init; }

    public required string AccountId { get; init; }

    public decimal Total { get; init; }

    public DateOnly Month { get; init; }

    public decimal MonthAmount { get; init; }
}

internal sealed class TopUpRecord
{
    public Guid Id { get; init; }

    public required string AccountId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public decimal Credit { get; init; }

    /// <summary>The margin rate in force when the top-up was made: history never changes with the configuration.</summary>
    public decimal MarginRate { get; init; }

    public decimal Margin { get; init; }

    public decimal Total { get; init; }

    public required string Currency { get; init; }

    public TopUpStatus Status { get; set; }

    public required string Provider { get; init; }

    /// <summary>The provider's checkout (a Stripe Checkout Session id).</summary>
    public string? CheckoutId { get; set; }

    /// <summary>The provider's payment (a Stripe PaymentIntent id), shown on the receipt.</summary>
    public string? PaymentReference { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public string? StatusReason { get; set; }

    public decimal Refunded { get; set; }

    /// <summary>The tax rate in force when the top-up was made (zero: no tax); <see cref="Total"/> includes <see cref="Tax"/>.</summary>
    public decimal TaxRate { get; init; }

    public decimal Tax { get; init; }

    public string TaxName { get; init; } = "";

    // The seller and buyer as they were when the top-up was made: a receipt describes history, so later changes to the
    // settings or to the account's billing details never reach it. Null when they were not set.
    public string? SellerLegalName { get; init; }

    public string? SellerAddress { get; init; }

    public string? SellerTaxOffice { get; init; }

    public string? SellerTaxNumber { get; init; }

    public BuyerKind? BuyerKind { get; init; }

    public string? BuyerName { get; init; }

    public string? BuyerAddress { get; init; }

    public string? BuyerTaxOffice { get; init; }

    public string? BuyerTaxId { get; init; }

    public TopUpSummary ToContract() => new(
        Id, AccountId, CreatedAt, Credit, MarginRate, Margin, Total, Currency, Status, Provider, PaymentReference, CompletedAt, Refunded, StatusReason,
        ExpiresAt, TaxRate, Tax, TaxName,
        SellerLegalName is null ? null : new SellerDetails(SellerLegalName, SellerAddress ?? "", SellerTaxOffice ?? "", SellerTaxNumber ?? ""),
        BuyerKind is { } kind && BuyerName is not null ? new BillingDetails(kind, BuyerName, BuyerAddress ?? "", BuyerTaxOffice, BuyerTaxId ?? "") : null);
}

/// <summary>An account's billing details (the buyer on its receipts), as its owner last saved them.</summary>
internal sealed class BillingDetailsRecord
{
    public required string AccountId { get; init; }

    public BuyerKind Kind { get; set; }

    public required string Name { get; set; }

    public required string Address { get; set; }

    public string? TaxOffice { get; set; }

    public required string TaxId { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public BillingDetails ToContract() => new(Kind, Name, Address, TaxOffice, TaxId);
}

/// <summary>A payment provider's event already handled: a replay finds its id here and changes nothing.</summary>
internal sealed class ProcessedEventRecord
{
    public required string EventId { get; init; }

    public required string Type { get; init; }

    public DateTimeOffset ProcessedAt { get; init; }
}

/// <summary>The platform's margin on a completed top-up: revenue, never on anyone's balance.</summary>
internal sealed class RevenueRecord
{
    public long Id { get; init; }

    public Guid TopUpId { get; init; }

    public decimal Amount { get; init; }

    public required string Currency { get; init; }

    public DateTimeOffset At { get; init; }
}

/// <summary>Usage rolled up per account, UTC day, key and model, for the charts.</summary>
internal sealed class DailyUsageRecord
{
    public required string AccountId { get; init; }

    public DateOnly Day { get; init; }

    /// <summary>The key that made the requests (the playground's own id for playground requests).</summary>
    public Guid KeyId { get; init; }

    public required string ModelId { get; init; }

    public long Requests { get; init; }

    public long PromptTokens { get; init; }

    public long CompletionTokens { get; init; }

    public decimal Cost { get; init; }
}

using System.Globalization;

namespace LlmTr.Modules.Billing;

internal sealed class BillingOptions
{
    public const string Section = "Billing";

    /// <summary>The platform margin added to a top-up's charge (0.06 = 6%); stored on each top-up as it is made.</summary>
    public decimal MarginRate { get; set; } = 0.06m;

    public decimal MinTopUp { get; set; } = 5m;

    public decimal MaxTopUp { get; set; } = 1000m;

    /// <summary>The credit amounts offered as one-click choices, comma-separated.</summary>
    public string TopUpPresets { get; set; } = "10,25,50,100";

    /// <summary>How long a checkout stays open; a top-up still pending then is abandoned.</summary>
    public TimeSpan PendingTopUpLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long the usage writer gathers rows before writing a batch (when the queue is not already full enough). It is
    /// also the crash-loss window: a host killed without warning (SIGKILL, power loss) loses the usage of the requests
    /// it finished in the last flush interval plus the time one batch write takes; a graceful stop (SIGTERM) writes
    /// everything queued before the process exits. A row is never written twice (its request id and start time are unique).
    /// </summary>
    public TimeSpan UsageFlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    public int UsageBatchSize { get; set; } = 500;

    /// <summary>
    /// Usage rows a host holds at most: queued, being written, or reserved by /v1 requests still running (each request
    /// reserves its row before it is served). While the database is away rows wait here and are written when it
    /// returns; when the bound is reached the gateway refuses new /v1 requests with 503 <c>service_unavailable</c>
    /// rather than drop usage or make requests wait. No row is ever dropped.
    /// </summary>
    public int UsageQueueCapacity { get; set; } = 100_000;

    /// <summary>The longest wait between attempts to write a batch while the database is away (the wait starts at one second and doubles).</summary>
    public TimeSpan UsageRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many months of per-request usage rows are kept (whole UTC months: a month's rows go once the month ended this
    /// many months ago, and only once the daily roll-up holds all its days). The daily roll-ups, the ledger and balances
    /// are kept regardless; charts read the roll-ups for older days.
    /// </summary>
    public int UsageRetentionMonths { get; set; } = 13;

    /// <summary>How many months after the current one have their usage partition made in advance (at start and daily).</summary>
    public int UsagePartitionsAhead { get; set; } = 3;

    /// <summary>
    /// Whether buyers can top up at all. An installation without a payment provider outside Development and the local demo
    /// must turn this off to start: it then shows a notice instead of the top-up form and refuses every top-up, rather
    /// than hand out credit through the built-in test checkout.
    /// </summary>
    public bool TopUpsEnabled { get; set; } = true;

    /// <summary>
    /// The tax (KDV) charged on a top-up's credit and margin together (0.20 = 20%), added to its total; zero charges none.
    /// Stored on each top-up as it is made, so receipts never change with the setting.
    /// </summary>
    public decimal TaxRate { get; set; }

    /// <summary>What the tax is called on quotes, checkouts and receipts.</summary>
    public string TaxName { get; set; } = "KDV";

    /// <summary>The platform currency: the catalog's (<c>Catalog:Currency</c>), set by the module, not bound from this section.</summary>
    public string Currency { get; set; } = "USD";

    public IReadOnlyList<decimal> Presets() => TopUpPresets
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(p => decimal.Parse(p, NumberStyles.Number, CultureInfo.InvariantCulture))
        .Where(p => p >= MinTopUp && p <= MaxTopUp)
        .ToList();
}

/// <summary>
/// The seller printed on every receipt. Required (all four) where real payments are taken: outside Development and the
/// local demo while top-ups are on. Each top-up keeps the details in force when it was made.
/// </summary>
internal sealed class SellerOptions
{
    public const string Section = "Billing:Seller";

    public string? LegalName { get; set; }

    public string? Address { get; set; }

    public string? TaxOffice { get; set; }

    public string? TaxNumber { get; set; }

    public bool IsComplete => !string.IsNullOrWhiteSpace(LegalName) && !string.IsNullOrWhiteSpace(Address)
        && !string.IsNullOrWhiteSpace(TaxOffice) && !string.IsNullOrWhiteSpace(TaxNumber);

    public bool IsEmpty => string.IsNullOrWhiteSpace(LegalName) && string.IsNullOrWhiteSpace(Address)
        && string.IsNullOrWhiteSpace(TaxOffice) && string.IsNullOrWhiteSpace(TaxNumber);
}

/// <summary>
/// Stripe, when configured. With no secret key, the built-in test payment provider takes its place, but only where the
/// host allows test payments (Development and the local demo); elsewhere top-ups must be turned off instead.
/// </summary>
internal sealed class StripeOptions
{
    public const string Section = "Stripe";

    /// <summary>Stripe's API address; tests and staging point it elsewhere.</summary>
    public string? ApiBase { get; set; }

    public string? SecretKey { get; set; }

    public string? WebhookSecret { get; set; }

    /// <summary>How old a webhook's signed timestamp may be.</summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(SecretKey);
}

using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Data;
using LlmTr.Modules.Billing.Payments;
using LlmTr.SharedKernel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Billing.TopUps;

internal sealed partial class TopUpService(
    IDbContextFactory<BillingDbContext> contexts,
    IPaymentProvider provider,
    IOptions<BillingOptions> options,
    IOptions<SellerOptions> seller,
    TimeProvider time,
    ILogger<TopUpService> logger) : ITopUps
{
    public const string CreditField = "Credit";
    public const string PaymentField = "Payment";
    public const string TopUpsField = "TopUps";

    public TopUpTerms Terms => new(
        options.Value.MinTopUp, options.Value.MaxTopUp, options.Value.Presets(), options.Value.MarginRate, options.Value.Currency,
        TestPayments: provider is TestPaymentProvider,
        Enabled: options.Value.TopUpsEnabled && provider is not NoPaymentProvider,
        TaxRate: options.Value.TaxRate,
        TaxName: options.Value.TaxName);

    public async Task<StartTopUpResult> StartAsync(string accountId, decimal credit, Uri siteBase, CancellationToken cancellationToken = default)
    {
        var terms = Terms;
        if (!terms.Enabled)
        {
            // Nothing is recorded: with top-ups off there is no checkout to send the buyer to.
            return StartTopUpResult.Invalid(TopUpsField, "Top-ups are turned off on this installation.");
        }

        if (Problem(credit, terms) is { } problem)
        {
            return StartTopUpResult.Invalid(CreditField, problem);
        }

        var now = time.GetUtcNow();
        var quote = terms.Quote(credit);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var buyer = await db.BillingDetails.AsNoTracking().SingleOrDefaultAsync(d => d.AccountId == accountId, cancellationToken);
        var sellerNow = seller.Value.IsEmpty ? null : seller.Value;
        var topUp = new TopUpRecord
        {
            Id = Guid.CreateVersion7(now),
            AccountId = accountId,
            CreatedAt = now,
            ExpiresAt = now + options.Value.PendingTopUpLifetime,
            Credit = quote.Credit,
            MarginRate = quote.MarginRate,
            Margin = quote.Margin,
            Total = quote.Total,
            Currency = quote.Currency,
            Status = TopUpStatus.Pending,
            Provider = provider.Name,
            TaxRate = quote.TaxRate,
            Tax = quote.Tax,
            TaxName = terms.TaxName,
            SellerLegalName = sellerNow?.LegalName?.Trim() ?? (sellerNow is null ? null : ""),
            SellerAddress = sellerNow?.Address?.Trim(),
            SellerTaxOffice = sellerNow?.TaxOffice?.Trim(),
            SellerTaxNumber = sellerNow?.TaxNumber?.Trim(),
            BuyerKind = buyer?.Kind,
            BuyerName = buyer?.Name,
            BuyerAddress = buyer?.Address,
            BuyerTaxOffice = buyer?.TaxOffice,
            BuyerTaxId = buyer?.TaxId,
        };
        db.TopUps.Add(topUp);
        await db.SaveChangesAsync(cancellationToken);

        Checkout checkout;
        try
        {
            checkout = await provider.OpenCheckoutAsync(topUp, siteBase, cancellationToken);
        }
        catch (Exception e) when (e is Stripe.StripeException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            topUp.Status = TopUpStatus.Failed;
            topUp.StatusReason = "The payment provider could not open a checkout.";
            await db.SaveChangesAsync(CancellationToken.None);
            LogCheckoutFailed(logger, topUp.Id, e.GetType().Name);
            return StartTopUpResult.Invalid(PaymentField, "The payment provider is not answering, and nothing was charged. Please try again in a moment.");
        }

        topUp.CheckoutId = checkout.Id;
        await db.SaveChangesAsync(cancellationToken);
        return new StartTopUpResult(topUp.Id, checkout.Url, new Dictionary<string, string[]>());
    }

    public async Task<IReadOnlyList<TopUpSummary>> ListAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var topUps = await db.TopUps.AsNoTracking().Where(t => t.AccountId == accountId)
            .OrderByDescending(t => t.CreatedAt).Take(200).ToListAsync(cancellationToken);
        return topUps.Select(t => t.ToContract()).ToList();
    }

    public async Task<TopUpSummary?> FindAsync(string accountId, Guid topUpId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var topUp = await db.TopUps.AsNoTracking().SingleOrDefaultAsync(t => t.Id == topUpId && t.AccountId == accountId, cancellationToken);
        return topUp?.ToContract();
    }

    /// <summary>Why a credit amount cannot be bought, or null when it can.</summary>
    public static string? Problem(decimal credit, TopUpTerms terms)
    {
        if (credit < terms.MinCredit || credit > terms.MaxCredit)
        {
            return $"Choose a credit amount from {terms.MinCredit:0.##} to {terms.MaxCredit:0.##} {terms.Currency}.";
        }

        var digits = Money.MinorUnitDigits(terms.Currency);
        return decimal.Round(credit, digits) == credit ? null : $"Use at most {digits} decimal places.";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not open a checkout for top-up {TopUpId} ({Error}); it is marked failed")]
    private static partial void LogCheckoutFailed(ILogger logger, Guid topUpId, string error);
}

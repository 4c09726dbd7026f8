using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Data;
using LlmTr.Modules.Billing.TopUps;
using Microsoft.EntityFrameworkCore;

namespace LlmTr.Modules.Billing.Payments;

/// <summary>
/// The local default when no Stripe key is configured: the "checkout" is the site's own clearly marked test page,
/// and paying there settles the top-up through <see cref="TopUpSettlement"/> exactly as a Stripe webhook would.
/// </summary>
internal sealed class TestPaymentProvider : IPaymentProvider
{
    public const string ProviderName = "test";

    public string Name => ProviderName;

    public static string CheckoutPath(Guid topUpId) => $"/billing/test-checkout/{topUpId}";

    public Task<Checkout> OpenCheckoutAsync(TopUpRecord topUp, Uri siteBase, CancellationToken cancellationToken) =>
        Task.FromResult(new Checkout($"test_cs_{topUp.Id:N}", new Uri(siteBase, CheckoutPath(topUp.Id))));

    public Task<CheckoutState?> GetCheckoutAsync(string checkoutId, CancellationToken cancellationToken) => Task.FromResult<CheckoutState?>(null);

    /// <summary>The test checkout is this site's own page: it refuses any top-up no longer pending, so there is nothing else to close.</summary>
    public Task<CheckoutState?> CloseCheckoutAsync(string checkoutId, CancellationToken cancellationToken) => Task.FromResult<CheckoutState?>(null);
}

/// <summary>The host's word on whether the built-in test checkout may exist here: only in Development and the local demo.</summary>
internal sealed record TestPaymentsPolicy(bool Allowed);

/// <summary>
/// No payment provider: top-ups are turned off (<c>Billing:TopUpsEnabled=false</c>) and neither Stripe nor test payments
/// are available. No checkout can be opened, so no credit can be bought.
/// </summary>
internal sealed class NoPaymentProvider : IPaymentProvider
{
    public string Name => "none";

    public Task<Checkout> OpenCheckoutAsync(TopUpRecord topUp, Uri siteBase, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("Top-ups are turned off: there is no payment provider.");

    public Task<CheckoutState?> GetCheckoutAsync(string checkoutId, CancellationToken cancellationToken) => Task.FromResult<CheckoutState?>(null);

    public Task<CheckoutState?> CloseCheckoutAsync(string checkoutId, CancellationToken cancellationToken) => Task.FromResult<CheckoutState?>(null);
}

internal sealed class TestCheckout(
    IDbContextFactory<BillingDbContext> contexts, TopUpSettlement settlement, IPaymentProvider provider, ITopUps topUps) : ITestCheckout
{
    public bool IsEnabled => provider is TestPaymentProvider;

    public async Task<TopUpSummary?> PayAsync(string accountId, Guid topUpId, CancellationToken cancellationToken = default)
    {
        if (await OwnedAsync(accountId, topUpId, cancellationToken) is not { } topUp)
        {
            return null;
        }

        if (topUp.Status != TopUpStatus.Pending)
        {
            return topUp.ToContract();
        }

        await settlement.PaidAsync(new PaymentNotice(
            topUp.Id, topUp.CheckoutId, MinorUnits.Of(topUp.Total, topUp.Currency), topUp.Currency,
            PaymentReference: $"test_pay_{topUp.Id:N}", EventId: $"test:{topUp.Id:N}:paid", EventType: "test.payment_succeeded"), cancellationToken);
        return await topUps.FindAsync(accountId, topUpId, cancellationToken);
    }

    public async Task<TopUpSummary?> CancelAsync(string accountId, Guid topUpId, CancellationToken cancellationToken = default)
    {
        if (await OwnedAsync(accountId, topUpId, cancellationToken) is not { } topUp)
        {
            return null;
        }

        if (topUp.Status != TopUpStatus.Pending)
        {
            return topUp.ToContract();
        }

        await settlement.ExpiredAsync(topUp.Id, $"test:{topUp.Id:N}:cancelled", "test.checkout_cancelled", "Cancelled at the test checkout.", cancellationToken);
        return await topUps.FindAsync(accountId, topUpId, cancellationToken);
    }

    /// <summary>The account's own test top-up, whatever its state: only a pending one can be paid or cancelled.</summary>
    private async Task<TopUpRecord?> OwnedAsync(string accountId, Guid topUpId, CancellationToken cancellationToken)
    {
        if (!IsEnabled)
        {
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.TopUps.AsNoTracking().SingleOrDefaultAsync(
            t => t.Id == topUpId && t.AccountId == accountId && t.Provider == TestPaymentProvider.ProviderName, cancellationToken);
    }
}

using LlmTr.Identity.Closing;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Keys.Contracts;

namespace LlmTr.Web.Account;

/// <summary>
/// Deleting an account at its owner's request spans three owners, each asked through its contract. Identity first marks
/// the account as being deleted (no new keys or top-ups from then on), then Keys revokes every key (and tells every
/// host), Billing calls off unpaid top-ups and removes the billing details, and Identity last removes the personal data
/// and every session in one transaction. Each step may run again, so a deletion that stopped half-way leaves an account
/// that cannot be used, whose owner can still sign in and delete it again. The ledger, usage rows and the receipts of
/// completed top-ups stay: they name the account by its id only, and invoices must be kept.
/// </summary>
internal sealed class AccountDeletion(
    IAccountClosure accounts, IApiKeyAdministration keys, ITopUps topUps, IPendingTopUps pendingTopUps, IBillingProfiles billingProfiles)
{
    public async Task<DeletionOutcome> DeleteAsync(string userId, CancellationToken cancellationToken = default)
    {
        switch (await accounts.BeginAsync(userId, cancellationToken))
        {
            case ClosureStart.NotFound:
                return DeletionOutcome.NotFound;
            case ClosureStart.LastAdmin:
                return DeletionOutcome.LastAdmin;
            case ClosureStart.LastOwner:
                return DeletionOutcome.LastOwner;
        }

        await keys.RevokeAllAsync(userId, userId, cancellationToken);

        foreach (var topUp in await topUps.ListAsync(userId, cancellationToken))
        {
            if (topUp.Status != TopUpStatus.Pending)
            {
                continue;
            }

            // The checkout is closed at the payment provider: if it cannot be reached, the account is not removed yet,
            // because a checkout left open could still take a payment. Asking again finishes the deletion.
            var cancelled = await pendingTopUps.CancelAsync(userId, topUp.Id, cancellationToken);
            if (cancelled.Outcome == PendingTopUpOutcome.ProviderUnavailable)
            {
                return DeletionOutcome.PaymentProviderUnavailable;
            }
        }

        await billingProfiles.DeleteAsync(userId, cancellationToken);
        return await accounts.CompleteAsync(userId, cancellationToken) ? DeletionOutcome.Deleted : DeletionOutcome.NotFound;
    }
}

internal enum DeletionOutcome
{
    Deleted,
    NotFound,
    LastAdmin,
    LastOwner,
    PaymentProviderUnavailable,
}

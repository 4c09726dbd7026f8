using System.Data.Common;

namespace LlmTr.SharedKernel;

/// <summary>
/// The audit log of admin actions (catalog edits, price changes, key revocations, ledger adjustments, refunds, disabling
/// and enabling users). Each module records its own actions here, inside the transaction of the action when it has one,
/// so an action and its audit row commit or roll back together.
/// </summary>
public interface IAdminAudit
{
    /// <param name="transaction">The action's open transaction on the shared database, or null to write on a connection of its own.</param>
    Task RecordAsync(AdminAction action, DbTransaction? transaction, CancellationToken cancellationToken = default);
}

/// <param name="Actor">Who acted: the admin's e-mail or user id, or the operator of a management command.</param>
/// <param name="Action">What was done, one of <see cref="AdminActions"/>.</param>
/// <param name="Target">What it was done to, as <c>kind:id</c> (<c>model:openai/gpt-4o</c>, <c>user:…</c>, <c>key:…</c>).</param>
/// <param name="Details">A short summary of the change (never a secret).</param>
public sealed record AdminAction(string Actor, string Action, string Target, string? Details = null);

/// <summary>The names of audited actions, so the log can be filtered by them.</summary>
public static class AdminActions
{
    public const string ProviderSaved = "provider.saved";
    public const string ModelSaved = "model.saved";
    public const string PriceSet = "price.set";
    public const string DeploymentSaved = "deployment.saved";
    public const string AccountSaved = "account.saved";
    public const string CredentialSet = "credential.set";
    public const string CredentialCleared = "credential.cleared";
    public const string KeyRevoked = "key.revoked";
    public const string CreditAdjusted = "credit.adjusted";
    public const string TopUpRefunded = "topup.refunded";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string EmailChanged = "user.email-changed";
    public const string AccountDeleted = "user.deleted";

    public static IReadOnlyList<string> All { get; } =
        [ProviderSaved, ModelSaved, PriceSet, DeploymentSaved, AccountSaved, CredentialSet, CredentialCleared, KeyRevoked, CreditAdjusted, TopUpRefunded, UserDisabled, UserEnabled, EmailChanged, AccountDeleted];
}

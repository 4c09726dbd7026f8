namespace LlmTr.Modules.Billing.Contracts;

/// <summary>The buyer's details printed on the account's receipts, kept in the billing schema.</summary>
public interface IBillingProfiles
{
    /// <summary>Null until the owner saves them.</summary>
    Task<BillingDetails?> GetAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves the details when they are valid; otherwise changes nothing and answers the problems, each as a
    /// <see cref="BillingDetailsProblem"/> code per field (<c>Name</c>, <c>Address</c>, <c>TaxOffice</c>, <c>TaxId</c>).
    /// Top-ups made from then on carry them; earlier receipts keep what they had.
    /// </summary>
    Task<IReadOnlyDictionary<string, string[]>> SaveAsync(string accountId, BillingDetails details, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the saved details (the account is being deleted); removing none is not an error. Receipts of earlier
    /// top-ups keep the buyer's details they were issued with: invoices must be kept for years by law.
    /// </summary>
    Task DeleteAsync(string accountId, CancellationToken cancellationToken = default);
}

public enum BuyerKind
{
    /// <summary>A person: the tax id is the 11-digit T.C. kimlik no.</summary>
    Individual,

    /// <summary>A company: the tax id is the 10-digit vergi kimlik no, with its tax office.</summary>
    Company,
}

/// <param name="Name">The person's full name, or the company's legal name.</param>
/// <param name="TaxOffice">The tax office (vergi dairesi); required for a company.</param>
/// <param name="TaxId">T.C. kimlik no (individual) or vergi kimlik no (company).</param>
public sealed record BillingDetails(BuyerKind Kind, string Name, string Address, string? TaxOffice, string TaxId);

/// <summary>Why a billing-details field was refused; the pages word each in the visitor's language.</summary>
public static class BillingDetailsProblem
{
    public const string Required = "Required";
    public const string TooLong = "TooLong";
    public const string NationalIdInvalid = "NationalIdInvalid";
    public const string TaxNumberInvalid = "TaxNumberInvalid";
    public const string ControlCharacters = "ControlCharacters";
}

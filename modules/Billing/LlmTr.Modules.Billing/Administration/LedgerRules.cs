using FluentValidation;
using FluentValidation.Results;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Billing.Administration;

/// <summary>A hand-made change to a balance: an amount in the currency's minor units, why, and who.</summary>
internal sealed record ManualEntry(decimal Amount, string Reason, string Actor, string Currency);

internal sealed class ManualEntryValidator : AbstractValidator<ManualEntry>
{
    public const decimal MaxAmount = 1_000_000m;

    public ManualEntryValidator()
    {
        RuleFor(e => e.Amount).NotEqual(0m).WithMessage("Enter an amount other than zero.")
            .Must(a => Math.Abs(a) <= MaxAmount).WithMessage($"At most {MaxAmount:N0} at a time.")
            .Must((e, a) => IsInMinorUnits(a, e.Currency)).WithMessage(e => $"Use at most {Money.MinorUnitDigits(e.Currency)} decimal places.");
        RuleFor(e => e.Reason).Must(r => r?.Trim().Length is >= 3 and <= 500).WithMessage("Give a reason of 3 to 500 characters: it is kept on the ledger.");
        RuleFor(e => e.Actor).Must(a => a?.Trim().Length is >= 1 and <= 256).WithMessage("Say who is making the change.");
    }

    public static bool IsInMinorUnits(decimal amount, string currency) =>
        decimal.Round(amount, Money.MinorUnitDigits(currency)) == amount;

    public static IReadOnlyDictionary<string, string[]> Errors(ValidationResult validation) => validation.Errors
        .GroupBy(e => e.PropertyName)
        .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
}

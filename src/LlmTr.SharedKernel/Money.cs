using System.Globalization;

namespace LlmTr.SharedKernel;

/// <summary>An amount of money in one currency. Always decimal: binary floating point cannot hold cents exactly.</summary>
public readonly record struct Money(decimal Amount, string Currency)
{
    public static Money Zero(string currency) => new(0m, currency);

    public static Money operator +(Money left, Money right) => new(left.Amount + right.Amount, SameCurrency(left, right));

    public static Money operator -(Money left, Money right) => new(left.Amount - right.Amount, SameCurrency(left, right));

    public Money Negate() => this with { Amount = -Amount };

    /// <summary>Rounds to the currency's minor unit, half away from zero (the rule used wherever money is shown or charged).</summary>
    public Money RoundToMinorUnit() => this with { Amount = Math.Round(Amount, MinorUnitDigits(Currency), MidpointRounding.AwayFromZero) };

    public static int MinorUnitDigits(string currency) => currency.ToUpperInvariant() switch
    {
        "JPY" or "KRW" => 0,
        _ => 2,
    };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Amount} {Currency}");

    private static string SameCurrency(Money left, Money right) =>
        string.Equals(left.Currency, right.Currency, StringComparison.OrdinalIgnoreCase)
            ? left.Currency
            : throw new InvalidOperationException($"Cannot combine {left.Currency} with {right.Currency}.");
}

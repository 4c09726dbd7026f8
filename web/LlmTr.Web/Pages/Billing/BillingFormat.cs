using System.Globalization;
using System.Security.Claims;
using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.Web.Pages.Billing;

/// <summary>Money as the billing pages show it, in the visitor's culture: two places for balances and charges, more for tiny usage costs.</summary>
internal static class BillingFormat
{
    public static string Amount(decimal amount, string currency) => string.Create(CultureInfo.CurrentCulture, $"{amount:N2} {currency}");

    /// <summary>A usage cost keeps up to six places: a request can cost a fraction of a cent.</summary>
    public static string Cost(decimal amount, string currency) => string.Create(CultureInfo.CurrentCulture, $"{amount:#,0.00####} {currency}");

    /// <summary>The rate in the culture's own percent pattern: "6%" in English, "%6" in Turkish.</summary>
    public static string Percent(decimal rate) => LlmTr.Web.Localization.Numbers.Percent(rate);

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The resource key of a top-up status's name.</summary>
    public static string StatusKey(TopUpStatus status) => status == TopUpStatus.Cancelled ? "TopUps_StatusCancelled" : $"Billing_Status{status}";

    public static MudBlazor.Color StatusColor(TopUpStatus status) => status switch
    {
        TopUpStatus.Completed => MudBlazor.Color.Success,
        TopUpStatus.Pending => MudBlazor.Color.Info,
        TopUpStatus.Flagged => MudBlazor.Color.Error,
        _ => MudBlazor.Color.Default,
    };

    public static string? AccountOf(ClaimsPrincipal? user) => user?.FindFirstValue(ClaimTypes.NameIdentifier);
}

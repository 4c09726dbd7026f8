using LlmTr.Web.Localization;

namespace LlmTr.Web.ModelPages;

/// <summary>Prices as the visitor's culture writes numbers; sub-cent token prices (0.075) keep their digits.</summary>
internal static class Money
{
    public static string Format(decimal amount, string currency) => Numbers.Money(amount, currency);
}

namespace LlmTr.Web.Pages.Billing;

/// <summary>What the activity charts show: a request count, tokens in and out, or spend.</summary>
public enum Metric
{
    Requests,
    Tokens,
    Spend,
}

/// <summary>Requests, tokens and spend added up over some usage.</summary>
public sealed record Figures(long Requests, long PromptTokens, long CompletionTokens, decimal Cost)
{
    public static Figures None { get; } = new(0, 0, 0, 0m);

    public long Tokens => PromptTokens + CompletionTokens;
}

/// <summary>One model's or one key's figures over the period, under the name shown.</summary>
public sealed record ActivityLine(string Name, Figures Figures);

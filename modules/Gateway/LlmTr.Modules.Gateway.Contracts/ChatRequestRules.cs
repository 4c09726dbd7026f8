namespace LlmTr.Modules.Gateway.Contracts;

/// <summary>
/// What a chat completion request may hold, exactly as the gateway checks it: the documentation's parameter table is
/// rendered from these, so the published ranges are the enforced ones.
/// </summary>
public interface IChatRequestRules
{
    IReadOnlyList<ParameterRule> Parameters { get; }

    /// <summary>The largest request body accepted, in bytes (larger ones get 413 <c>request_too_large</c>).</summary>
    long MaxRequestBytes { get; }
}

/// <summary>One rule on one request field. <see cref="Max"/> is null when only a lower bound applies.</summary>
public sealed record ParameterRule(string Field, ParameterRuleKind Kind, double? Min = null, double? Max = null, IReadOnlyList<string>? Values = null);

public enum ParameterRuleKind
{
    /// <summary>A number from <see cref="ParameterRule.Min"/> to <see cref="ParameterRule.Max"/>.</summary>
    Number,

    /// <summary>A whole number from <see cref="ParameterRule.Min"/> (to <see cref="ParameterRule.Max"/>, when set).</summary>
    WholeNumber,

    /// <summary>A string or an array of at most <see cref="ParameterRule.Max"/> strings.</summary>
    MaxItems,

    /// <summary>An object of at most <see cref="ParameterRule.Max"/> string pairs.</summary>
    MaxPairs,

    /// <summary>One of <see cref="ParameterRule.Values"/>.</summary>
    OneOf,
}

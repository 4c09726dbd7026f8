using LlmTr.Modules.Gateway.Contracts;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Gateway.Chat;

/// <summary>The validator's own ranges and limits, told to the documentation.</summary>
internal sealed class ChatRequestRules(IOptions<GatewayOptions> options) : IChatRequestRules
{
    public IReadOnlyList<ParameterRule> Parameters { get; } =
    [
        .. ChatRequestValidator.NumberRanges.Select(r => new ParameterRule(r.Field, ParameterRuleKind.Number, r.Min, r.Max)),
        .. ChatRequestValidator.WholeNumberRanges.Select(r => new ParameterRule(r.Field, ParameterRuleKind.WholeNumber, r.Min, r.Max)),
        .. ChatRequestValidator.TokenLimitFields.Select(f => new ParameterRule(f, ParameterRuleKind.WholeNumber, ChatRequestValidator.MinTokens)),
        new("stop", ParameterRuleKind.MaxItems, Max: ChatRequestValidator.MaxStopSequences),
        new("metadata", ParameterRuleKind.MaxPairs, Max: ChatRequestValidator.MaxMetadataPairs),
        new("reasoning_effort", ParameterRuleKind.OneOf, Values: [.. ChatRequestValidator.ReasoningEfforts]),
        new("messages[].role", ParameterRuleKind.OneOf, Values: [.. ChatRequestValidator.Roles]),
    ];

    public long MaxRequestBytes => options.Value.MaxRequestBytes;
}

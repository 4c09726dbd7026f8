using LlmTr.Modules.Gateway.Contracts;

namespace LlmTr.Web.Pages.Playground;

/// <summary>
/// The playground's settings and message, checked before anything is sent. The problems are resource keys; the ranges
/// are the API's own (the gateway checks them again and its message would be shown if they ever differed).
/// </summary>
internal sealed class PlaygroundForm
{
    public const double MaxTemperature = 2;
    public const int MaxMaxTokens = 1_000_000;

    /// <summary>A system prompt is instructions, not a document: a bound keeps a pasted file out of every request.</summary>
    public const int MaxSystemPromptLength = 20_000;

    public string Model { get; set; } = "";

    /// <summary>Send each message to a second model too, side by side.</summary>
    public bool Compare { get; set; }

    public string CompareModel { get; set; } = "";

    public string? SystemPrompt { get; set; }

    public double? Temperature { get; set; } = 0.7;

    public int? MaxTokens { get; set; } = 512;

    public string? Message { get; set; }

    public string? TemperatureProblem => Temperature is < 0 or > MaxTemperature ? "Playground_TemperatureRange" : null;

    public string? MaxTokensProblem => MaxTokens is < 1 or > MaxMaxTokens ? "Playground_MaxTokensRange" : null;

    public string? SystemPromptProblem => SystemPrompt is { Length: > MaxSystemPromptLength } ? "Dash_PlaygroundSystemTooLong" : null;

    public string? CompareModelProblem => Compare && CompareModel.Length == 0 ? "Dash_PlaygroundCompareRequired" : null;

    public string? MessageProblem { get; private set; }

    /// <summary>The models each message goes to: one, or two side by side.</summary>
    public IReadOnlyList<string> Models => Compare ? [Model, CompareModel] : [Model];

    /// <summary>True when the message can be sent; otherwise the problems are set for the fields to show.</summary>
    public bool Validate()
    {
        MessageProblem = string.IsNullOrWhiteSpace(Message) ? "Playground_MessageRequired" : null;
        return MessageProblem is null && TemperatureProblem is null && MaxTokensProblem is null && SystemPromptProblem is null
            && CompareModelProblem is null && Model.Length > 0;
    }

    /// <summary>
    /// The request for <paramref name="model"/>: the system prompt (when set) first, then that model's conversation so
    /// far, then the message being written when <paramref name="includeDraft"/>.
    /// </summary>
    public PlaygroundRequest ToRequest(string model, IReadOnlyList<PlaygroundMessage> history, bool includeDraft)
    {
        var messages = new List<PlaygroundMessage>(history.Count + 2);
        if (!string.IsNullOrWhiteSpace(SystemPrompt))
        {
            messages.Add(new PlaygroundMessage("system", SystemPrompt.Trim()));
        }

        messages.AddRange(history);
        if (includeDraft && !string.IsNullOrWhiteSpace(Message))
        {
            messages.Add(new PlaygroundMessage("user", Message.Trim()));
        }

        return new PlaygroundRequest(model, messages, Temperature, MaxTokens);
    }
}

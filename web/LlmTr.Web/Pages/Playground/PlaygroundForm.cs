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

    public string Model { get; set; } = "";

    public double? Temperature { get; set; } = 0.7;

    public int? MaxTokens { get; set; } = 512;

    public string? Message { get; set; }

    public string? TemperatureProblem => Temperature is < 0 or > MaxTemperature ? "Playground_TemperatureRange" : null;

    public string? MaxTokensProblem => MaxTokens is < 1 or > MaxMaxTokens ? "Playground_MaxTokensRange" : null;

    public string? MessageProblem { get; private set; }

    /// <summary>True when the message can be sent; otherwise the problems are set for the fields to show.</summary>
    public bool Validate()
    {
        MessageProblem = string.IsNullOrWhiteSpace(Message) ? "Playground_MessageRequired" : null;
        return MessageProblem is null && TemperatureProblem is null && MaxTokensProblem is null && Model.Length > 0;
    }

    public PlaygroundRequest ToRequest(IReadOnlyList<PlaygroundMessage> history, bool includeDraft)
    {
        var messages = history.ToList();
        if (includeDraft && !string.IsNullOrWhiteSpace(Message))
        {
            messages.Add(new PlaygroundMessage("user", Message.Trim()));
        }

        return new PlaygroundRequest(Model, messages, Temperature, MaxTokens);
    }
}

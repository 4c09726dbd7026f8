namespace LlmTr.Modules.Gateway.Protocols.Anthropic;

/// <summary>Anthropic's <c>stop_reason</c> as OpenAI's <c>finish_reason</c>.</summary>
internal static class AnthropicStopReason
{
    /// <param name="answeredWithTool">The answer came as the <c>json_schema</c> answer tool: that is a finished answer, not a tool call.</param>
    public static string ToFinishReason(string? stopReason, bool answeredWithTool) => stopReason switch
    {
        "max_tokens" or "model_context_window_exceeded" => "length",
        "tool_use" => answeredWithTool ? "stop" : "tool_calls",
        "refusal" => "content_filter",

        // end_turn, stop_sequence, pause_turn (a server tool's turn paused), and any reason added later.
        _ => "stop",
    };
}

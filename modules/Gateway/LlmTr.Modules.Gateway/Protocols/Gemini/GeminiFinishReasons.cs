namespace LlmTr.Modules.Gateway.Protocols.Gemini;

/// <summary>
/// Gemini's <c>finishReason</c> as OpenAI's. OpenAI SDKs accept only their own values (the .NET SDK throws on others),
/// so every reason maps to one: filters of any kind → content_filter, the token limit → length, a candidate that
/// called functions → tool_calls, everything else (STOP, OTHER, MALFORMED_FUNCTION_CALL, …) → stop.
/// </summary>
internal static class GeminiFinishReasons
{
    public const string ContentFilter = "content_filter";

    public static string ToOpenAi(string reason, bool calledFunctions) => reason switch
    {
        "MAX_TOKENS" => "length",
        "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII"
            or "IMAGE_SAFETY" or "IMAGE_PROHIBITED_CONTENT" or "IMAGE_RECITATION" => ContentFilter,
        _ when calledFunctions => "tool_calls",
        _ => "stop",
    };
}

using System.Text.Json.Serialization;

namespace LlmTr.SharedKernel;

/// <summary>The error body every /v1 endpoint returns: <c>{"error":{"message","type","param","code"}}</c>.</summary>
public sealed record OpenAiErrorResponse([property: JsonPropertyName("error")] OpenAiError Error);

public sealed record OpenAiError(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param")] string? Param,
    [property: JsonPropertyName("code")] string? Code);

/// <summary>The status/type pairs of the public error table (Chat Completions doc, "Hata kodları").</summary>
public static class OpenAiErrorTypes
{
    public const string InvalidRequest = "invalid_request_error"; // 400
    public const string Authentication = "auth_error"; // 401
    public const string InsufficientCredits = "insufficient_credits"; // 402
    public const string Forbidden = "forbidden"; // 403
    public const string NotFound = "not_found_error"; // 404
    public const string RateLimitExceeded = "rate_limit_exceeded"; // 429
    public const string Internal = "internal_error"; // 500
    public const string Provider = "provider_error"; // 502
    public const string Unavailable = "service_unavailable"; // 503

    public static int StatusCodeOf(string type) => type switch
    {
        InvalidRequest => 400,
        Authentication => 401,
        InsufficientCredits => 402,
        Forbidden => 403,
        NotFound => 404,
        RateLimitExceeded => 429,
        Provider => 502,
        Unavailable => 503,
        _ => 500,
    };
}

using System.Text.Json.Serialization;

namespace LlmTr.SharedKernel;

/// <summary>
/// The error body of Anthropic's Messages API, which /v1/messages answers with instead of OpenAI's:
/// <c>{"type":"error","error":{"type","message"},"request_id"}</c>. The status is the one the <see cref="ApiErrors"/>
/// definition gives; the type is Anthropic's name for that status, so Anthropic's SDKs raise their usual exceptions.
/// </summary>
public sealed record AnthropicErrorResponse(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("error")] AnthropicError Error,
    [property: JsonPropertyName("request_id")] string? RequestId)
{
    public static AnthropicErrorResponse For(int status, string message, string? requestId = null) =>
        new("error", new AnthropicError(AnthropicError.TypeFor(status), message), requestId);
}

public sealed record AnthropicError(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("message")] string Message)
{
    /// <summary>Anthropic's error type for an HTTP status (its documented table; other 4xx are invalid requests, other 5xx API errors).</summary>
    public static string TypeFor(int status) => status switch
    {
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        503 or 529 => "overloaded_error",
        504 => "timeout_error",
        >= 400 and < 500 => "invalid_request_error",
        _ => "api_error",
    };
}

/// <summary>
/// Endpoint metadata: this endpoint speaks Anthropic's API, so whoever answers for it before the endpoint runs (key
/// authentication, rate limits) answers errors in Anthropic's shape.
/// </summary>
public sealed class AnthropicApiEndpoint
{
    public static AnthropicApiEndpoint Instance { get; } = new();

    private AnthropicApiEndpoint()
    {
    }
}

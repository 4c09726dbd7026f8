using LlmTr.SharedKernel;

namespace LlmTr.Modules.Gateway.Chat;

/// <summary>An OpenAI-style error the gateway answers with, and its HTTP status.</summary>
internal sealed record GatewayError(int Status, OpenAiError Error)
{
    public static GatewayError Invalid(string message, string? param, string? code = null) =>
        new(400, new OpenAiError(message, OpenAiErrorTypes.InvalidRequest, param, code));

    public static GatewayError Forbidden(string message, string? code) =>
        new(403, new OpenAiError(message, OpenAiErrorTypes.Forbidden, "model", code));

    public static GatewayError Provider(string message, string code = "provider_error") =>
        new(502, new OpenAiError(message, OpenAiErrorTypes.Provider, null, code));

    public static GatewayError RateLimited(string message) =>
        new(429, new OpenAiError(message, OpenAiErrorTypes.RateLimitExceeded, null, "rate_limit_exceeded"));

    public static GatewayError InsufficientCredits(string message) =>
        new(402, new OpenAiError(message, OpenAiErrorTypes.InsufficientCredits, null, "insufficient_credits"));

    public static GatewayError Internal(string requestId) =>
        new(500, new OpenAiError($"The gateway failed while handling your request. Quote request id {requestId} if you contact support.", OpenAiErrorTypes.Internal, null, "internal_error"));

    public static GatewayError Unavailable(string message) =>
        new(503, new OpenAiError(message, OpenAiErrorTypes.Unavailable, null, "service_unavailable"));
}

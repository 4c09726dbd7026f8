using System.Globalization;
using System.Text.Json;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace LlmTr.Modules.Keys.Limits;

/// <summary>
/// After key authentication has established the key: counts the request against the key's per-minute limit, answers 429
/// with Retry-After when it is spent, and puts OpenAI's x-ratelimit-* request headers on every /v1 response.
/// </summary>
internal sealed class RateLimitMiddleware(RequestDelegate next, RequestRateLimiter limiter)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // Set by key authentication when this request's endpoint required a key and the key was valid.
        if (context.Features.Get<ApiKeyIdentity>() is not { } key)
        {
            await next(context);
            return;
        }

        var decision = await limiter.TakeAsync(key.LineageId, key.RequestsPerMinute); // a rotated key and its replacement share one window
        var headers = context.Response.Headers;
        var resetSeconds = Math.Max(1, (int)Math.Ceiling(decision.ResetsIn.TotalSeconds));
        headers["x-ratelimit-limit-requests"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-remaining-requests"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-reset-requests"] = $"{resetSeconds}s";
        if (decision.Allowed)
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = ApiErrors.RateLimitExceeded.Status;
        headers[HeaderNames.RetryAfter] = resetSeconds.ToString(CultureInfo.InvariantCulture);
        context.Response.ContentType = "application/json";
        var message = $"Rate limit reached for this API key: {decision.Limit} requests per minute. Try again in {resetSeconds} s.";
        if (context.GetEndpoint()?.Metadata.GetMetadata<AnthropicApiEndpoint>() is not null)
        {
            await JsonSerializer.SerializeAsync(context.Response.Body, AnthropicErrorResponse.For(ApiErrors.RateLimitExceeded.Status, message, context.TraceIdentifier),
                KeysJson.Default.AnthropicErrorResponse, context.RequestAborted);
            return;
        }

        await JsonSerializer.SerializeAsync(context.Response.Body,
            new OpenAiErrorResponse(ApiErrors.RateLimitExceeded.With(message)),
            KeysJson.Default.OpenAiErrorResponse, context.RequestAborted);
    }
}

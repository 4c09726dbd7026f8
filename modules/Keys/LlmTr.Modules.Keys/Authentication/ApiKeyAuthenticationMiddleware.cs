using System.Text.Json;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Modules.Keys.Directory;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace LlmTr.Modules.Keys.Authentication;

/// <summary>
/// /v1 authentication as one small step: on an endpoint marked <see cref="ApiKeyRequired"/>, reads the bearer key (or
/// Anthropic's <c>x-api-key</c> header, which Anthropic's SDKs send), asks the in-memory directory, and either sets the
/// caller's <see cref="ApiKeyIdentity"/> as a request feature (what the rate limit and the gateway read) or answers 401
/// with OpenAI's error object (type auth_error), or Anthropic's on an endpoint that speaks Anthropic's API. No claims
/// principal, authentication scheme or authorization policy is built for a /v1 request.
/// </summary>
internal sealed class ApiKeyAuthenticationMiddleware(RequestDelegate next, IApiKeyAuthenticator keys, LastUsedRecorder lastUsed, TimeProvider time)
{
    public const string AnthropicKeyHeader = "x-api-key";

    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<ApiKeyRequired>() is null)
        {
            return next(context); // the /v1 fallback (unknown addresses, wrong content types) answers without a key
        }

        var result = Authenticate(context.Request.Headers);
        if (result.Identity is not { } identity)
        {
            return RefuseAsync(context, result.Failure ?? ApiKeyFailure.Unknown);
        }

        lastUsed.Record(identity.KeyId, time.GetUtcNow());
        context.Features.Set(identity);
        return next(context);
    }

    private ApiKeyAuthentication Authenticate(IHeaderDictionary headers)
    {
        var header = headers.Authorization.ToString();
        ReadOnlySpan<char> rawKey;
        if (header.Length > 0)
        {
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return ApiKeyAuthentication.Fail(ApiKeyFailure.Malformed);
            }

            rawKey = header.AsSpan("Bearer ".Length).Trim();
        }
        else if (headers[AnthropicKeyHeader].ToString() is { Length: > 0 } apiKey)
        {
            rawKey = apiKey.AsSpan().Trim();
        }
        else
        {
            return ApiKeyAuthentication.Fail(ApiKeyFailure.Missing);
        }

        return keys.Authenticate(rawKey);
    }

    private static async Task RefuseAsync(HttpContext context, ApiKeyFailure failure)
    {
        var anthropic = context.GetEndpoint()?.Metadata.GetMetadata<AnthropicApiEndpoint>() is not null;
        var howToSend = anthropic ? "'x-api-key: llmtr-…' or 'Authorization: Bearer llmtr-…'" : "'Authorization: Bearer llmtr-…'";
        var message = failure switch
        {
            ApiKeyFailure.Missing => $"You didn't provide an API key. Send it in a header: {howToSend}.",
            ApiKeyFailure.Malformed => $"The API key is malformed. LLMTR keys look like 'llmtr-' followed by 43 characters, sent as {howToSend}.",
            ApiKeyFailure.Expired => "This API key has expired. Create a new key in the dashboard.",
            _ => "Invalid API key. Check the key, or create a new one in the dashboard.",
        };
        var response = context.Response;
        response.StatusCode = ApiErrors.InvalidApiKey.Status;
        response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        response.ContentType = "application/json";
        if (anthropic)
        {
            await JsonSerializer.SerializeAsync(response.Body, AnthropicErrorResponse.For(ApiErrors.InvalidApiKey.Status, message, context.TraceIdentifier),
                KeysJson.Default.AnthropicErrorResponse, context.RequestAborted);
            return;
        }

        var body = new OpenAiErrorResponse(ApiErrors.InvalidApiKey.With(message));
        await JsonSerializer.SerializeAsync(response.Body, body, KeysJson.Default.OpenAiErrorResponse, context.RequestAborted);
    }
}

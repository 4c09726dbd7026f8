using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Modules.Keys.Directory;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace LlmTr.Modules.Keys.Authentication;

/// <summary>
/// /v1 authentication with the framework's own mechanism: a scheme that reads the bearer key (or Anthropic's
/// <c>x-api-key</c> header, which Anthropic's SDKs send), asks the in-memory directory, and answers a failed challenge
/// with OpenAI's error object (status 401, type auth_error), or Anthropic's on an endpoint that speaks Anthropic's API.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IApiKeyAuthenticator keys,
    LastUsedRecorder lastUsed) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string AnthropicKeyHeader = "x-api-key";
    private const string FailureItem = "llmtr.api_key_failure";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        ReadOnlySpan<char> rawKey;
        if (header.Length > 0)
        {
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return Task.FromResult(Failed(ApiKeyFailure.Malformed));
            }

            rawKey = header.AsSpan("Bearer ".Length).Trim();
        }
        else if (Request.Headers[AnthropicKeyHeader].ToString() is { Length: > 0 } apiKey)
        {
            rawKey = apiKey.AsSpan().Trim();
        }
        else
        {
            return Task.FromResult(Failed(ApiKeyFailure.Missing));
        }

        var result = keys.Authenticate(rawKey);
        if (result.Identity is not { } identity)
        {
            return Task.FromResult(Failed(result.Failure ?? ApiKeyFailure.Unknown));
        }

        lastUsed.Record(identity.KeyId, TimeProvider.GetUtcNow());

        // The identity rides on the request as it is, so later steps (limits, the gateway) need not parse claims back.
        Context.Features.Set(identity);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, identity.OwnerUserId),
                new Claim(ApiKeyAuthorization.KeyIdClaim, identity.KeyId.ToString()),
                new Claim(ClaimTypes.Name, identity.Name),
            ],
            SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = Context.Items[FailureItem] as ApiKeyFailure? ?? ApiKeyFailure.Missing;
        var anthropic = Context.GetEndpoint()?.Metadata.GetMetadata<AnthropicApiEndpoint>() is not null;
        var howToSend = anthropic ? "'x-api-key: llmtr-…' or 'Authorization: Bearer llmtr-…'" : "'Authorization: Bearer llmtr-…'";
        var message = failure switch
        {
            ApiKeyFailure.Missing => $"You didn't provide an API key. Send it in a header: {howToSend}.",
            ApiKeyFailure.Malformed => $"The API key is malformed. LLMTR keys look like 'llmtr-' followed by 43 characters, sent as {howToSend}.",
            ApiKeyFailure.Expired => "This API key has expired. Create a new key in the dashboard.",
            _ => "Invalid API key. Check the key, or create a new one in the dashboard.",
        };
        Response.StatusCode = ApiErrors.InvalidApiKey.Status;
        Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        Response.ContentType = "application/json";
        if (anthropic)
        {
            await JsonSerializer.SerializeAsync(Response.Body, AnthropicErrorResponse.For(ApiErrors.InvalidApiKey.Status, message, Context.TraceIdentifier),
                KeysJson.Default.AnthropicErrorResponse, Context.RequestAborted);
            return;
        }

        var body = new OpenAiErrorResponse(ApiErrors.InvalidApiKey.With(message));
        await JsonSerializer.SerializeAsync(Response.Body, body, KeysJson.Default.OpenAiErrorResponse, Context.RequestAborted);
    }

    private AuthenticateResult Failed(ApiKeyFailure failure)
    {
        Context.Items[FailureItem] = failure;
        return AuthenticateResult.Fail(failure.ToString());
    }
}

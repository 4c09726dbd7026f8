using System.Text.Json;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LlmTr.Modules.Gateway;

/// <summary>
/// The outermost step of every /v1 request. It gives the request its id before anything can answer (key
/// authentication, the rate limit, the catalog's /v1/models, the gateway), so every answer carries <c>x-request-id</c>
/// (and Anthropic's <c>request-id</c> on the Messages API); the id is the request's <see cref="HttpContext.TraceIdentifier"/>,
/// so logs and error bodies name the same one. And it makes sure no /v1 answer is ever an HTML page, a stack trace or
/// an empty error: a fault nobody handled becomes a JSON 500 naming only the request id, a body the server refused to
/// read (chunked framing, the size limit) becomes the API's 400 or 413, and a bare error status gets a body.
/// </summary>
internal sealed partial class ApiAnswers(RequestDelegate next, TimeProvider time, ILogger<ApiAnswers> logger)
{
    public const string RequestIdHeader = "x-request-id";

    /// <summary>The header Anthropic's API names its request id in (its SDKs read it from there).</summary>
    public const string AnthropicRequestIdHeader = "request-id";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/v1"))
        {
            if (MissesV1(context))
            {
                context.TraceIdentifier = RequestIds.New(time.GetUtcNow());
                context.Response.Headers[RequestIdHeader] = context.TraceIdentifier;
                await WriteAsync(context, GatewayError.Of(ApiErrors.UnknownUrl,
                    $"Unknown request URL: {context.Request.Method} {context.Request.Path}. LLMTR's API is under /v1: set your client's base URL to "
                    + $"{context.Request.Scheme}://{context.Request.Host}/v1 (Anthropic's SDKs and Claude Code take the address without /v1)."));
                return;
            }

            await next(context);
            return;
        }

        var requestId = RequestIds.New(time.GetUtcNow());
        context.TraceIdentifier = requestId;
        context.Response.Headers[RequestIdHeader] = requestId;
        if (SpeaksAnthropic(context))
        {
            context.Response.Headers[AnthropicRequestIdHeader] = requestId;
        }

        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            // The server gave up on the body (broken chunked framing, or more bytes than it was allowed to read).
            await WriteAsync(context, Unreadable(e.StatusCode));
            return;
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            LogFault(logger, e, requestId);
            await WriteAsync(context, GatewayError.Internal(requestId));
            return;
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client is gone: there is no one to answer.
            return;
        }

        if (!context.Response.HasStarted && context.Response.StatusCode >= 400)
        {
            await WriteAsync(context, ForBareStatus(context));
        }
    }

    /// <summary>
    /// A call with an LLMTR key to an API path without its <c>/v1</c> (an OpenAI SDK given the site's address as its
    /// base URL): told how to fix the base URL in the API's error object, rather than answered with the site's HTML.
    /// Browsers send no key, so the site's own pages (<c>/models</c> among them) are untouched.
    /// </summary>
    private static bool MissesV1(HttpContext context)
    {
        var path = context.Request.Path;
        if (!(path.StartsWithSegments("/chat/completions") || path.StartsWithSegments("/completions") || path.StartsWithSegments("/responses")
            || path.StartsWithSegments("/embeddings") || path.StartsWithSegments("/images") || path.StartsWithSegments("/audio")
            || path.StartsWithSegments("/models") || path.StartsWithSegments("/messages")))
        {
            return false;
        }

        var headers = context.Request.Headers;
        return headers.Authorization.ToString().StartsWith("Bearer llmtr-", StringComparison.Ordinal)
            || headers["x-api-key"].ToString().StartsWith("llmtr-", StringComparison.Ordinal);
    }

    /// <summary>The error to answer when the server refused to read a body (its status says why).</summary>
    public static GatewayError Unreadable(int status) => status == StatusCodes.Status413PayloadTooLarge
        ? GatewayError.Of(ApiErrors.RequestTooLarge, "The request body is larger than the gateway accepts.")
        : GatewayError.Invalid("The request body could not be read: its HTTP framing is broken (a chunk or its length is malformed) or it was cut short.", null);

    /// <summary>Whether this request speaks Anthropic's API (its endpoint says so, or its address is the Messages API's).</summary>
    public static bool SpeaksAnthropic(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<AnthropicApiEndpoint>() is not null || context.Request.Path.StartsWithSegments("/v1/messages");

    /// <summary>Writes an error in the request's own API format, keeping the headers already set (request id, rate limit).</summary>
    public static async Task WriteAsync(HttpContext context, GatewayError error, int? status = null)
    {
        var response = context.Response;
        response.StatusCode = status ?? error.Status;
        response.ContentType = "application/json";
        response.ContentLength = null;
        if (SpeaksAnthropic(context))
        {
            await JsonSerializer.SerializeAsync(response.Body, AnthropicErrorResponse.For(response.StatusCode, error.Error.Message, context.TraceIdentifier),
                GatewayJson.Default.AnthropicErrorResponse, context.RequestAborted);
            return;
        }

        await JsonSerializer.SerializeAsync(response.Body, new OpenAiErrorResponse(error.Error), GatewayJson.Default.OpenAiErrorResponse, context.RequestAborted);
    }

    /// <summary>A body for an error status something set without one (the framework's own 4xx, a handler that gave up).</summary>
    private static Task WriteAsync(HttpContext context, (GatewayError Error, int Status) answer) => WriteAsync(context, answer.Error, answer.Status);

    private static (GatewayError, int) ForBareStatus(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var request = $"{context.Request.Method} {context.Request.Path}";
        var error = status switch
        {
            StatusCodes.Status401Unauthorized => GatewayError.Of(ApiErrors.InvalidApiKey, "Invalid API key. Send it as 'Authorization: Bearer llmtr-…'."),
            StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed =>
                GatewayError.Of(ApiErrors.UnknownUrl, $"Unknown request URL: {request}. See the API reference for the endpoints."),
            StatusCodes.Status413PayloadTooLarge => Unreadable(status),
            StatusCodes.Status415UnsupportedMediaType => UnsupportedContentType(context),
            >= 500 => GatewayError.Internal(context.TraceIdentifier),
            _ => GatewayError.Invalid($"The request could not be served (HTTP {status}): {request}.", null),
        };
        return (error, status >= 500 ? error.Status : status);
    }

    /// <summary>A JSON endpoint called with another content type (or none).</summary>
    public static GatewayError UnsupportedContentType(HttpContext context) => GatewayError.Of(ApiErrors.UnsupportedContentType,
        $"{context.Request.Method} {context.Request.Path} takes a JSON body with 'Content-Type: application/json'; the request's content type is "
        + $"{(context.Request.ContentType is { Length: > 0 } type ? $"'{Printable(type)}'" : "missing")}.");

    /// <summary>A header value as it can be quoted in a message: control characters replaced, cut to a sane length.</summary>
    private static string Printable(string value)
    {
        var cut = value.Length > 100 ? value[..100] + "…" : value;
        return string.Create(cut.Length, cut, static (chars, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                chars[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled fault on /v1 request {RequestId}")]
    private static partial void LogFault(ILogger logger, Exception exception, string requestId);
}

using System.Collections.Concurrent;
using System.Net.ServerSentEvents;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;

namespace LlmTr.Modules.Gateway.Protocols;

/// <summary>
/// One provider wire protocol (OpenAI-compatible, Anthropic Messages, Gemini): how a chat request goes up, and how the
/// answer comes back in OpenAI's format. Adapters are stateless singletons; per-call state lives in the translators.
/// </summary>
internal abstract class ChatProtocol
{
    public abstract ApiProtocol Protocol { get; }

    /// <summary>The upstream HTTP request for this call (body, path, credentials from configuration).</summary>
    public abstract HttpRequestMessage CreateRequest(ChatCall call);

    /// <summary>Translates a successful (2xx) non-streaming upstream body; throws <see cref="UpstreamProtocolException"/> when it makes no sense.</summary>
    public abstract ChatCompletion ReadCompletion(JsonElement body, ChatCall call);

    /// <summary>A translator for one streamed answer.</summary>
    public abstract ChatStreamTranslator CreateStreamTranslator(ChatCall call);

    /// <summary>The human-readable message of an upstream error body, if it has one (for 4xx answers passed on to the client).</summary>
    public virtual string? ErrorMessage(JsonElement body) => OpenAiErrorMessage(body);

    /// <summary>
    /// The status an upstream error really means, when the provider uses another one (Google answers a bad API key
    /// with 400): the gateway maps this one to the public error table.
    /// </summary>
    public virtual System.Net.HttpStatusCode EffectiveStatus(System.Net.HttpStatusCode status, JsonElement body) => status;

    /// <summary>The message of an <c>{"error": {"message": …}}</c> body (OpenAI's shape, also Anthropic's and Gemini's).</summary>
    public static string? OpenAiErrorMessage(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var error)
            ? error.ValueKind switch
            {
                JsonValueKind.Object when error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String => message.GetString(),
                JsonValueKind.String => error.GetString(),
                _ => null,
            }
            : null;
}

/// <summary>Everything an adapter needs for one upstream call.</summary>
/// <param name="Created">The Unix time stamped on the answer (OpenAI's <c>created</c>).</param>
internal sealed record ChatCall(ChatRequest Request, CatalogModel Model, CatalogProvider Provider, ProviderSettings Settings, string ResponseId, long Created);

/// <summary>
/// A deployment's connection settings: its base URL (or its override), its account's credential and the header that
/// credential travels in, which its protocol decides (<c>Authorization: Bearer</c> for OpenAI's, <c>api-key</c> for Azure
/// OpenAI's, <c>x-api-key</c> for Anthropic's, <c>x-goog-api-key</c> for Gemini's): never in the URL.
/// </summary>
internal sealed record ProviderSettings(Uri BaseUrl, string? ApiKey, TimeSpan Timeout, TimeSpan StreamIdleTimeout, ApiProtocol Protocol = ApiProtocol.OpenAi)
{
    /// <summary>Adds the credential to an upstream request, in the header the deployment's protocol uses; nothing without one.</summary>
    public void Authorize(HttpRequestMessage request)
    {
        if (ApiKey is not { Length: > 0 } key)
        {
            return;
        }

        switch (Protocol)
        {
            case ApiProtocol.AnthropicMessages:
                request.Headers.TryAddWithoutValidation("x-api-key", key);
                break;
            case ApiProtocol.Gemini:
                request.Headers.TryAddWithoutValidation("x-goog-api-key", key);
                break;
            case ApiProtocol.AzureOpenAi:
                request.Headers.TryAddWithoutValidation("api-key", key);
                break;
            default:
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
                break;
        }
    }

    /// <summary>
    /// <paramref name="path"/> under the base URL, keeping the base URL's own path (<c>…/compatible-mode/v1</c>). Asked on
    /// every upstream call with one of a few fixed paths, so each answer is parsed once and kept (bounded: a catalog
    /// that keeps changing base URLs only empties the cache now and then).
    /// </summary>
    public Uri Resolve(string path)
    {
        var key = (BaseUrl.AbsoluteUri, path);
        if (ResolvedUris.TryGetValue(key, out var uri))
        {
            return uri;
        }

        if (ResolvedUris.Count >= 1024)
        {
            ResolvedUris.Clear();
        }

        uri = new Uri(BaseUrl.AbsoluteUri.TrimEnd('/') + "/" + path.TrimStart('/'));
        ResolvedUris[key] = uri;
        return uri;
    }

    private static readonly ConcurrentDictionary<(string BaseUrl, string Path), Uri> ResolvedUris = new();
}

/// <summary>The upstream answered, but not in its protocol's shape (not JSON, no choices, an unknown event).</summary>
internal sealed class UpstreamProtocolException(string message) : Exception(message);

/// <summary>The upstream reported an error inside a stream that had already started.</summary>
internal sealed class UpstreamStreamException(string message, bool rateLimited = false) : Exception(message)
{
    public bool RateLimited { get; } = rateLimited;
}

/// <summary>What the gateway stamps on every answer, whoever produced it.</summary>
internal sealed record ResponseStamp(string Id, string Model, long Created, UsageCharge Charge)
{
    /// <summary>Opens OpenAI's <c>chat.completion</c> object with the gateway's id, created and canonical model.</summary>
    public void BeginCompletion(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, Id);
        writer.WriteString("object"u8, "chat.completion"u8);
        writer.WriteNumber("created"u8, Created);
        writer.WriteString("model"u8, Model);
    }
}

/// <summary>A translated non-streaming answer: what to bill, and how to write OpenAI's <c>chat.completion</c> body.</summary>
internal abstract class ChatCompletion
{
    public abstract UsageCounts Usage { get; }

    public abstract void WriteTo(Utf8JsonWriter writer, ResponseStamp stamp);
}

/// <summary>
/// Turns one upstream stream into OpenAI chunks, event by event, writing each through the sink as soon as it is
/// complete (no buffering). Keeps the usage the provider reported (or an estimate when the stream was cut).
/// </summary>
internal abstract class ChatStreamTranslator
{
    /// <summary>Usage as reported by the provider so far.</summary>
    public UsageCounts Usage { get; protected set; } = UsageCounts.None;

    /// <summary>The provider signalled a proper end ([DONE], message_stop, a finish reason).</summary>
    public bool Completed { get; protected set; }

    /// <summary>Whether the provider reported usage at all; when not, the gateway estimates it.</summary>
    public bool UsageReported { get; protected set; }

    /// <summary>Characters of generated text and tool arguments seen so far, for an estimate when no usage came.</summary>
    public long GeneratedCharacters { get; protected set; }

    /// <summary>
    /// Handles one upstream event; throws <see cref="UpstreamStreamException"/> for an error event. The event's data is
    /// only valid during the call (the relay reuses its buffer for the next event): keep values read from it, never it.
    /// </summary>
    public abstract void OnEvent(SseItem<ReadOnlyMemory<byte>> item, ChunkSink sink);

    /// <summary>An event's data as JSON: an event that is not JSON is the provider breaking its own protocol.</summary>
    protected static JsonDocument ParseEvent(SseItem<ReadOnlyMemory<byte>> item)
    {
        try
        {
            return JsonDocument.Parse(item.Data);
        }
        catch (JsonException)
        {
            throw new UpstreamStreamException("The provider sent a stream event that is not JSON.");
        }
    }
}

using System.Text.Json;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Gateway.Chat;

/// <summary>
/// A chat completion request, parsed once into a pooled <see cref="JsonDocument"/> and validated. Adapters read what
/// they need from <see cref="Root"/>; fields the gateway does not know stay in it untouched for the provider.
/// </summary>
internal sealed class ChatRequest : IDisposable
{
    private readonly JsonDocument _document;

    private ChatRequest(JsonDocument document)
    {
        _document = document;
        Root = document.RootElement;
    }

    public JsonElement Root { get; }

    /// <summary>The request body's size in bytes.</summary>
    public int BodyLength { get; private set; }

    public string Model { get; private set; } = "";

    public bool Stream { get; private set; }

    /// <summary>The client asked for the final usage chunk (<c>stream_options.include_usage</c>).</summary>
    public bool IncludeUsage { get; private set; }

    /// <summary><c>max_completion_tokens</c>, or the older <c>max_tokens</c>.</summary>
    public int? MaxTokens { get; private set; }

    /// <summary>Where the request's data may go (<c>llmtr.residency</c>, <c>llmtr.retention</c>).</summary>
    public ResidencyRequirement Residency { get; private set; }

    public JsonElement Messages => Root.GetProperty("messages");

    public JsonElement? Property(string name) => Root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public double? Number(string name) => Property(name) is { ValueKind: JsonValueKind.Number } value ? value.GetDouble() : null;

    /// <summary>The stop sequences, whether sent as one string or a list.</summary>
    public IReadOnlyList<string> StopSequences => Property("stop") switch
    {
        { ValueKind: JsonValueKind.String } one => [one.GetString()!],
        { ValueKind: JsonValueKind.Array } many => many.EnumerateArray().Select(s => s.GetString()!).ToList(),
        _ => [],
    };

    /// <summary>
    /// The request asks the provider to search the web: MiMo's <c>webSearchEnabled: true</c>, OpenAI's
    /// <c>web_search_options</c>, or a web search tool (<c>web_search</c>, <c>web_search_preview</c>, Anthropic's
    /// <c>web_search_…</c>).
    /// </summary>
    public bool AsksForWebSearch => WebSearchLimit > 0;

    /// <summary>
    /// The most web searches the request lets the provider run: the search tool's <c>max_uses</c> (Anthropic) or
    /// <c>max_keyword</c> (MiMo, which bills each keyword of a search round) when it sets one,
    /// else <see cref="MaximumUsage.UnboundedWebSearches"/> for a search tool, and one for a search switched on for the
    /// whole request; zero when it asks for none.
    /// </summary>
    public int WebSearchLimit => _webSearchLimit ??= CountWebSearchLimit();

    private int? _webSearchLimit;

    private int CountWebSearchLimit()
    {
        var limit = Property("webSearchEnabled") is { ValueKind: JsonValueKind.True } || Property("web_search_options") is { ValueKind: JsonValueKind.Object } ? 1 : 0;
        if (Property("tools") is { ValueKind: JsonValueKind.Array } tools)
        {
            foreach (var tool in tools.EnumerateArray())
            {
                if (tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                    && type.GetString() is { } name && name.StartsWith("web_search", StringComparison.Ordinal))
                {
                    limit = Math.Max(limit, PositiveInt(tool, "max_uses") ?? PositiveInt(tool, "max_keyword") ?? MaximumUsage.UnboundedWebSearches);
                }
            }
        }

        return limit;

        static int? PositiveInt(JsonElement tool, string name) =>
            tool.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n > 0 ? n : null;
    }

    /// <summary>Top-level fields the gateway does not know: provider-specific extras, passed on where the protocol can carry them.</summary>
    public IEnumerable<JsonProperty> Extras => Root.EnumerateObject().Where(p => !ChatRequestValidator.KnownFields.Contains(p.Name));

    /// <summary>Parses and validates; on failure returns null with the error to answer.</summary>
    public static ChatRequest? Parse(ReadOnlyMemory<byte> body, out GatewayError? error)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            error = GatewayError.Of(
                ApiErrors.InvalidJson,
                $"The request body is not valid JSON ({e.Message.Split(" Path:")[0].TrimEnd('.')}). Send a JSON object with 'Content-Type: application/json'.");
            return null;
        }

        if (JsonText.Problem(body.Span) is { } problem)
        {
            document.Dispose();
            error = GatewayError.Of(ApiErrors.InvalidJson, $"The request body is not valid JSON ({problem}). Send UTF-8 JSON with 'Content-Type: application/json'.");
            return null;
        }

        var request = new ChatRequest(document) { BodyLength = body.Length };
        error = ChatRequestValidator.Validate(request.Root);
        if (error is not null)
        {
            request.Dispose();
            return null;
        }

        request.Model = request.Root.GetProperty("model").GetString()!;
        request.Stream = request.Property("stream") is { ValueKind: JsonValueKind.True };
        request.IncludeUsage = request.Property("stream_options") is { } options
            && options.TryGetProperty("include_usage", out var include) && include.ValueKind == JsonValueKind.True;
        request.Residency = ResidencyRequirement.Of(request.Root);
        request.MaxTokens = (request.Property("max_completion_tokens") ?? request.Property("max_tokens")) is { } max ? max.GetInt32() : null;
        return request;
    }

    /// <summary>
    /// A request known only by its header fields (model, stream, output limit, LLMTR's options): what admission needs of
    /// a body that goes to its provider as sent, checked no further. <paramref name="envelope"/> is an OpenAI body with
    /// those fields and no messages; <paramref name="bodyLength"/> is the size of the client's own body.
    /// </summary>
    public static ChatRequest Envelope(ReadOnlyMemory<byte> envelope, int bodyLength)
    {
        var request = new ChatRequest(JsonDocument.Parse(envelope)) { BodyLength = bodyLength };
        request.Model = request.Root.GetProperty("model").GetString()!;
        request.Stream = request.Property("stream") is { ValueKind: JsonValueKind.True };
        request.IncludeUsage = request.Stream;
        request.Residency = ResidencyRequirement.Of(request.Root);
        request.MaxTokens = request.Property("max_tokens") is { } max ? max.GetInt32() : null;
        return request;
    }

    public void Dispose() => _document.Dispose();
}

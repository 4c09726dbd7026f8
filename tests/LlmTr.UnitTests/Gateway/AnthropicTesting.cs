using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.Modules.Gateway.Protocols.Anthropic;

namespace LlmTr.UnitTests.Gateway;

/// <summary>The Anthropic adapter driven through its real entry points, with a catalog model shaped like the seed's.</summary>
internal static class AnthropicTesting
{
    public const string ApiKey = "sk-ant-unit-test-key";

    public static readonly AnthropicProtocol Protocol = new();

    public static readonly CatalogModel Model = new(
        "anthropic/claude-sonnet-4.5", "anthropic", "claude-sonnet-4-5", "Claude Sonnet 4.5", new LocalizedText("A model.", "Bir model."),
        200_000, 64_000, ["text", "image", "file"], ["text"], ["chat", "streaming", "tools"], [], ModelStatus.Active, ModelVisibility.Public,
        [], null, [], []);

    public static readonly CatalogProvider Provider = new(
        "anthropic", "Anthropic", ApiProtocol.AnthropicMessages, "https://api.anthropic.com", "US", null, new LocalizedText("", ""), ProviderStatus.Active);

    /// <summary>A validated request, as the gateway parses it, ready for the adapter.</summary>
    public static ChatCall Call(string requestJson, CatalogModel? model = null, string baseUrl = "https://api.anthropic.com")
    {
        var request = ChatRequest.Parse(Encoding.UTF8.GetBytes(requestJson), out var error)
            ?? throw new InvalidOperationException($"The test request is invalid: {error!.Error.Message}");
        var settings = new ProviderSettings(new Uri(baseUrl), ApiKey, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), ApiProtocol.AnthropicMessages);
        return new ChatCall(request, model ?? Model, Provider, settings, "chatcmpl-req_unit", 1_760_000_000);
    }

    /// <summary>The JSON body the adapter would send to Anthropic for this request.</summary>
    public static JsonElement UpstreamBody(string requestJson, CatalogModel? model = null)
    {
        var call = Call(requestJson, model);
        using (call.Request)
        {
            using var message = Protocol.CreateRequest(call);
            return JsonDocument.Parse(message.Content!.ReadAsStream()).RootElement.Clone();
        }
    }

    /// <summary>A request with these messages (a JSON array) and any other top-level fields.</summary>
    public static string Request(string messages, string more = "") =>
        $$"""{"model":"anthropic/claude-sonnet-4.5","messages":{{messages}}{{(more.Length > 0 ? "," + more : "")}}}""";

    public static string Hello(string more = "") => Request("""[{"role":"user","content":"Hello"}]""", more);

    /// <summary>The adapter's answer for an Anthropic message body, written as the gateway writes it to the client.</summary>
    public static (ChatCompletion Completion, JsonElement Written) Answer(string anthropicBody, string? requestJson = null)
    {
        var call = Call(requestJson ?? Hello());
        using (call.Request)
        {
            using var body = JsonDocument.Parse(anthropicBody);
            var completion = Protocol.ReadCompletion(body.RootElement, call);
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                completion.WriteTo(writer, new ResponseStamp("chatcmpl-req_unit", Model.Id, 1_760_000_000, new LlmTr.Modules.Billing.Contracts.UsageCharge(0.01m, "TRY")));
            }

            return (completion, JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone());
        }
    }

    /// <summary>Feeds a recorded Anthropic event stream (SSE text) through the adapter, returning the OpenAI chunks it wrote.</summary>
    public static (List<JsonElement> Chunks, ChatStreamTranslator Translator) Stream(string sse, string? requestJson = null)
    {
        var call = Call(requestJson ?? Hello("\"stream\":true"));
        using (call.Request)
        {
            var translator = Protocol.CreateStreamTranslator(call);
            using var sink = new OpenAiChunks("chatcmpl-req_unit", Model.Id, 1_760_000_000, includeUsage: true);
            var parser = SseParser.Create(new MemoryStream(Encoding.UTF8.GetBytes(sse)), static (_, data) => (ReadOnlyMemory<byte>)data.ToArray());
            var chunks = new List<JsonElement>();
            foreach (var item in parser.Enumerate())
            {
                // As the pipeline does: what one upstream event produced is sent before the next is read.
                translator.OnEvent(item, sink);
                chunks.AddRange(Chunks(sink.TakePending()));
                if (translator.Completed)
                {
                    break;
                }
            }

            return (chunks, translator);
        }
    }

    private static IEnumerable<JsonElement> Chunks(ReadOnlyMemory<byte> framed) =>
        Encoding.UTF8.GetString(framed.Span)
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement.Clone());

    public static string Text(this JsonElement element, string path) => element.At(path).GetString()!;

    /// <summary>The element at a dotted path with array indexes (<c>messages.0.content.1.type</c>).</summary>
    public static JsonElement At(this JsonElement element, string path)
    {
        foreach (var step in path.Split('.'))
        {
            element = int.TryParse(step, out var index) ? element[index] : element.GetProperty(step);
        }

        return element;
    }

    public static bool Has(this JsonElement element, string name) => element.TryGetProperty(name, out _);
}

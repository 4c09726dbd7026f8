using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.Modules.Gateway.Protocols.Gemini;

namespace LlmTr.UnitTests.Gateway;

/// <summary>Drives the Gemini adapter the way the gateway does: a parsed request in, Gemini's wire format out, and back.</summary>
internal static class GeminiTranslation
{
    public const string ApiKey = "gemini-test-key-0123456789";
    public static readonly GeminiProtocol Protocol = new();

    public static ChatCall Call(string requestJson, string baseUrl = "https://generativelanguage.googleapis.com", string upstreamName = "gemini-2.5-flash")
    {
        var request = ChatRequest.Parse(Encoding.UTF8.GetBytes(requestJson), out var error)
            ?? throw new InvalidOperationException($"The test request is invalid: {error!.Error.Message}");
        var provider = new CatalogProvider("google", "Google", ApiProtocol.Gemini, baseUrl, "US", null, new LocalizedText("", ""), ProviderStatus.Active);
        var model = new CatalogModel(
            "google/gemini-2.5-flash", "google", upstreamName, "Gemini 2.5 Flash", new LocalizedText("", ""), 1_048_576, 65_536,
            ["text", "image", "audio", "file"], ["text"], ["chat", "streaming", "tools", "json_mode", "structured_output", "reasoning"], [],
            ModelStatus.Active, ModelVisibility.Public, [], null, [], []);
        var settings = new ProviderSettings(new Uri(baseUrl), ApiKey, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), ApiProtocol.Gemini);
        return new ChatCall(request, model, provider, settings, "chatcmpl-test", 1_739_200_000);
    }

    /// <summary>The body the adapter would send to Gemini for this OpenAI request.</summary>
    public static JsonElement Body(string requestJson)
    {
        using var request = Protocol.CreateRequest(Call(requestJson));
        return JsonDocument.Parse(request.Content!.ReadAsStream()).RootElement;
    }

    /// <summary>The chat.completion the client would get for this Gemini answer.</summary>
    public static JsonElement Completion(string geminiJson, out UsageCounts usage)
    {
        using var document = JsonDocument.Parse(geminiJson);
        var completion = Protocol.ReadCompletion(document.RootElement, Call("""{"model":"google/gemini-2.5-flash","messages":[{"role":"user","content":"Hi"}]}"""));
        usage = completion.Usage;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            completion.WriteTo(writer, new ResponseStamp("chatcmpl-test", "google/gemini-2.5-flash", 1_739_200_000, new UsageCharge(0.5m, "TRY")));
        }

        return JsonDocument.Parse(buffer.ToArray()).RootElement;
    }

    public static ChatStreamTranslator Translator(int n = 1) =>
        Protocol.CreateStreamTranslator(Call($$"""{"model":"google/gemini-2.5-flash","stream":true,"n":{{n}},"messages":[{"role":"user","content":"Hi"}]}"""));

    /// <summary>Feeds one SSE data item through the translator and returns the OpenAI chunks it wrote.</summary>
    public static List<JsonElement> Feed(ChatStreamTranslator translator, ChunkSink sink, string data)
    {
        translator.OnEvent(new SseItem<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes(data), "message"), sink);
        var framed = Encoding.UTF8.GetString(sink.TakePending().Span);
        return framed.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement)
            .ToList();
    }

    public static ChunkSink Sink() => new OpenAiChunks("chatcmpl-test", "google/gemini-2.5-flash", 1_739_200_000, includeUsage: true);

    /// <summary>The one choice's delta of a chunk.</summary>
    public static JsonElement Delta(JsonElement chunk) => chunk.GetProperty("choices")[0].GetProperty("delta");

    public static string? FinishReason(JsonElement chunk) => chunk.GetProperty("choices")[0].GetProperty("finish_reason").GetString();
}

using System.Text;
using LlmTr.Bench.Upstream;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Protocols;

namespace LlmTr.Bench.Micro;

/// <summary>The requests, models and upstream answers the benchmarks share: the end-to-end benchmark's own.</summary>
internal static class Samples
{
    public const string Request =
        """{"model":"openai/gpt-4o","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello to the benchmark in one short sentence."}],"max_tokens":64,"temperature":0.7}""";

    public const string StreamRequest =
        """{"model":"openai/gpt-4o","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello to the benchmark in one short sentence."}],"max_tokens":64,"temperature":0.7,"stream":true,"stream_options":{"include_usage":true}}""";

    public static readonly byte[] RequestBytes = Encoding.UTF8.GetBytes(Request);

    public static readonly byte[] StreamRequestBytes = Encoding.UTF8.GetBytes(StreamRequest);

    /// <summary>The fake upstream's answers: a chat.completion, and a stream of 20 chunks with the usage chunk and [DONE].</summary>
    public static readonly Bodies Upstream = Bodies.Build(20, 0);

    public static readonly byte[] OpenAiStream = [.. Upstream.Chunks[0], .. Upstream.Burst, .. Upstream.TailWithUsage];

    public static readonly CatalogModel Gpt4o = Model("openai/gpt-4o", "openai", "gpt-4o");

    public static readonly CatalogModel Claude = Model("anthropic/claude-sonnet-4.5", "anthropic", "claude-sonnet-4-5");

    public static readonly CatalogProvider OpenAi = new(
        "openai", "OpenAI", ApiProtocol.OpenAi, "https://api.openai.com/v1", "US", null, new LocalizedText("", ""), ProviderStatus.Active);

    public static readonly CatalogProvider Anthropic = new(
        "anthropic", "Anthropic", ApiProtocol.AnthropicMessages, "https://api.anthropic.com", "US", null, new LocalizedText("", ""), ProviderStatus.Active);

    /// <summary>Anthropic's stream for the same answer: message_start, a text block of 20 deltas, message_delta with usage, message_stop.</summary>
    public static readonly byte[] AnthropicStream = Encoding.UTF8.GetBytes(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":24,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}\n\n"
        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
        + string.Concat(Enumerable.Range(1, 20).Select(i => $"event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{{\"type\":\"text_delta\",\"text\":\"word{i} \"}}}}\n\n"))
        + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
        + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":20}}\n\n"
        + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

    public static readonly byte[] AnthropicMessage = Encoding.UTF8.GetBytes(
        """{"id":"msg_bench","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"Hello! The benchmark's upstream answers every request with this same short text."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":24,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":20}}""");

    /// <summary>A parsed, validated request and everything an adapter needs for it.</summary>
    public static ChatCall Call(byte[] body, CatalogModel model, CatalogProvider provider)
    {
        var request = ChatRequest.Parse(body, out var error) ?? throw new InvalidOperationException(error!.Error.Message);
        var settings = new ProviderSettings(new Uri(provider.BaseUrl), "sk-bench", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), provider.Protocol);
        return new ChatCall(request, model, provider, settings, "chatcmpl-req_bench", 1_767_225_600);
    }

    private static CatalogModel Model(string id, string provider, string upstream) => new(
        id, provider, upstream, id, new LocalizedText("A model.", "Bir model."), 128_000, 16_384, ["text", "image"], ["text"],
        ["chat", "streaming", "tools", "json_mode", "structured_output"], [], ModelStatus.Active, ModelVisibility.Public, [], null,
        [new DataPathHop("LLMTR", "TR", "Istanbul", "Gateway", "Metadata only", false, HopRetention.MetadataOnly), new DataPathHop("Provider", "US", null, "Runs the model", "30 days", false)],
        [new ModelPrice(PriceUnit.InputTokensPerMillion, 2.50m, "USD", DateTimeOffset.UnixEpoch), new ModelPrice(PriceUnit.OutputTokensPerMillion, 10m, "USD", DateTimeOffset.UnixEpoch)]);
}

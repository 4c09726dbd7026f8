using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.Modules.Gateway.Protocols.Anthropic;

namespace LlmTr.Bench.Micro;

/// <summary>The Anthropic Messages translation both ways: the request rewritten, the answer and the stream read back as OpenAI's.</summary>
public class AnthropicBenchmarks
{
    private static readonly AnthropicProtocol Protocol = new();
    private static readonly ResponseStamp Stamp = new("chatcmpl-req_bench", "anthropic/claude-sonnet-4.5", 1_767_225_600, new UsageCharge(0.00037m, "USD"));
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private ChatCall _call = null!;
    private ChatCall _streamCall = null!;

    [GlobalSetup]
    public void Setup()
    {
        _call = Samples.Call(Samples.RequestBytes, Samples.Claude, Samples.Anthropic);
        _streamCall = Samples.Call(Samples.StreamRequestBytes, Samples.Claude, Samples.Anthropic);
    }

    [Benchmark(Description = "request → Messages body")]
    public int Request() => AnthropicRequest.Write(_call.Request, _call.Model).Length;

    [Benchmark(Description = "message → chat.completion")]
    public long Completion()
    {
        using var document = JsonDocument.Parse(Samples.AnthropicMessage);
        var completion = Protocol.ReadCompletion(document.RootElement, _call);
        _output.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_output))
        {
            completion.WriteTo(writer, Stamp);
        }

        return _output.WrittenCount + completion.Usage.TotalTokens;
    }

    [Benchmark(Description = "stream of 20 text deltas → chunks + usage")]
    public long Stream() => StreamRelay.Relay(Protocol, _streamCall, Samples.AnthropicStream);
}

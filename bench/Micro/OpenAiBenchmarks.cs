using System.Buffers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.Modules.Gateway.Protocols.OpenAi;

namespace LlmTr.Bench.Micro;

/// <summary>
/// The OpenAI-compatible path, piece by piece as the handler runs it: the upstream request, the non-streaming answer
/// passed through with the gateway's stamp (through a document, as a translated client format still gets it, and in the
/// one reader-to-writer pass an OpenAI chat client gets), and a 20-chunk stream relayed event by event with its usage
/// extracted.
/// </summary>
public class OpenAiBenchmarks
{
    private static readonly OpenAiProtocol Protocol = new();
    private static readonly ResponseStamp Stamp = new("chatcmpl-req_bench", "openai/gpt-4o", 1_767_225_600, new UsageCharge(0.00026m, "USD"));
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private ChatCall _call = null!;
    private ChatCall _streamCall = null!;

    [GlobalSetup]
    public void Setup()
    {
        _call = Samples.Call(Samples.RequestBytes, Samples.Gpt4o, Samples.OpenAi);
        _streamCall = Samples.Call(Samples.StreamRequestBytes, Samples.Gpt4o, Samples.OpenAi);
    }

    [Benchmark(Description = "upstream request (body rewritten, headers)")]
    public long UpstreamRequest()
    {
        using var message = Protocol.CreateRequest(_call);
        return message.Content!.Headers.ContentLength ?? 0;
    }

    [Benchmark(Description = "non-streaming answer: document (parse, read usage, write stamped)")]
    public long Completion()
    {
        using var document = JsonDocument.Parse(Samples.Upstream.Completion);
        var completion = Protocol.ReadCompletion(document.RootElement, _call);
        _output.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_output))
        {
            completion.WriteTo(writer, Stamp);
        }

        return _output.WrittenCount + completion.Usage.TotalTokens;
    }

    [Benchmark(Description = "non-streaming answer: one pass (check, read usage, write stamped)")]
    public long RelayedCompletion()
    {
        var usage = OpenAiRelay.ReadAnswer(Samples.Upstream.Completion);
        _output.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_output))
        {
            OpenAiRelay.WriteAnswer(Samples.Upstream.Completion, usage, Stamp, writer);
        }

        return _output.WrittenCount + usage.TotalTokens;
    }

    [Benchmark(Description = "stream of 20 chunks: relay + usage extraction")]
    public long Stream() => StreamRelay.Relay(Protocol, _streamCall, Samples.OpenAiStream);
}

/// <summary>The handler's relay loop without the sockets: events parsed, translated, framed and taken one by one.</summary>
internal static class StreamRelay
{
    public static long Relay(ChatProtocol protocol, ChatCall call, byte[] upstream)
    {
        var translator = protocol.CreateStreamTranslator(call);
        using var sink = new OpenAiChunks(call.ResponseId, call.Model.Id, call.Created, call.Request.IncludeUsage);
        using var stream = new MemoryStream(upstream, writable: false);
        using var eventData = new SseEventBuffer();
        var parser = SseParser.Create(stream, eventData.Hold);
        long sent = 0;
        foreach (var item in parser.Enumerate())
        {
            translator.OnEvent(item, sink);
            if (sink.HasPending)
            {
                sent += sink.TakePending().Length;
            }

            if (translator.Completed)
            {
                break;
            }
        }

        return sent + translator.Usage.TotalTokens;
    }
}

using System.Buffers;
using System.Text;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Gateway.Protocols;

/// <summary>
/// A streamed answer as typed events, rendered straight into the client's API by each subclass (OpenAI chunks, the
/// Messages API's events, the Responses API's events, the playground's): stream translators and the demo model say
/// what happened (a choice's text, a tool call's arguments, its finish), the pipeline adds the usage with its cost, the
/// end, or an error. Nothing is framed in one API to be parsed back into another.
/// <para>
/// Two kinds of event come as the provider framed them: a chunk of an OpenAI-compatible provider
/// (<see cref="Begin"/>…<see cref="End"/>, stamped with the gateway's id and model), which an OpenAI client gets as it is
/// and any other client gets read into typed events; and an event of a provider that speaks the client's own API
/// (<see cref="Raw"/>), passed through.
/// </para>
/// </summary>
internal abstract class ChunkSink : IDisposable
{
    private readonly ArrayBufferWriter<byte> _chunk = new(1024);
    private readonly Utf8JsonWriter _chunkWriter;

    protected ChunkSink(string id, string model, long created)
    {
        Id = id;
        Model = model;
        Created = created;
        _chunkWriter = new Utf8JsonWriter(_chunk, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>The answer's id (<c>chatcmpl-</c> and the request id).</summary>
    public string Id { get; }

    /// <summary>The catalog id of the model serving the answer.</summary>
    public string Model { get; }

    /// <summary>When the answer was created, in Unix seconds.</summary>
    public long Created { get; }

    /// <summary>The client's bytes rendered since the last <see cref="TakePending"/>.</summary>
    protected ArrayBufferWriter<byte> Pending { get; } = new(4096);

    /// <summary>Events rendered since the last <see cref="TakePending"/>.</summary>
    public bool HasPending
    {
        get
        {
            Settle();
            return Pending.WrittenCount > 0;
        }
    }

    /// <summary>
    /// The rendered bytes to send now; the sink starts empty again. The bytes are the sink's own buffer, valid until the
    /// next event: send them before translating the next one (the relay awaits each send), not later.
    /// </summary>
    public ReadOnlyMemory<byte> TakePending()
    {
        Settle();
        var bytes = Pending.WrittenMemory;
        Pending.ResetWrittenCount();
        return bytes;
    }

    /// <summary>Renders what a subclass still holds back to combine with the next event (called before the bytes are taken).</summary>
    protected virtual void Settle()
    {
    }

    /// <summary>Opens an OpenAI <c>chat.completion.chunk</c> of an OpenAI-compatible provider, with the gateway's id, object, created and model written.</summary>
    public Utf8JsonWriter Begin()
    {
        _chunk.ResetWrittenCount();
        _chunkWriter.Reset(_chunk);
        WriteChunkStart(_chunkWriter);
        return _chunkWriter;
    }

    /// <summary>Opens a <c>chat.completion.chunk</c> object with the gateway's id, created and model.</summary>
    protected void WriteChunkStart(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, Id);
        writer.WriteString("object"u8, "chat.completion.chunk"u8);
        writer.WriteNumber("created"u8, Created);
        writer.WriteString("model"u8, Model);
    }

    /// <summary>Closes the chunk <see cref="Begin"/> opened and renders it.</summary>
    public void End()
    {
        _chunkWriter.WriteEndObject();
        _chunkWriter.Flush();
        OnChunk(_chunk.WrittenSpan);
    }

    /// <summary>A provider's OpenAI chunk (stamped): read into typed events, unless the client speaks OpenAI's API too.</summary>
    protected virtual void OnChunk(ReadOnlySpan<byte> chunk) => ChunkReader.Read(chunk, this);

    /// <summary>A choice's turn begins: the assistant speaks (<paramref name="callsFirst"/>: it starts with a tool call, not text).</summary>
    public virtual void Role(int choice, bool callsFirst)
    {
    }

    public abstract void Text(int choice, string text);

    /// <summary>Reasoning text a model shows before its answer (<c>reasoning_content</c> of OpenAI-compatible reasoning models).</summary>
    public virtual void Reasoning(int choice, string text)
    {
    }

    public abstract void Refusal(int choice, string text);

    /// <summary>A piece of a tool call: the first names it (<paramref name="id"/>, <paramref name="name"/>), later ones carry arguments only.</summary>
    public abstract void ToolCall(int choice, int call, string? id, string? name, string arguments);

    /// <summary>A choice ended, with OpenAI's finish reason (<c>stop</c>, <c>length</c>, <c>tool_calls</c>, <c>content_filter</c>).</summary>
    public abstract void Finish(int choice, string reason);

    /// <summary>What the answer consumed and cost, once every choice finished.</summary>
    public abstract void Usage(UsageCounts usage, UsageCharge charge);

    /// <summary>The answer is complete.</summary>
    public abstract void Done();

    /// <summary>The answer failed after it started; the stream ends with this.</summary>
    public abstract void Error(OpenAiError error);

    /// <summary>An event of a provider that speaks the client's own API, passed through as it was framed.</summary>
    public virtual void Raw(string eventType, ReadOnlySpan<byte> data) => Frame(eventType, data);

    /// <summary>One server-sent event with its type (<c>event:</c>) and data.</summary>
    protected void Frame(string eventType, ReadOnlySpan<byte> data)
    {
        Pending.Write("event: "u8);
        var name = Pending.GetSpan(Encoding.UTF8.GetMaxByteCount(eventType.Length));
        Pending.Advance(Encoding.UTF8.GetBytes(eventType, name));
        Pending.Write("\ndata: "u8);
        Pending.Write(data);
        Pending.Write("\n\n"u8);
    }

    public virtual void Dispose() => _chunkWriter.Dispose();
}

/// <summary>
/// Reads an OpenAI-compatible provider's chunk into a sink's typed events, for clients that do not speak OpenAI's API:
/// per choice, reasoning text, text, a refusal, tool call pieces, and the finish reason.
/// </summary>
internal static class ChunkReader
{
    public static void Read(ReadOnlySpan<byte> chunk, ChunkSink sink)
    {
        var reader = new Utf8JsonReader(chunk);
        using var document = JsonDocument.ParseValue(ref reader);
        if (!document.RootElement.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var choice in choices.EnumerateArray())
        {
            var index = choice.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : 0;
            if (choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
            {
                if ((String(delta, "reasoning_content") ?? String(delta, "reasoning")) is { Length: > 0 } thought)
                {
                    sink.Reasoning(index, thought);
                }

                if (String(delta, "content") is { Length: > 0 } text)
                {
                    sink.Text(index, text);
                }

                if (String(delta, "refusal") is { Length: > 0 } refusal)
                {
                    sink.Refusal(index, refusal);
                }

                if (delta.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
                {
                    foreach (var call in calls.EnumerateArray())
                    {
                        var function = call.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
                        sink.ToolCall(
                            index,
                            call.TryGetProperty("index", out var c) && c.TryGetInt32(out var number) ? number : 0,
                            String(call, "id"),
                            function.ValueKind == JsonValueKind.Object ? String(function, "name") : null,
                            function.ValueKind == JsonValueKind.Object ? String(function, "arguments") ?? "" : "");
                    }
                }
            }

            if (String(choice, "finish_reason") is { } reason)
            {
                sink.Finish(index, reason);
            }
        }
    }

    private static string? String(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

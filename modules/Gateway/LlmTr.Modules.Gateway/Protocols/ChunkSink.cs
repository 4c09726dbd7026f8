using System.Buffers;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.Modules.Gateway.Protocols;

/// <summary>
/// Where stream translators write OpenAI <c>chat.completion.chunk</c> objects. <see cref="Begin"/> opens a chunk with
/// the gateway's id, created and canonical model already written; the translator writes <c>choices</c> (and anything
/// else) and calls <see cref="End"/>, which frames it as one SSE event ready to send.
/// </summary>
internal sealed class ChunkSink : IDisposable
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private readonly ArrayBufferWriter<byte> _json = new(1024);
    private readonly ArrayBufferWriter<byte> _pending = new(4096);
    private readonly Utf8JsonWriter _writer;
    private readonly string _id;
    private readonly string _model;
    private readonly long _created;

    public ChunkSink(string id, string model, long created)
    {
        _id = id;
        _model = model;
        _created = created;
        _writer = new Utf8JsonWriter(_json, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>Events framed since the last <see cref="TakePending"/>.</summary>
    public bool HasPending => _pending.WrittenCount > 0;

    public int ChunkCount { get; private set; }

    public Utf8JsonWriter Begin()
    {
        _json.ResetWrittenCount();
        _writer.Reset(_json);
        _writer.WriteStartObject();
        _writer.WriteString("id"u8, _id);
        _writer.WriteString("object"u8, "chat.completion.chunk"u8);
        _writer.WriteNumber("created"u8, _created);
        _writer.WriteString("model"u8, _model);
        return _writer;
    }

    public void End()
    {
        _writer.WriteEndObject();
        _writer.Flush();
        _pending.Write(DataPrefix);
        _pending.Write(_json.WrittenSpan);
        _pending.Write(EventEnd);
        ChunkCount++;
    }

    /// <summary>A chunk with one choice's delta: the common case, written in one call.</summary>
    public void Delta(int index, Action<Utf8JsonWriter> writeDelta, string? finishReason = null)
    {
        var writer = Begin();
        writer.WriteStartArray("choices"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, index);
        writer.WriteStartObject("delta"u8);
        writeDelta(writer);
        writer.WriteEndObject();
        writer.WriteNull("logprobs"u8);
        if (finishReason is null)
        {
            writer.WriteNull("finish_reason"u8);
        }
        else
        {
            writer.WriteString("finish_reason"u8, finishReason);
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
        End();
    }

    /// <summary>The final usage chunk OpenAI sends when <c>stream_options.include_usage</c> is set: no choices, the usage with its cost.</summary>
    public void UsageChunk(UsageCounts usage, UsageCharge charge)
    {
        var writer = Begin();
        writer.WriteStartArray("choices"u8);
        writer.WriteEndArray();
        OpenAiUsage.Write(writer, usage, charge);
        End();
    }

    /// <summary>An error after the stream started: OpenAI SDKs raise it when a data event carries an <c>error</c> object.</summary>
    public void Error(LlmTr.SharedKernel.OpenAiError error)
    {
        _json.ResetWrittenCount();
        _writer.Reset(_json);
        _writer.WriteStartObject();
        _writer.WriteStartObject("error"u8);
        _writer.WriteString("message"u8, error.Message);
        _writer.WriteString("type"u8, error.Type);
        _writer.WriteNull("param"u8);
        _writer.WriteString("code"u8, error.Code);
        _writer.WriteEndObject();
        End();
    }

    /// <summary>
    /// An event relayed as the provider framed it (<c>event:</c> and <c>data:</c>), for a client that speaks the
    /// provider's own protocol: no OpenAI chunk is made of it.
    /// </summary>
    public void Raw(string eventType, ReadOnlySpan<byte> data)
    {
        _pending.Write("event: "u8);
        var name = _pending.GetSpan(System.Text.Encoding.UTF8.GetMaxByteCount(eventType.Length));
        _pending.Advance(System.Text.Encoding.UTF8.GetBytes(eventType, name));
        _pending.Write("\ndata: "u8);
        _pending.Write(data);
        _pending.Write(EventEnd);
        ChunkCount++;
    }

    public void Done()
    {
        _pending.Write("data: [DONE]\n\n"u8);
    }

    /// <summary>
    /// The framed bytes to send now; the sink starts empty again. The bytes are the sink's own buffer, valid until the
    /// next chunk is written: send them before translating the next event (the relay awaits each send), not later.
    /// </summary>
    public ReadOnlyMemory<byte> TakePending()
    {
        var bytes = _pending.WrittenMemory;
        _pending.ResetWrittenCount();
        return bytes;
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>A tool call delta: the first one names the call (id, type, name), later ones carry only arguments.</summary>
    public static void ToolCallDelta(Utf8JsonWriter writer, int call, string? id, string? name, string arguments)
    {
        writer.WriteStartArray("tool_calls"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, call);
        if (id is not null)
        {
            writer.WriteString("id"u8, id);
            writer.WriteString("type"u8, "function"u8);
        }

        writer.WriteStartObject("function"u8);
        if (name is not null)
        {
            writer.WriteString("name"u8, name);
        }

        writer.WriteString("arguments"u8, arguments);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
    }
}

using System.Buffers;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Gateway.Protocols;

/// <summary>
/// A streamed answer in OpenAI's chat completions format: each event a <c>chat.completion.chunk</c> as one SSE
/// <c>data:</c> event; an OpenAI-compatible provider's chunks pass as they came (stamped); the usage chunk when the
/// client asked for it (<c>stream_options.include_usage</c>); <c>[DONE]</c> at the end.
/// </summary>
internal sealed class OpenAiChunks : ChunkSink
{
    private readonly bool _includeUsage;
    private readonly Utf8JsonWriter _writer;
    private Delta? _delta;

    public OpenAiChunks(string id, string model, long created, bool includeUsage)
        : base(id, model, created)
    {
        _includeUsage = includeUsage;
        _writer = new Utf8JsonWriter(Pending, new JsonWriterOptions { SkipValidation = true });
    }

    protected override void OnChunk(ReadOnlySpan<byte> chunk)
    {
        Settle();
        Pending.Write("data: "u8);
        Pending.Write(chunk);
        Pending.Write("\n\n"u8);
    }

    public override void Role(int choice, bool callsFirst)
    {
        Settle();
        _delta = new Delta(choice) { Role = true, ContentNull = callsFirst };
    }

    public override void Text(int choice, string text)
    {
        var delta = Open(choice, d => d.Content is null && d.Calls.Count == 0 && d.Finish is null);
        delta.Content = text;
    }

    public override void Reasoning(int choice, string text)
    {
        var delta = Open(choice, d => d.Reasoning is null && d.Content is null && d.Calls.Count == 0 && d.Finish is null);
        delta.Reasoning = text;
    }

    public override void Refusal(int choice, string text)
    {
        var delta = Open(choice, d => d.Refusal is null && d.Finish is null);
        delta.Refusal = text;
    }

    public override void ToolCall(int choice, int call, string? id, string? name, string arguments)
    {
        var delta = Open(choice, d => d.Finish is null && !d.Calls.Exists(c => c.Index == call));
        delta.Calls.Add((call, id, name, arguments));
    }

    /// <summary>A finish goes in a chunk of its own after the last piece (as OpenAI sends it), or with a role or refusal alone.</summary>
    public override void Finish(int choice, string reason)
    {
        var delta = Open(choice, d => d.Content is null && d.Reasoning is null && d.Calls.Count == 0 && d.Finish is null);
        delta.Finish = reason;
    }

    public override void Usage(UsageCounts usage, UsageCharge charge)
    {
        Settle();
        if (!_includeUsage)
        {
            return;
        }

        var w = BeginChunk();
        w.WriteStartArray("choices"u8);
        w.WriteEndArray();
        OpenAiUsage.Write(w, usage, charge);
        EndChunk();
    }

    public override void Done()
    {
        Settle();
        Pending.Write("data: [DONE]\n\n"u8);
    }

    /// <summary>An error after the stream started: OpenAI SDKs raise it when a data event carries an <c>error</c> object.</summary>
    public override void Error(OpenAiError error)
    {
        Settle();
        Pending.Write("data: "u8);
        _writer.Reset(Pending);
        _writer.WriteStartObject();
        _writer.WriteStartObject("error"u8);
        _writer.WriteString("message"u8, error.Message);
        _writer.WriteString("type"u8, error.Type);
        _writer.WriteNull("param"u8);
        _writer.WriteString("code"u8, error.Code);
        _writer.WriteEndObject();
        _writer.WriteEndObject();
        _writer.Flush();
        Pending.Write("\n\n"u8);
    }

    private Utf8JsonWriter BeginChunk()
    {
        Pending.Write("data: "u8);
        _writer.Reset(Pending);
        WriteChunkStart(_writer);
        return _writer;
    }

    private void EndChunk()
    {
        _writer.WriteEndObject();
        _writer.Flush();
        Pending.Write("\n\n"u8);
    }

    /// <summary>The delta being gathered for <paramref name="choice"/>, or a new one when the held one cannot take the event.</summary>
    private Delta Open(int choice, Predicate<Delta> takes)
    {
        if (_delta is { } held && held.Choice == choice && takes(held))
        {
            return held;
        }

        Settle();
        return _delta = new Delta(choice);
    }

    /// <summary>Writes the held delta as one chunk.</summary>
    protected override void Settle()
    {
        if (_delta is not { } delta)
        {
            return;
        }

        _delta = null;
        var w = BeginChunk();
        w.WriteStartArray("choices"u8);
        w.WriteStartObject();
        w.WriteNumber("index"u8, delta.Choice);
        w.WriteStartObject("delta"u8);
        if (delta.Role)
        {
            w.WriteString("role"u8, "assistant"u8);
            if (delta.Content is null && delta.ContentNull)
            {
                w.WriteNull("content"u8);
            }
            else
            {
                w.WriteString("content"u8, delta.Content ?? "");
            }
        }
        else if (delta.Content is not null)
        {
            w.WriteString("content"u8, delta.Content);
        }

        if (delta.Reasoning is not null)
        {
            w.WriteString("reasoning_content"u8, delta.Reasoning);
        }

        if (delta.Refusal is not null)
        {
            w.WriteString("refusal"u8, delta.Refusal);
        }

        if (delta.Calls.Count > 0)
        {
            w.WriteStartArray("tool_calls"u8);
            foreach (var (index, id, name, arguments) in delta.Calls)
            {
                w.WriteStartObject();
                w.WriteNumber("index"u8, index);
                if (id is not null)
                {
                    w.WriteString("id"u8, id);
                    w.WriteString("type"u8, "function"u8);
                }

                w.WriteStartObject("function"u8);
                if (name is not null)
                {
                    w.WriteString("name"u8, name);
                }

                w.WriteString("arguments"u8, arguments);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteNull("logprobs"u8);
        if (delta.Finish is null)
        {
            w.WriteNull("finish_reason"u8);
        }
        else
        {
            w.WriteString("finish_reason"u8, delta.Finish);
        }

        w.WriteEndObject();
        w.WriteEndArray();
        EndChunk();
    }

    /// <summary>
    /// One choice's delta, gathered from the events a translator sends for one upstream event (a role with the first
    /// text, a candidate's text with its calls), so an answer keeps the chunk shape OpenAI streams.
    /// </summary>
    private sealed class Delta(int choice)
    {
        public int Choice { get; } = choice;

        public bool Role { get; init; }

        /// <summary>The turn starts with a tool call: its content is null, not empty.</summary>
        public bool ContentNull { get; init; }

        public string? Content { get; set; }

        public string? Reasoning { get; set; }

        public string? Refusal { get; set; }

        public List<(int Index, string? Id, string? Name, string Arguments)> Calls { get; } = [];

        public string? Finish { get; set; }
    }

    public override void Dispose()
    {
        _writer.Dispose();
        base.Dispose();
    }
}

using System.Buffers;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.Modules.Gateway.Pipeline;

namespace LlmTr.Modules.Gateway.Chat;

/// <summary>
/// The API a client speaks when it is not OpenAI's chat completions (Anthropic's Messages API, OpenAI's Responses API).
/// Chat requests are judged in OpenAI's shape; a format turns the client's request into that shape on the way in (or
/// relays it as it is to a provider that speaks the same API), and renders answers, errors and stream events in the
/// client's API on the way out, so auth, scope, residency, credit, fallbacks and usage stay one code path.
/// One instance per request.
/// </summary>
internal abstract class AnswerFormat
{
    /// <summary>
    /// Reads the client's body into a chat request; on failure returns null with the error to answer. A format that can
    /// relay a body natively may return only what admission needs (model, stream, output limit, size, LLMTR's options)
    /// and translate the rest when an attempt needs it (<see cref="Translated"/>).
    /// </summary>
    public abstract ChatRequest? Parse(ReadOnlyMemory<byte> body, out GatewayError? error);

    /// <summary>
    /// The full request in OpenAI's shape, for an attempt that is translated (a provider that does not speak the
    /// client's protocol, or the demo model); on failure null with the error to answer. <paramref name="parsed"/> is what
    /// <see cref="Parse"/> returned: a format that translated it whole there returns it as it is.
    /// </summary>
    public virtual ChatRequest? Translated(ChatRequest parsed, out GatewayError? error)
    {
        error = null;
        return parsed;
    }

    /// <summary>The format relays requests to this provider in the client's own protocol (<see cref="NativeProtocol"/>).</summary>
    public virtual bool RelaysNatively(CatalogProvider? provider) => false;

    /// <summary>Writes an error answer (status and body) before anything else was sent.</summary>
    public abstract Task WriteErrorAsync(AnswerTarget target, GatewayError error, string requestId);

    /// <summary>Writes a non-streamed answer.</summary>
    public abstract void WriteCompletion(IBufferWriter<byte> output, ChatCompletion completion, ResponseStamp stamp);

    /// <summary>The client's stream for a streamed answer: the typed events rendered in the client's API.</summary>
    /// <param name="id">The answer's id.</param>
    /// <param name="model">The catalog id of the model serving it.</param>
    /// <param name="created">When it was created, in Unix seconds.</param>
    /// <param name="requestId">The gateway's request id.</param>
    public abstract ChunkSink CreateStream(string id, string model, long created, string requestId);

    /// <summary>
    /// An adapter that relays this request natively to <paramref name="provider"/> when it speaks the client's own
    /// protocol (no translation either way), or null to translate through OpenAI's shape as usual. Asked per attempt, so
    /// a fallback to a provider that does not speak it is translated.
    /// </summary>
    public virtual ChatProtocol? NativeProtocol(CatalogProvider provider) => null;

    /// <summary>Gives back what the format holds for the request (a translation made on demand), when the request ends.</summary>
    public virtual void Release()
    {
    }
}

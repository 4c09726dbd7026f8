using System.Buffers;
using System.Text.Json;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Pipeline;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Gateway.Responses;

/// <summary>
/// OpenAI's Responses API as a client's answer format. A model whose provider speaks the Responses API itself (the
/// catalog says so per provider) gets the client's own body (<see cref="NativeResponses"/>); for every other provider
/// the request is translated into a chat request for the pipeline (so every provider protocol serves it through the
/// existing translators), answers become <c>response</c> objects and stream chunks the Responses API's events. Errors
/// keep OpenAI's error object, as chat completions answer them.
/// </summary>
internal sealed class ResponsesFormat(TimeProvider time) : AnswerFormat
{
    private NativeResponseStream? _native;
    private ResponseEcho _echo = ResponseEcho.Empty;
    private GatewayError? _untranslatable;

    /// <summary>The client's body as sent, for a native relay.</summary>
    public ReadOnlyMemory<byte> Body { get; private set; }

    /// <summary>
    /// Checks the request and translates it into the chat request the pipeline admits, scopes and bills. What no provider
    /// could serve is refused here; what only the translation cannot carry is kept as <see cref="Translated"/>'s answer
    /// for the candidates that would be translated, which are then skipped (see <see cref="ResponsesRequest"/>).
    /// </summary>
    public override ChatRequest? Parse(ReadOnlyMemory<byte> body, out GatewayError? error)
    {
        Body = body;
        var translated = new ArrayBufferWriter<byte>(body.Length + 256);
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            error = JsonText.Problem(body.Span) is { } problem
                ? GatewayError.Of(ApiErrors.InvalidJson, $"The request body is not valid JSON ({problem}). Send UTF-8 JSON with 'content-type: application/json'.")
                : ResponsesRequest.Translate(document.RootElement, translated, out _untranslatable);
            if (error is null)
            {
                // The settings the response echoes outlive the request's document.
                _echo = new ResponseEcho(document.RootElement.Clone());
            }
        }
        catch (JsonException e)
        {
            error = GatewayError.Of(ApiErrors.InvalidJson,
                $"The request body is not valid JSON ({e.Message.Split(" Path:")[0].TrimEnd('.')}). Send a JSON object with 'content-type: application/json'.");
        }

        return error is null ? ChatRequest.Parse(translated.WrittenMemory, out error) : null;
    }

    public override async Task WriteErrorAsync(AnswerTarget target, GatewayError error, string requestId)
    {
        target.StatusCode = error.Status;
        target.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(target.Body, new OpenAiErrorResponse(error.Error), GatewayJson.Default.OpenAiErrorResponse, target.Aborted);
    }

    public override void WriteCompletion(IBufferWriter<byte> output, ChatCompletion completion, ResponseStamp stamp)
    {
        if (completion is NativeResponse native)
        {
            native.WriteResponse(output, stamp);
            return;
        }

        ResponseAnswer.Write(output, completion, stamp, _echo, time.GetUtcNow().ToUnixTimeSeconds());
    }

    public override ChunkSink CreateStream(string id, string model, long created, string requestId) =>
        _native is { } native
            ? new NativeResponseEvents(native, id, model, created)
            : new ResponseEvents(id, model, created, requestId, _echo, time);

    public override ChatProtocol? NativeProtocol(CatalogProvider provider) => SpeaksResponses(provider) ? new NativeResponses(this) : null;

    public override bool RelaysNatively(CatalogProvider? provider) => provider is not null && SpeaksResponses(provider);

    /// <summary>The request as parsed, unless it carries something only a native relay can (a built-in tool, say).</summary>
    public override ChatRequest? Translated(ChatRequest parsed, out GatewayError? error)
    {
        error = _untranslatable;
        return error is null ? parsed : null;
    }

    /// <summary>The relay of a native stream: from now on the client's events are the provider's (see <see cref="CreateStream"/>).</summary>
    public NativeResponseStream StartNativeStream(string modelId, string responseId) =>
        _native = new NativeResponseStream(modelId, ResponseObject.Suffix(responseId), _echo, time);

    /// <summary>The client's body for the provider: its upstream model name in place of LLMTR's id, LLMTR's own options taken out, <c>store</c> false.</summary>
    /// <remarks>
    /// LLMTR keeps nothing a model was sent or produced, and neither may the provider on its behalf (OpenAI stores a
    /// response unless told not to): whatever the client asked, the provider is told not to store it.
    /// </remarks>
    public ReadOnlyMemory<byte> UpstreamBody(string upstreamModel) => JsonSplice.Object(Body.Span, upstreamModel, "\"store\":false"u8, OwnField, StoreField);

    private static readonly byte[] OwnField = "llmtr"u8.ToArray();

    private static readonly byte[] StoreField = "store"u8.ToArray();

    private static bool SpeaksResponses(CatalogProvider provider) => provider.Protocol == ApiProtocol.OpenAi && provider.SpeaksResponsesApi;
}

using System.Buffers;
using System.Text.Json;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Pipeline;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Http;

namespace LlmTr.Modules.Gateway.Messages;

/// <summary>
/// Anthropic's Messages API as a client's answer format, parsed at two levels. <see cref="Parse"/> checks only what
/// every model needs (a JSON object with a model, a messages array, <c>max_tokens</c>, a stream flag, LLMTR's options)
/// for admission, scope, residency and the credit hold. A model whose provider speaks the Messages API then gets the
/// client's own body (<see cref="NativeMessages"/>), so the provider judges the rest as it would for a direct call;
/// any other model gets the strict translation into a chat request (<see cref="Translated"/>), made when an attempt
/// first needs it, and its answers and stream events rewritten into the Messages API's. Errors take Anthropic's shape.
/// </summary>
/// <param name="countingTokens">The request is a token count (<c>/v1/messages/count_tokens</c>), which has no <c>max_tokens</c>.</param>
internal sealed class MessagesFormat(HttpContext http, bool countingTokens = false) : AnswerFormat
{
    private ChatRequest? _translated;
    private GatewayError? _untranslatable;

    /// <summary>The client's body as sent, for a native relay.</summary>
    public ReadOnlyMemory<byte> Body { get; private set; }

    /// <summary>The client's <c>anthropic-version</c> and <c>anthropic-beta</c> headers, passed on by a native relay.</summary>
    public string? Version => http.Request.Headers["anthropic-version"].ToString() is { Length: > 0 } version ? version : null;

    public string? Beta => http.Request.Headers["anthropic-beta"].ToString() is { Length: > 0 } beta ? beta : null;

    /// <summary>The client's query string as sent (Anthropic's SDKs add <c>?beta=true</c> for beta calls), passed on by a native relay.</summary>
    public string Query => http.Request.QueryString.Value ?? "";

    public override ChatRequest? Parse(ReadOnlyMemory<byte> body, out GatewayError? error)
    {
        Body = body;
        return MessagesBody.Envelope(body, countingTokens, out error);
    }

    public override ChatRequest? Translated(ChatRequest parsed, out GatewayError? error)
    {
        if (_translated is null && _untranslatable is null)
        {
            var translated = new ArrayBufferWriter<byte>(Body.Length + 256);
            using (var document = JsonDocument.Parse(Body, new JsonDocumentOptions { MaxDepth = 64 }))
            {
                _untranslatable = MessagesRequest.Translate(document.RootElement, translated, countingTokens);
            }

            if (_untranslatable is null)
            {
                _translated = ChatRequest.Parse(translated.WrittenMemory, out _untranslatable);
            }
        }

        error = _untranslatable;
        return _translated;
    }

    public override bool RelaysNatively(CatalogProvider? provider) => provider?.Protocol == ApiProtocol.AnthropicMessages;

    public override void Release()
    {
        _translated?.Dispose();
        _translated = null;
    }

    public override async Task WriteErrorAsync(AnswerTarget target, GatewayError error, string requestId)
    {
        target.StatusCode = error.Status;
        target.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(target.Body, AnthropicErrorResponse.For(error.Status, error.Error.Message, requestId),
            GatewayJson.Default.AnthropicErrorResponse, target.Aborted);
    }

    public override void WriteCompletion(IBufferWriter<byte> output, ChatCompletion completion, ResponseStamp stamp)
    {
        if (completion is NativeMessage native)
        {
            native.WriteMessage(output, stamp);
            return;
        }

        MessageAnswer.Write(output, completion, stamp);
    }

    public override ChunkSink CreateStream(string id, string model, long created, string requestId) => new MessageEvents(id, model, created);

    public override ChatProtocol? NativeProtocol(CatalogProvider provider) =>
        provider.Protocol == ApiProtocol.AnthropicMessages ? new NativeMessages(this) : null;

    /// <summary>The client's body for the provider, byte for byte: its upstream model name in place of LLMTR's id, LLMTR's own options taken out.</summary>
    public ReadOnlyMemory<byte> UpstreamBody(string upstreamModel) => MessagesBody.Splice(Body, upstreamModel);
}

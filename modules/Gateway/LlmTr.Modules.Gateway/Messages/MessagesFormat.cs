using System.Buffers;
using System.Text.Json;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Http;

namespace LlmTr.Modules.Gateway.Messages;

/// <summary>
/// Anthropic's Messages API as a client's answer format: the request is translated into a chat request for the
/// pipeline, answers and stream events are rewritten into the Messages API's, errors take Anthropic's shape, and a
/// model whose provider speaks the Messages API gets the client's own body (<see cref="NativeMessages"/>).
/// </summary>
/// <param name="countingTokens">The request is a token count (<c>/v1/messages/count_tokens</c>), which has no <c>max_tokens</c>.</param>
internal sealed class MessagesFormat(HttpContext http, bool countingTokens = false) : AnswerFormat
{
    private MessageEvents? _events;

    /// <summary>The client's body as sent, for a native relay.</summary>
    public ReadOnlyMemory<byte> Body { get; private set; }

    /// <summary>The client's <c>anthropic-version</c> and <c>anthropic-beta</c> headers, passed on by a native relay.</summary>
    public string? Version => http.Request.Headers["anthropic-version"].ToString() is { Length: > 0 } version ? version : null;

    public string? Beta => http.Request.Headers["anthropic-beta"].ToString() is { Length: > 0 } beta ? beta : null;

    public override ChatRequest? Parse(ReadOnlyMemory<byte> body, out GatewayError? error)
    {
        Body = body;
        var translated = new ArrayBufferWriter<byte>(body.Length + 256);
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            error = JsonText.Problem(body.Span) is { } problem
                ? GatewayError.Of(ApiErrors.InvalidJson, $"The request body is not valid JSON ({problem}). Send UTF-8 JSON with 'content-type: application/json'.")
                : MessagesRequest.Translate(document.RootElement, translated, countingTokens);
        }
        catch (JsonException e)
        {
            error = GatewayError.Of(ApiErrors.InvalidJson,
                $"The request body is not valid JSON ({e.Message.Split(" Path:")[0].TrimEnd('.')}). Send a JSON object with 'content-type: application/json'.");
        }

        return error is null ? ChatRequest.Parse(translated.WrittenMemory, out error) : null;
    }

    public override async Task WriteErrorAsync(HttpContext context, GatewayError error, string requestId)
    {
        context.Response.StatusCode = error.Status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, AnthropicErrorResponse.For(error.Status, error.Error.Message, requestId),
            GatewayJson.Default.AnthropicErrorResponse, context.RequestAborted);
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

    public override ReadOnlyMemory<byte> RewriteEvents(ReadOnlyMemory<byte> openAiEvents) => (_events ??= new MessageEvents()).Rewrite(openAiEvents);

    public override ChatProtocol? NativeProtocol(CatalogProvider provider) =>
        provider.Protocol == ApiProtocol.AnthropicMessages ? new NativeMessages(this) : null;

    /// <summary>The client's body for the provider: its upstream model name in place of LLMTR's id, LLMTR's own options taken out.</summary>
    public ReadOnlyMemory<byte> UpstreamBody(string upstreamModel)
    {
        using var document = JsonDocument.Parse(Body);
        var output = new ArrayBufferWriter<byte>(Body.Length + 64);
        using (var writer = new Utf8JsonWriter(output, MessagesJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("model"u8, upstreamModel);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name is not ("model" or "llmtr"))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return output.WrittenMemory;
    }
}

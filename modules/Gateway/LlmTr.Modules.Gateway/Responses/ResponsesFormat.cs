using System.Buffers;
using System.Text.Json;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Http;

namespace LlmTr.Modules.Gateway.Responses;

/// <summary>
/// OpenAI's Responses API as a client's answer format: the request is translated into a chat request for the pipeline
/// (so every provider protocol serves it through the existing translators), answers become <c>response</c> objects and
/// stream chunks the Responses API's events. Errors keep OpenAI's error object, as chat completions answer them.
/// </summary>
internal sealed class ResponsesFormat(HttpContext http, TimeProvider time) : AnswerFormat
{
    private ResponseEvents? _events;
    private ResponseEcho _echo = ResponseEcho.Empty;
    private string _model = "";

    public override ChatRequest? Parse(ReadOnlyMemory<byte> body, out GatewayError? error)
    {
        var translated = new ArrayBufferWriter<byte>(body.Length + 256);
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            error = JsonText.Problem(body.Span) is { } problem
                ? GatewayError.Of(ApiErrors.InvalidJson, $"The request body is not valid JSON ({problem}). Send UTF-8 JSON with 'content-type: application/json'.")
                : ResponsesRequest.Translate(document.RootElement, translated);
            if (error is null)
            {
                // The settings the response echoes outlive the request's document.
                _echo = new ResponseEcho(document.RootElement.Clone());
                _model = document.RootElement.GetProperty("model").GetString() ?? "";
            }
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
        await JsonSerializer.SerializeAsync(context.Response.Body, new OpenAiErrorResponse(error.Error), GatewayJson.Default.OpenAiErrorResponse, context.RequestAborted);
    }

    public override void WriteCompletion(IBufferWriter<byte> output, ChatCompletion completion, ResponseStamp stamp) =>
        ResponseAnswer.Write(output, completion, stamp, _echo, time.GetUtcNow().ToUnixTimeSeconds());

    public override ReadOnlyMemory<byte> RewriteEvents(ReadOnlyMemory<byte> openAiEvents) =>
        (_events ??= new ResponseEvents(http.Response.Headers["x-request-id"].ToString(), _model, _echo, time)).Rewrite(openAiEvents);
}

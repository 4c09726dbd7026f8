using System.Net.Http.Headers;
using System.Text.Json;
using LlmTr.Modules.Catalog.Contracts;

namespace LlmTr.Modules.Gateway.Protocols.Anthropic;

/// <summary>
/// Anthropic's Messages API (<c>POST /v1/messages</c>). Unlike an OpenAI-compatible provider, nothing goes up as the
/// client sent it: the request is rewritten into a Messages body (<see cref="AnthropicRequest"/>), and the answer,
/// streamed or not, is rewritten into OpenAI's shape.
/// </summary>
internal sealed class AnthropicProtocol : ChatProtocol
{
    /// <summary>The Messages API version this adapter speaks; newer features arrive as fields, not versions.</summary>
    public const string ApiVersion = "2023-06-01";

    public override ApiProtocol Protocol => ApiProtocol.AnthropicMessages;

    public override HttpRequestMessage CreateRequest(ChatCall call)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, MessagesUri(call.Settings))
        {
            Content = new ReadOnlyMemoryContent(AnthropicRequest.Write(call.Request, call.Model)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        call.Settings.Authorize(request);

        request.Headers.TryAddWithoutValidation("anthropic-version", ApiVersion);
        if (call.Request.Stream)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        }

        return request;
    }

    public override ChatCompletion ReadCompletion(JsonElement body, ChatCall call) =>
        AnthropicCompletion.Read(body, AnthropicJsonOutput.For(call.Request).AnswerTool?.Name);

    public override ChatStreamTranslator CreateStreamTranslator(ChatCall call) =>
        new AnthropicStreamTranslator(AnthropicJsonOutput.For(call.Request).AnswerTool?.Name);

    /// <summary>
    /// The catalog stores Anthropic's base URL without a version (<c>https://api.anthropic.com</c>); one configured with
    /// <c>/v1</c> works too.
    /// </summary>
    private static Uri MessagesUri(ProviderSettings settings) =>
        settings.Resolve(settings.BaseUrl.AbsolutePath.TrimEnd('/').EndsWith("/v1", StringComparison.Ordinal) ? "messages" : "v1/messages");
}

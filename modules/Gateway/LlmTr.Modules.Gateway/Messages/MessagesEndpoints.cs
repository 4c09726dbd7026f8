using LlmTr.Modules.Gateway.Chat;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace LlmTr.Modules.Gateway.Messages;

/// <summary>Anthropic's Messages API on /v1: the chat pipeline with Anthropic's request, answer, stream and error shapes.</summary>
internal static class MessagesEndpoints
{
    public static RouteGroupBuilder MapMessagesEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/messages", (HttpContext http, ChatRelay handler) =>
                SendsJson(http) ? handler.HandleAsync(http, new MessagesFormat(http)) : ApiAnswers.WriteAsync(http, ApiAnswers.UnsupportedContentType(http)))
            .WithName("CreateMessage")
            .WithSummary("Anthropic's Messages API, streaming or not, for every model in the catalog")
            .WithTags("Anthropic-compatible")
            .WithMetadata(AnthropicApiEndpoint.Instance)
            .DescribeMessages();
        v1.MapPost("/messages/count_tokens", (HttpContext http, CountTokensRelay handler) =>
                SendsJson(http) ? handler.HandleAsync(http) : ApiAnswers.WriteAsync(http, ApiAnswers.UnsupportedContentType(http)))
            .WithName("CountMessageTokens")
            .WithSummary("The provider's count of a Messages API request's input tokens (Anthropic models)")
            .WithTags("Anthropic-compatible")
            .WithMetadata(AnthropicApiEndpoint.Instance)
            .DescribeCountTokens();
        return v1;
    }

    /// <summary>
    /// The body is declared JSON (any charset, as routing's own check for the OpenAI endpoints allows); anything else is
    /// a 415 in Anthropic's format, the answer routing gives those endpoints through the /v1 fallback.
    /// </summary>
    private static bool SendsJson(HttpContext http) =>
        MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type)
        && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
}

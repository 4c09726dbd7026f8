using LlmTr.Modules.Gateway.Chat;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LlmTr.Modules.Gateway.Messages;

/// <summary>Anthropic's Messages API on /v1: the chat pipeline with Anthropic's request, answer, stream and error shapes.</summary>
internal static class MessagesEndpoints
{
    public static RouteGroupBuilder MapMessagesEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/messages", (HttpContext http, ChatCompletionsHandler handler) => handler.HandleAsync(http, new MessagesFormat(http)))
            .WithName("CreateMessage")
            .WithSummary("Anthropic's Messages API, streaming or not, for every model in the catalog")
            .WithTags("Anthropic-compatible")
            .WithMetadata(AnthropicApiEndpoint.Instance)
            .DescribeMessages();
        v1.MapPost("/messages/count_tokens", (HttpContext http, CountTokensHandler handler) => handler.HandleAsync(http))
            .WithName("CountMessageTokens")
            .WithSummary("The provider's count of a Messages API request's input tokens (Anthropic models)")
            .WithTags("Anthropic-compatible")
            .WithMetadata(AnthropicApiEndpoint.Instance)
            .DescribeCountTokens();
        return v1;
    }
}

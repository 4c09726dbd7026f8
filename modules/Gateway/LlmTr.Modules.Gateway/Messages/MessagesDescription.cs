using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmTr.Modules.Gateway.Messages;

/// <summary>
/// The Messages API as the OpenAPI document shows it. Only answers are declared as metadata (a request body declared
/// without a type of its own breaks the OpenAPI document); the request's fields are described in words instead, and
/// <see cref="MessagesEndpoints"/> refuses another content type itself.
/// </summary>
internal static class MessagesDescription
{
    private const string RequestFields =
        "Anthropic's request: 'model' (a catalog id such as 'anthropic/claude-sonnet-4.5' or any other catalog model, translated), "
        + "'max_tokens' (required), 'messages' (user/assistant turns, and system messages; content a string or text, image, document, tool_use and tool_result blocks), "
        + "and optionally 'system', 'stream', 'temperature', 'top_p', 'top_k', 'stop_sequences', 'tools', 'tool_choice', 'output_config', 'metadata' and 'llmtr' "
        + "(residency and retention demands; routing options 'models' and 'provider', also accepted as a JSON object in the x-llmtr-route header). For a model whose provider speaks the Messages API the body, the anthropic-version and "
        + "anthropic-beta headers and the query string go up as sent (only the model's value replaced, 'llmtr' removed), and the provider "
        + "judges them. The key goes in 'x-api-key' or 'Authorization: Bearer'. With \"stream\": true the answer is "
        + "Anthropic's event stream (message_start … message_stop). Errors use Anthropic's shape {\"type\":\"error\",\"error\":{\"type\",\"message\"}}.";

    public static RouteHandlerBuilder DescribeMessages(this RouteHandlerBuilder endpoint) =>
        endpoint.WithDescription(RequestFields)
            .Produces<MessageBody>(StatusCodes.Status200OK, "application/json", "text/event-stream")
            .DescribeAnthropicErrors();

    public static RouteHandlerBuilder DescribeCountTokens(this RouteHandlerBuilder endpoint) =>
        endpoint.WithDescription("The same body as /v1/messages without 'max_tokens'; answers the provider's count of the input tokens. "
                + "Only for models whose provider speaks Anthropic's Messages API.")
            .Produces<TokenCountBody>(StatusCodes.Status200OK, "application/json")
            .DescribeAnthropicErrors();

    private static RouteHandlerBuilder DescribeAnthropicErrors(this RouteHandlerBuilder endpoint)
    {
        foreach (var status in ApiErrors.All.Where(e => e != ApiErrors.UnknownUrl).Select(e => e.Status).Distinct())
        {
            endpoint.Produces<AnthropicErrorBody>(status, "application/json");
        }

        return endpoint;
    }
}

internal sealed record MessageBody(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("type"), Description("Always 'message'.")] string Type,
    [property: JsonPropertyName("role"), Description("Always 'assistant'.")] string Role,
    [property: JsonPropertyName("model"), Description("The canonical id of the model that answered.")] string Model,
    [property: JsonPropertyName("content"), Description("Text and tool_use blocks.")] IReadOnlyList<JsonElement> Content,
    [property: JsonPropertyName("stop_reason"), Description("end_turn, max_tokens, stop_sequence or tool_use.")] string? StopReason,
    [property: JsonPropertyName("stop_sequence")] string? StopSequence,
    [property: JsonPropertyName("usage")] MessageUsageBody Usage);

internal sealed record MessageUsageBody(
    [property: JsonPropertyName("input_tokens")] long InputTokens,
    [property: JsonPropertyName("output_tokens")] long OutputTokens,
    [property: JsonPropertyName("cache_read_input_tokens")] long? CacheReadInputTokens,
    [property: JsonPropertyName("cost"), Description("What the request cost, in the platform currency.")] decimal? Cost);

internal sealed record TokenCountBody([property: JsonPropertyName("input_tokens")] long InputTokens);

internal sealed record AnthropicErrorBody(
    [property: JsonPropertyName("type"), Description("Always 'error'.")] string Type,
    [property: JsonPropertyName("error")] AnthropicErrorDetail Error);

internal sealed record AnthropicErrorDetail(
    [property: JsonPropertyName("type"), Description("invalid_request_error, authentication_error, permission_error, not_found_error, request_too_large, rate_limit_error, api_error or overloaded_error.")] string Type,
    [property: JsonPropertyName("message")] string Message);

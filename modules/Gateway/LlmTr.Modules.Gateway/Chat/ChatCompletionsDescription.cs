using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmTr.Modules.Gateway.Chat;

/// <summary>
/// POST /v1/chat/completions as the OpenAPI document describes it. The handler reads and writes JSON itself (so it can
/// stream and pass unknown fields through), so its shapes are declared here as endpoint metadata, and its error
/// responses are those of the public error list.
/// </summary>
internal static class ChatCompletionsDescription
{
    public static RouteHandlerBuilder DescribeChatCompletions(this RouteHandlerBuilder endpoint)
    {
        endpoint
            .WithDescription("OpenAI's request and answer; 'model' is a catalog id such as 'openai/gpt-4o'. With \"stream\": true the answer is "
                + "Server-Sent Events of chat.completion.chunk objects ending with 'data: [DONE]'. Fields the gateway does not know are passed to the provider. "
                + "LLMTR's own options go in 'llmtr' (residency, retention, and the routing options 'models' and 'provider'), which is never forwarded; "
                + "the routing options may come instead as a JSON object in the x-llmtr-route header.")
            .Accepts<ChatCompletionRequestBody>("application/json")
            .Produces<ChatCompletionBody>(StatusCodes.Status200OK, "application/json", "text/event-stream");
        foreach (var status in ApiErrors.All.Where(e => e != ApiErrors.UnknownModel).Select(e => e.Status).Distinct())
        {
            endpoint.Produces<OpenAiErrorResponse>(status, "application/json");
        }

        return endpoint;
    }
}

internal sealed record ChatCompletionRequestBody(
    [property: JsonPropertyName("model"), Description("A model id from the catalog, 'provider/model'.")] string Model,
    [property: JsonPropertyName("messages"), Description("The conversation, oldest first.")] IReadOnlyList<ChatMessageBody> Messages,
    [property: JsonPropertyName("stream"), Description("Answer as Server-Sent Events.")] bool? Stream,
    [property: JsonPropertyName("stream_options"), Description("{\"include_usage\": true} adds a final chunk with usage and cost.")] JsonElement? StreamOptions,
    [property: JsonPropertyName("temperature")] double? Temperature,
    [property: JsonPropertyName("top_p")] double? TopP,
    [property: JsonPropertyName("max_tokens")] int? MaxTokens,
    [property: JsonPropertyName("max_completion_tokens")] int? MaxCompletionTokens,
    [property: JsonPropertyName("n")] int? N,
    [property: JsonPropertyName("frequency_penalty")] double? FrequencyPenalty,
    [property: JsonPropertyName("presence_penalty")] double? PresencePenalty,
    [property: JsonPropertyName("stop"), Description("A string or an array of strings.")] JsonElement? Stop,
    [property: JsonPropertyName("response_format"), Description("{\"type\": \"text\" | \"json_object\" | \"json_schema\"}.")] JsonElement? ResponseFormat,
    [property: JsonPropertyName("tools"), Description("Function tools (or a provider's own tool types).")] IReadOnlyList<JsonElement>? Tools,
    [property: JsonPropertyName("tool_choice"), Description("'none', 'auto', 'required' or a named function.")] JsonElement? ToolChoice,
    [property: JsonPropertyName("parallel_tool_calls")] bool? ParallelToolCalls,
    [property: JsonPropertyName("seed")] long? Seed,
    [property: JsonPropertyName("user")] string? User,
    [property: JsonPropertyName("logprobs")] bool? Logprobs,
    [property: JsonPropertyName("top_logprobs")] int? TopLogprobs,
    [property: JsonPropertyName("reasoning_effort")] string? ReasoningEffort,
    [property: JsonPropertyName("metadata")] IReadOnlyDictionary<string, string>? Metadata);

internal sealed record ChatMessageBody(
    [property: JsonPropertyName("role"), Description("'system', 'developer', 'user', 'assistant' or 'tool'.")] string Role,
    [property: JsonPropertyName("content"), Description("A string, or an array of content parts (text, image_url, input_audio, file).")] JsonElement? Content,
    [property: JsonPropertyName("tool_calls")] IReadOnlyList<JsonElement>? ToolCalls,
    [property: JsonPropertyName("tool_call_id")] string? ToolCallId);

internal sealed record ChatCompletionBody(
    [property: JsonPropertyName("id"), Description("chatcmpl- followed by the request id (also in the x-request-id header).")] string Id,
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("model"), Description("The canonical id of the model that answered.")] string Model,
    [property: JsonPropertyName("choices")] IReadOnlyList<ChatChoiceBody> Choices,
    [property: JsonPropertyName("usage")] ChatUsageBody Usage);

internal sealed record ChatChoiceBody(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("message")] ChatMessageBody Message,
    [property: JsonPropertyName("finish_reason"), Description("'stop', 'length', 'tool_calls' or 'content_filter'.")] string FinishReason);

internal sealed record ChatUsageBody(
    [property: JsonPropertyName("prompt_tokens")] long PromptTokens,
    [property: JsonPropertyName("completion_tokens")] long CompletionTokens,
    [property: JsonPropertyName("total_tokens")] long TotalTokens,
    [property: JsonPropertyName("cost"), Description("What the request cost, in the platform currency.")] decimal Cost);

using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmTr.Modules.Gateway.Responses;

/// <summary>
/// POST /v1/responses as the OpenAPI document describes it: the handler reads and writes JSON itself, so the request's
/// and answer's shapes are declared here as metadata; errors are OpenAI's error object with the public error list.
/// </summary>
internal static class ResponsesDescription
{
    public static RouteHandlerBuilder DescribeResponses(this RouteHandlerBuilder endpoint)
    {
        endpoint
            .WithDescription("OpenAI's Responses API for every chat model. A model whose provider serves the Responses API itself (OpenAI, xAI) "
                + "gets the request as sent, with only the model replaced (built-in tools, reasoning items and the API's other options included); "
                + "for every other model it is translated onto the chat pipeline: 'input' (a string or message, "
                + "function_call and function_call_output items), 'instructions', function 'tools', 'tool_choice', 'text.format', 'reasoning.effort', "
                + "'max_output_tokens' and the sampling options. LLMTR stores no responses: 'store' is accepted and nothing is kept, "
                + "'previous_response_id' and 'conversation' are refused (send the whole conversation in 'input'). LLMTR's own options go in 'llmtr' "
                + "(residency, retention, and the routing options 'models' and 'provider', which may come instead in the x-llmtr-route header). "
                + "With \"stream\": true the answer is "
                + "the Responses API's event stream (response.created … response.completed), each event with its sequence_number.")
            .Accepts<CreateResponseRequestBody>("application/json")
            .Produces<ResponseBody>(StatusCodes.Status200OK, "application/json", "text/event-stream");
        foreach (var status in ApiErrors.All.Where(e => e != ApiErrors.UnknownModel && e != ApiErrors.ResponseNotStored).Select(e => e.Status).Distinct())
        {
            endpoint.Produces<OpenAiErrorResponse>(status, "application/json");
        }

        return endpoint;
    }
}

internal sealed record CreateResponseRequestBody(
    [property: JsonPropertyName("model"), Description("A model id from the catalog, 'provider/model'.")] string Model,
    [property: JsonPropertyName("input"), Description("A string, or input items: messages (input_text, input_image, input_file parts), function_call and function_call_output.")] JsonElement Input,
    [property: JsonPropertyName("instructions"), Description("A system message put before the input.")] string? Instructions,
    [property: JsonPropertyName("stream"), Description("Answer as the Responses API's Server-Sent Events.")] bool? Stream,
    [property: JsonPropertyName("tools"), Description("Function tools; built-in and custom tools only for a model whose provider serves the Responses API.")] IReadOnlyList<JsonElement>? Tools,
    [property: JsonPropertyName("tool_choice"), Description("'none', 'auto', 'required' or {\"type\": \"function\", \"name\": …}.")] JsonElement? ToolChoice,
    [property: JsonPropertyName("parallel_tool_calls")] bool? ParallelToolCalls,
    [property: JsonPropertyName("text"), Description("{\"format\": {\"type\": \"text\" | \"json_object\" | \"json_schema\", …}}.")] JsonElement? Text,
    [property: JsonPropertyName("reasoning"), Description("{\"effort\": …}.")] JsonElement? Reasoning,
    [property: JsonPropertyName("max_output_tokens")] int? MaxOutputTokens,
    [property: JsonPropertyName("temperature")] double? Temperature,
    [property: JsonPropertyName("top_p")] double? TopP,
    [property: JsonPropertyName("metadata"), Description("Echoed in the response; not kept.")] IReadOnlyDictionary<string, string>? Metadata,
    [property: JsonPropertyName("user")] string? User,
    [property: JsonPropertyName("store"), Description("Accepted; LLMTR keeps nothing, and the response says \"store\": false.")] bool? Store,
    [property: JsonPropertyName("include"), Description("Accepted; what cannot be honoured is left out.")] IReadOnlyList<string>? Include);

internal sealed record ResponseBody(
    [property: JsonPropertyName("id"), Description("resp_ followed by the request id (also in the x-request-id header).")] string Id,
    [property: JsonPropertyName("object"), Description("Always 'response'.")] string Object,
    [property: JsonPropertyName("created_at")] long CreatedAt,
    [property: JsonPropertyName("status"), Description("'completed', 'incomplete' (see incomplete_details) or 'failed'.")] string Status,
    [property: JsonPropertyName("incomplete_details"), Description("{\"reason\": \"max_output_tokens\" | \"content_filter\"} or null.")] JsonElement? IncompleteDetails,
    [property: JsonPropertyName("error")] JsonElement? Error,
    [property: JsonPropertyName("model"), Description("The canonical id of the model that answered.")] string Model,
    [property: JsonPropertyName("output"), Description("Items: reasoning, message (output_text parts) and function_call.")] IReadOnlyList<JsonElement> Output,
    [property: JsonPropertyName("usage")] ResponseUsageBody Usage);

internal sealed record ResponseUsageBody(
    [property: JsonPropertyName("input_tokens")] long InputTokens,
    [property: JsonPropertyName("input_tokens_details"), Description("{\"cached_tokens\": …, \"cache_write_tokens\": 0}: cache writes are not counted apart.")] JsonElement InputTokensDetails,
    [property: JsonPropertyName("output_tokens")] long OutputTokens,
    [property: JsonPropertyName("output_tokens_details"), Description("{\"reasoning_tokens\": …}.")] JsonElement OutputTokensDetails,
    [property: JsonPropertyName("total_tokens")] long TotalTokens,
    [property: JsonPropertyName("cost"), Description("What the request cost, in the platform currency.")] decimal Cost);

using LlmTr.Modules.Gateway.Chat;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LlmTr.Modules.Gateway.Responses;

/// <summary>
/// OpenAI's Responses API on /v1: creating a response runs the chat pipeline; the endpoints that read, delete or cancel a
/// stored response answer 404, because LLMTR stores none (the data-path promise), with a message saying so.
/// </summary>
internal static class ResponsesEndpoints
{
    public static RouteGroupBuilder MapResponsesEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/responses", (HttpContext http, ChatRelay handler, TimeProvider time) => handler.HandleAsync(http, new ResponsesFormat(time)))
            .WithName("CreateResponse")
            .WithSummary("OpenAI's Responses API, streaming or not, for every chat model in the catalog")
            .DescribeResponses();
        v1.MapGet("/responses/{id}", NotStored).ExcludeFromDescription();
        v1.MapDelete("/responses/{id}", NotStored).ExcludeFromDescription();
        v1.MapPost("/responses/{id}/cancel", NotStored).ExcludeFromDescription();
        v1.MapGet("/responses/{id}/input_items", NotStored).ExcludeFromDescription();
        return v1;
    }

    private static JsonHttpResult<OpenAiErrorResponse> NotStored(string id) => TypedResults.Json(
        new OpenAiErrorResponse(ApiErrors.ResponseNotStored.With(
            $"No response with id '{id}': LLMTR stores no responses (nothing sent to a model or produced by it is kept), so none can be read, "
            + "deleted or cancelled. Keep the output your client received, and send the whole conversation in 'input' of the next request.", "id")),
        GatewayJson.Default.OpenAiErrorResponse,
        statusCode: StatusCodes.Status404NotFound);
}

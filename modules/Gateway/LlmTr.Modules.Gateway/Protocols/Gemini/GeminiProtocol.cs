using System.Net.Http.Headers;
using System.Text.Json;
using LlmTr.Modules.Catalog.Contracts;

namespace LlmTr.Modules.Gateway.Protocols.Gemini;

/// <summary>
/// Google's Gemini API: <c>generateContent</c>, and <c>streamGenerateContent?alt=sse</c> for streams. The OpenAI
/// request is translated into Gemini's contents, system instruction, tools and generation config; Gemini's candidates
/// come back as OpenAI choices. The credential travels in the <c>x-goog-api-key</c> header, never in the URL, so it
/// cannot end up in an access log or an error message that quotes the address.
/// </summary>
internal sealed class GeminiProtocol : ChatProtocol
{
    public override ApiProtocol Protocol => ApiProtocol.Gemini;

    public override HttpRequestMessage CreateRequest(ChatCall call)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint(call))
        {
            Content = new ReadOnlyMemoryContent(GeminiRequestBody.Write(call.Request))
            {
                Headers = { ContentType = new MediaTypeHeaderValue("application/json") },
            },
        };
        call.Settings.Authorize(request);

        return request;
    }

    public override ChatCompletion ReadCompletion(JsonElement body, ChatCall call) => GeminiCompletion.Read(body);

    public override ChatStreamTranslator CreateStreamTranslator(ChatCall call) =>
        new GeminiStreamTranslator(GeminiGenerationConfig.CandidateCount(call.Request));

    /// <summary>Gemini's error body is <c>{"error": {"code", "message", "status"}}</c>, wrapped in an array by the non-SSE stream endpoint.</summary>
    public override string? ErrorMessage(JsonElement body) =>
        OpenAiErrorMessage(body.ValueKind == JsonValueKind.Array && body.GetArrayLength() > 0 ? body[0] : body);

    /// <summary>Google answers a bad or expired API key with 400 INVALID_ARGUMENT: that is a credential failure, ours to fix.</summary>
    public override System.Net.HttpStatusCode EffectiveStatus(System.Net.HttpStatusCode status, JsonElement body)
    {
        var error = body.ValueKind == JsonValueKind.Array && body.GetArrayLength() > 0 ? body[0] : body;
        if (status == System.Net.HttpStatusCode.BadRequest && error.ValueKind == JsonValueKind.Object
            && error.TryGetProperty("error", out var detail) && detail.ValueKind == JsonValueKind.Object
            && detail.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array
            && details.EnumerateArray().Any(d => d.ValueKind == JsonValueKind.Object && d.TryGetProperty("reason", out var reason)
                && (reason.ValueEquals("API_KEY_INVALID") || reason.ValueEquals("API_KEY_EXPIRED"))))
        {
            return System.Net.HttpStatusCode.Unauthorized;
        }

        return status;
    }

    /// <summary>
    /// <c>{base}/v1beta/models/{name}:generateContent</c>. A base URL that already names an API version (an override
    /// ending in <c>/v1beta</c>) is used as it is; an upstream name with a collection (<c>tunedModels/x</c>) keeps it.
    /// </summary>
    private static Uri Endpoint(ChatCall call) =>
        Endpoint(call.Settings, call.Model.UpstreamName, call.Request.Stream ? "streamGenerateContent?alt=sse" : "generateContent");

    /// <summary><c>{base}/v1beta/models/{name}:{method}</c> for any of Gemini's model methods (also embeddings and image output).</summary>
    public static Uri Endpoint(ProviderSettings settings, string upstreamName, string method)
    {
        var model = upstreamName.Contains('/', StringComparison.Ordinal) ? upstreamName : "models/" + upstreamName;
        var basePath = settings.BaseUrl.AbsolutePath.TrimEnd('/');
        var version = basePath.EndsWith("/v1beta", StringComparison.Ordinal) || basePath.EndsWith("/v1", StringComparison.Ordinal) ? "" : "v1beta/";
        return settings.Resolve(version + model + ":" + method);
    }
}

using System.Diagnostics;
using LlmTr.Modules.Gateway.Audio;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Embeddings;
using LlmTr.Modules.Gateway.Images;
using LlmTr.Modules.Gateway.Media;
using LlmTr.Modules.Gateway.Contracts;
using LlmTr.Modules.Gateway.Messages;
using LlmTr.Modules.Gateway.Responses;
using LlmTr.Modules.Gateway.Pipeline;
using LlmTr.Modules.Gateway.Playground;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.Modules.Gateway.Protocols.Anthropic;
using LlmTr.Modules.Gateway.Protocols.Gemini;
using LlmTr.Modules.Gateway.Protocols.OpenAi;
using LlmTr.Modules.Gateway.Upstream;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Gateway;

/// <summary>The OpenAI-compatible /v1 surface: provider adapters, streaming, usage capture.</summary>
public static class GatewayModule
{
    public static IServiceCollection AddGatewayModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.Section));
        services.AddSingleton<ProviderDirectory>();
        services.AddSingleton<DeploymentHealth>();
        services.AddSingleton<DeploymentRouter>();
        services.AddSingleton<ChatProtocol, OpenAiProtocol>();
        services.AddSingleton<ChatProtocol, AnthropicProtocol>();
        services.AddSingleton<ChatProtocol, GeminiProtocol>();
        services.AddSingleton<ProtocolSet>();
        services.AddSingleton<Admission>();
        services.AddSingleton<GatewayPipeline>();
        services.AddSingleton<ChatRelay>();
        services.AddSingleton<IPlaygroundChat, PlaygroundChat>();
        services.AddSingleton<IDeploymentProbe, DeploymentProbe>();
        services.AddSingleton<MediaRelay>();
        services.AddSingleton<ProviderCandidates>();
        services.AddSingleton<CountTokensRelay>();
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<IChatRequestRules, ChatRequestRules>();
        services.AddSingleton<JsonEndpoints>();
        services.AddSingleton<BodyBudget>();

        // One pooled handler for every provider: connections are pooled per upstream host, recycled now and then so
        // DNS changes are seen; no automatic decompression or redirects (a provider that redirects is misconfigured).
        // No trace context (traceparent) goes to providers unless Gateway:SendTraceContext says so: a provider has no
        // business with this installation's trace ids.
        services.AddHttpClient<UpstreamClient>(UpstreamClient.Name, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ActivityHeadersPropagator = sp.GetRequiredService<IOptions<GatewayOptions>>().Value.SendTraceContext
                    ? DistributedContextPropagator.Current
                    : null,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
                ConnectTimeout = TimeSpan.FromSeconds(10),
                AllowAutoRedirect = false,
                UseCookies = false,
                EnableMultipleHttp2Connections = true,
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // The gateway logs upstream failures itself, with the request id; the factory's per-call log scopes and
            // lines would cost every request for nothing.
            .RemoveAllLoggers();
        return services;
    }

    /// <summary>
    /// Request ids and JSON errors on every /v1 answer (see <see cref="ApiAnswers"/>); goes before authentication, so
    /// its answers carry them too.
    /// </summary>
    public static IApplicationBuilder UseGatewayAnswers(this IApplicationBuilder app) => app.UseMiddleware<ApiAnswers>();

    public static IEndpointRouteBuilder MapGatewayEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGroup("/v1").WithTags("OpenAI-compatible").WithMetadata(ApiKeyRequired.Instance);
        v1.MapPost("/chat/completions", (HttpContext http, ChatRelay handler) => handler.HandleAsync(http))
            .WithName("CreateChatCompletion")
            .WithSummary("Chat completions in OpenAI's format, streaming or not, for every model in the catalog")
            .DescribeChatCompletions();
        v1.MapPost("/embeddings", (HttpContext http, MediaRelay relay) => relay.HandleAsync(http, new EmbeddingsOperation()))
            .WithName("CreateEmbeddings")
            .WithSummary("Embeddings in OpenAI's format, for models with the embeddings operation")
            .Accepts<EmbeddingsRequestBody>("application/json")
            .Produces<EmbeddingsBody>(StatusCodes.Status200OK, "application/json")
            .DescribeErrors();
        v1.MapPost("/images/generations", (HttpContext http, MediaRelay relay) => relay.HandleAsync(http, new ImageGenerationOperation()))
            .WithName("CreateImage")
            .WithSummary("Image generation in OpenAI's format, billed per image, for models with the image_generation operation")
            .Accepts<ImageGenerationRequestBody>("application/json")
            .Produces<ImagesBody>(StatusCodes.Status200OK, "application/json")
            .DescribeErrors();
        v1.MapPost("/audio/speech", (HttpContext http, MediaRelay relay) => relay.HandleAsync(http, new SpeechOperation()))
            .WithName("CreateSpeech")
            .WithSummary("Text to speech in OpenAI's format; the answer is audio and its cost is in the x-llmtr-cost header")
            .Accepts<SpeechRequestBody>("application/json")
            .Produces(StatusCodes.Status200OK, contentType: "audio/mpeg")
            .DescribeErrors();
        v1.MapPost("/audio/transcriptions", (HttpContext http, MediaRelay relay) => relay.HandleAsync(http, new TranscriptionOperation()))
            .WithName("CreateTranscription")
            .WithSummary("Speech to text from a multipart upload ('file', 'model'), billed per audio minute")
            // No Accepts metadata: it would make routing turn any other content type into a 404, where the handler answers
            // a precise 400 naming 'file'. The form's fields are described in words instead.
            .WithDescription("multipart/form-data with 'file' (the audio: flac, mp3, mp4, mpeg, mpga, m4a, ogg, wav or webm, at most 25 MB), 'model', "
                + "and optionally 'language', 'prompt', 'response_format' (json, text, srt, verbose_json, vtt) and 'temperature'.")
            .Produces<TranscriptionBody>(StatusCodes.Status200OK, "application/json", "text/plain")
            .DescribeErrors();
        v1.MapResponsesEndpoints();
        v1.MapMessagesEndpoints();

        // An address under /v1 that does not exist gets the API's error object too, not an empty 404; so does a JSON
        // endpoint called with another content type, which routing hands to this fallback rather than to the endpoint.
        endpoints.MapFallback("/v1/{**path}", (HttpContext http, JsonEndpoints json) => json.Serves(http)
                ? ApiAnswers.WriteAsync(http, ApiAnswers.UnsupportedContentType(http))
                : ApiAnswers.WriteAsync(http, GatewayError.Of(ApiErrors.UnknownUrl,
                    $"Unknown request URL: {http.Request.Method} {http.Request.Path}. See the API reference for the endpoints.")))
            .ExcludeFromDescription();
        return endpoints;
    }
}

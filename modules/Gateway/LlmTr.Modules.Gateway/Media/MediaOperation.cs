using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Pipeline;
using LlmTr.Modules.Gateway.Protocols;
using Microsoft.AspNetCore.Http;

namespace LlmTr.Modules.Gateway.Media;

/// <summary>
/// One request to a /v1 endpoint other than chat (embeddings, image generation, speech, transcription): how it is read
/// and checked, how it goes up to each protocol that can carry it, and how the answer comes back in OpenAI's format.
/// <see cref="MediaRelay"/> does everything the endpoints share. One instance serves one request.
/// </summary>
internal abstract class MediaOperation : IDisposable
{
    /// <summary>The catalog operation a model must list to be called here.</summary>
    public abstract string Operation { get; }

    /// <summary>The operation in words, for error messages ("embeddings").</summary>
    public abstract string Describe { get; }

    /// <summary>The protocols this operation can be translated to.</summary>
    public abstract IReadOnlySet<ApiProtocol> Protocols { get; }

    /// <summary>The model id the request named (set by <see cref="ReadAsync"/>).</summary>
    public string Model { get; protected set; } = "";

    /// <summary>Reads and validates the request; the error to answer, or null.</summary>
    public abstract Task<GatewayError?> ReadAsync(HttpContext http, GatewayOptions options, BodyBudget budget);

    /// <summary>What else this request needs of this model and protocol (beyond the operation), or null when it can be served.</summary>
    public virtual GatewayError? Check(CatalogModel model, ApiProtocol protocol) => null;

    /// <summary>
    /// What this request can consume at most on <paramref name="model"/> (the credit gate holds its price while it
    /// runs) at the prices in force at <paramref name="at"/>, or null when that cannot be known before the provider answers.
    /// </summary>
    public virtual UsageCounts? Maximum(CatalogModel model, DateTimeOffset at) => null;

    public abstract HttpRequestMessage CreateRequest(MediaCall call);

    /// <summary>Reads a successful (2xx) upstream answer; throws <see cref="UpstreamProtocolException"/> when it makes no sense.</summary>
    public abstract Task<MediaAnswer> ReadAnswerAsync(HttpResponseMessage response, MediaCall call, CancellationToken cancellationToken);

    public virtual void Dispose()
    {
    }
}

/// <summary>Everything an operation needs for one upstream call.</summary>
internal sealed record MediaCall(CatalogModel Model, CatalogProvider Provider, ProviderSettings Settings, long Created)
{
    /// <summary>A POST to <paramref name="address"/> with the provider's credential in the header its protocol uses (never in the URL).</summary>
    public HttpRequestMessage Post(Uri address, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, address) { Content = content };
        Settings.Authorize(request);
        return request;
    }

    /// <summary>An OpenAI-compatible endpoint under the provider's base URL (<c>embeddings</c>, <c>audio/speech</c>).</summary>
    public Uri OpenAi(string path) => Settings.Resolve(path);

    /// <summary>One of Gemini's model methods (<c>batchEmbedContents</c>, <c>generateContent</c>).</summary>
    public Uri Gemini(string method) => Protocols.Gemini.GeminiProtocol.Endpoint(Settings, Model.UpstreamName, method);
}

/// <summary>A translated answer: what it consumed (in the catalog's units) and how it is written once its cost is known.</summary>
internal abstract class MediaAnswer
{
    public abstract UsageCounts Usage { get; }

    public abstract Task WriteAsync(AnswerTarget response, MediaCall call, UsageCharge charge, CancellationToken cancellationToken);
}

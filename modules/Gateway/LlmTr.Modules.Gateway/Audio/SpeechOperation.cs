using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Media;
using Microsoft.AspNetCore.Http;

using LlmTr.Modules.Gateway.Pipeline;

namespace LlmTr.Modules.Gateway.Audio;

/// <summary>
/// POST /v1/audio/speech in OpenAI's format, for OpenAI-compatible providers: the body goes up as sent and the audio
/// bytes come back as they arrive, with the provider's content type. The answer is audio, so its cost travels in the
/// <c>x-llmtr-cost</c> header. Billed per request (the catalog's per-request price) and for the input text at the
/// model's input-token price, counting about four characters a token (providers report no usage here).
/// </summary>
internal sealed class SpeechOperation : JsonOperation
{
    /// <summary>OpenAI's own limit on the text of one request.</summary>
    public const int MaxInputLength = 4096;

    private static readonly HashSet<ApiProtocol> Served = [ApiProtocol.OpenAi];

    public override string Operation => Operations.Speech;

    public override string Describe => "speech (text to speech)";

    public override IReadOnlySet<ApiProtocol> Protocols => Served;

    protected override GatewayError? Validate() =>
        RequiredText("input", MaxInputLength, "the text to speak")
        ?? (Property("voice") is { ValueKind: JsonValueKind.String or JsonValueKind.Object }
            ? null
            : GatewayError.Invalid("'voice' is required: a voice name such as 'alloy'.", "voice"))
        ?? OneOf("response_format", "mp3", "opus", "aac", "flac", "wav", "pcm")
        ?? Between("speed", 0.25, 4.0)
        ?? (Property("instructions") is null or { ValueKind: JsonValueKind.String } ? null : GatewayError.Invalid("'instructions' must be a string.", "instructions"));

    /// <summary>Exactly what the request is billed: the input text, counted as it will be.</summary>
    public override UsageCounts? Maximum(CatalogModel model, DateTimeOffset at) => InputUsage;

    public override HttpRequestMessage CreateRequest(MediaCall call) => call.Post(call.OpenAi("audio/speech"), PassThrough(call));

    public override Task<MediaAnswer> ReadAnswerAsync(HttpResponseMessage response, MediaCall call, CancellationToken cancellationToken) =>
        Task.FromResult<MediaAnswer>(new AudioAnswer(response, InputUsage));

    /// <summary>The input text at about four characters a token (providers report no usage here).</summary>
    private UsageCounts InputUsage => new((String("input")!.Length + 3) / 4, 0);

    /// <summary>The provider's audio, relayed as it arrives.</summary>
    private sealed class AudioAnswer(HttpResponseMessage upstream, UsageCounts usage) : MediaAnswer
    {
        public override UsageCounts Usage => usage;

        public override async Task WriteAsync(AnswerTarget response, MediaCall call, UsageCharge charge, CancellationToken cancellationToken)
        {
            response.ContentType = upstream.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
            await using var audio = await upstream.Content.ReadAsStreamAsync(cancellationToken);
            await audio.CopyToAsync(response.Body, cancellationToken);
        }
    }
}

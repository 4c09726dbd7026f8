using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Media;
using LlmTr.Modules.Gateway.Pipeline;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LlmTr.Modules.Gateway.Audio;

/// <summary>
/// POST /v1/audio/transcriptions: OpenAI's multipart upload (<c>file</c>, <c>model</c> and options), for
/// OpenAI-compatible providers. The form is sent up again with the upstream model name. Billed per audio minute:
/// from the provider's usage (<c>seconds</c>, or its token counts), else the <c>duration</c> of a verbose answer, else
/// the WAV header or the subtitles' last cue. A client asking for plain <c>text</c> gets it, but the gateway asks the
/// provider for JSON, which carries the usage that text cannot.
/// </summary>
internal sealed class TranscriptionOperation : MediaOperation
{
    private static readonly HashSet<ApiProtocol> Served = [ApiProtocol.OpenAi];

    private static readonly string[] AudioExtensions = ["flac", "mp3", "mp4", "mpeg", "mpga", "m4a", "ogg", "oga", "wav", "webm"];

    private static readonly string[] Formats = ["json", "text", "srt", "verbose_json", "vtt"];

    private readonly List<KeyValuePair<string, string>> _fields = [];
    private BodyBudget.Share? _share;
    private byte[] _file = [];
    private string _fileName = "";
    private string? _fileType;

    public override string Operation => Operations.Transcription;

    public override string Describe => "transcription (speech to text)";

    public override IReadOnlySet<ApiProtocol> Protocols => Served;

    public string ResponseFormat { get; private set; } = "json";

    public override async Task<GatewayError?> ReadAsync(HttpContext http, GatewayOptions options, BodyBudget budget)
    {
        if (!http.Request.HasFormContentType || !http.Request.ContentType!.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return GatewayError.Invalid(
                $"This endpoint takes 'multipart/form-data' with the audio in a 'file' part and the 'model' field; the request's content type is '{http.Request.ContentType ?? "none"}'.",
                "file");
        }

        // Room for the other fields and the multipart framing around a file of the largest size accepted.
        var bodyLimit = options.MaxUploadBytes + (1024 * 1024);
        var tooLarge = GatewayError.Of(ApiErrors.FileTooLarge,
            $"The upload is larger than the limit of {Megabytes(options.MaxUploadBytes)} for one audio file. Split the audio, or compress it.", "file");
        if (http.Request.ContentLength > bodyLimit)
        {
            return tooLarge;
        }

        // The server stops the body at the limit (with a 413 told below), declared or chunked; the form's own limit lies
        // just above, so it only acts where the server cannot enforce one, and never turns an oversize body into "malformed".
        // The upload is held in memory once read (the form spills large files to disk, the file is then read back whole):
        // its share of the host's body budget is taken first, for its declared length or, chunked, the largest it may be.
        _share = budget.Open(http.RequestAborted);
        if (!await _share.CoverAsync((int)Math.Min(http.Request.ContentLength ?? bodyLimit, int.MaxValue)))
        {
            return RequestBody.Busy(http, budget);
        }

        RequestBody.AllowUpTo(http, bodyLimit);
        http.Features.Set<IFormFeature>(new FormFeature(http.Request, new FormOptions { MultipartBodyLengthLimit = bodyLimit + (64 * 1024), ValueLengthLimit = 64 * 1024 }));
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return tooLarge;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            return GatewayError.Invalid("The multipart body could not be read: it is malformed or cut short. Send the audio as a 'file' part of a multipart/form-data body.", "file");
        }

        Model = form["model"].ToString();
        if (Model.Length == 0)
        {
            return GatewayError.Invalid("'model' is required: a model id such as 'openai/whisper-1', as a form field.", "model");
        }

        if (form.Files.GetFile("file") is not { } file)
        {
            return GatewayError.Invalid("'file' is required: the audio to transcribe, as a file part of the form.", "file");
        }

        if (file.Length > options.MaxUploadBytes)
        {
            return GatewayError.Of(ApiErrors.FileTooLarge, $"The audio file is {Megabytes(file.Length)}; the limit is {Megabytes(options.MaxUploadBytes)}. Split the audio, or compress it.", "file");
        }

        if (file.Length == 0)
        {
            return GatewayError.Invalid("'file' is empty.", "file");
        }

        var extension = Path.GetExtension(file.FileName).TrimStart('.').ToLowerInvariant();
        if (!AudioExtensions.Contains(extension))
        {
            return GatewayError.Invalid($"'file' must be audio in one of these formats: {string.Join(", ", AudioExtensions)} (told by the file name's extension); got '{file.FileName}'.", "file");
        }

        ResponseFormat = form["response_format"].ToString() is { Length: > 0 } format ? format : "json";
        if (!Formats.Contains(ResponseFormat))
        {
            return GatewayError.Invalid($"'response_format' must be one of {string.Join(", ", Formats.Select(f => $"'{f}'"))}.", "response_format");
        }

        if (form["temperature"].ToString() is { Length: > 0 } temperature
            && (!double.TryParse(temperature, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) || t is < 0 or > 1))
        {
            return GatewayError.Invalid("'temperature' must be a number from 0 to 1.", "temperature");
        }

        if (form["stream"].ToString() is "true" or "True")
        {
            return GatewayError.Invalid("Streamed transcriptions are not served: leave 'stream' out, or set it to false.", "stream");
        }

        foreach (var (name, values) in form)
        {
            // A part without a usable name cannot be sent on (nor would a provider know what it is).
            if (name is not ("model" or "response_format" or "stream") && !string.IsNullOrWhiteSpace(name))
            {
                _fields.AddRange(values.Select(v => new KeyValuePair<string, string>(name, v ?? "")));
            }
        }

        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, http.RequestAborted);
        _file = buffer.ToArray();
        _fileName = Path.GetFileName(file.FileName);
        _fileType = file.ContentType;
        return null;
    }

    /// <summary>
    /// A WAV file's length from its header (a second more, for a provider that rounds up) when the model is priced per
    /// audio minute only; otherwise unknown before the provider answers (compressed audio's length cannot be read
    /// without decoding it, and token-priced models report tokens only afterwards).
    /// </summary>
    public override UsageCounts? Maximum(CatalogModel model, DateTimeOffset at)
    {
        if (model.PriceAt(PriceUnit.InputTokensPerMillion, at) is { Amount: > 0 } || model.PriceAt(PriceUnit.OutputTokensPerMillion, at) is { Amount: > 0 }
            || model.PriceAt(PriceUnit.AudioInputTokensPerMillion, at) is { Amount: > 0 })
        {
            return null;
        }

        return AudioDuration.OfWav(_file) is { } seconds ? Minutes(Math.Ceiling(seconds) + 1) : null;
    }

    public override void Dispose()
    {
        _share?.Dispose();
        base.Dispose();
    }

    public override HttpRequestMessage CreateRequest(MediaCall call)
    {
        var form = new MultipartFormDataContent();
        var audio = new ByteArrayContent(_file);
        if (MediaTypeHeaderValue.TryParse(_fileType, out var type))
        {
            audio.Headers.ContentType = type;
        }

        form.Add(audio, "file", _fileName);
        form.Add(new StringContent(call.Model.UpstreamName), "model");
        form.Add(new StringContent(ResponseFormat == "text" ? "json" : ResponseFormat), "response_format");
        foreach (var (name, value) in _fields)
        {
            form.Add(new StringContent(value), name);
        }

        return call.Post(call.OpenAi("audio/transcriptions"), form);
    }

    public override async Task<MediaAnswer> ReadAnswerAsync(HttpResponseMessage response, MediaCall call, CancellationToken cancellationToken)
    {
        if (ResponseFormat is "srt" or "vtt")
        {
            var subtitles = await response.Content.ReadAsStringAsync(cancellationToken);
            var seconds = AudioDuration.OfSubtitles(subtitles) ?? AudioDuration.OfWav(_file) ?? 0;
            return new TextAnswer(subtitles, ResponseFormat == "vtt" ? "text/vtt; charset=utf-8" : "text/plain; charset=utf-8", Minutes(seconds));
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        var body = document.RootElement;
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
        {
            document.Dispose();
            throw new UpstreamProtocolException("The provider's transcription has no 'text'.");
        }

        var counts = Usage(body);
        if (ResponseFormat == "text")
        {
            var answer = new TextAnswer(text.GetString() + "\n", "text/plain; charset=utf-8", counts);
            document.Dispose();
            return answer;
        }

        return new JsonAnswer(document, counts, (writer, _, charge) =>
        {
            foreach (var property in body.EnumerateObject())
            {
                if (property.Name != "usage")
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteStartObject("usage"u8);
            if (body.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in usage.EnumerateObject())
                {
                    if (property.Name is not ("cost" or "cost_currency"))
                    {
                        property.WriteTo(writer);
                    }
                }
            }
            else
            {
                writer.WriteString("type"u8, "duration"u8);
                writer.WriteNumber("seconds"u8, Math.Ceiling(counts.AudioMinutes * 60));
            }

            OpenAiUsage.WriteCost(writer, charge);
            writer.WriteEndObject();
        });
    }

    /// <summary>What the transcription consumed: the provider's usage first, then the answer's duration, then the file's own header.</summary>
    private UsageCounts Usage(JsonElement body)
    {
        if (body.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            if (usage.TryGetProperty("seconds", out var seconds) && seconds.ValueKind == JsonValueKind.Number)
            {
                return Minutes(seconds.GetDouble());
            }

            if (usage.TryGetProperty("input_tokens", out _))
            {
                // Token-priced transcription (gpt-4o-transcribe) splits the prompt into audio and text tokens, priced apart.
                return new UsageCounts(OpenAiUsage.Long(usage, "input_tokens"), OpenAiUsage.Long(usage, "output_tokens"),
                    AudioMinutes: Minutes(AudioDuration.OfWav(_file) ?? 0).AudioMinutes)
                {
                    AudioPromptTokens = usage.TryGetProperty("input_token_details", out var details) ? OpenAiUsage.Long(details, "audio_tokens") : 0,
                };
            }
        }

        return Minutes(body.TryGetProperty("duration", out var duration) && duration.ValueKind == JsonValueKind.Number
            ? duration.GetDouble()
            : AudioDuration.OfWav(_file) ?? 0);
    }

    private static UsageCounts Minutes(double seconds) => new(0, 0, AudioMinutes: (decimal)Math.Max(0, seconds) / 60m);

    private static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024.0):0.##} MB";

    /// <summary>A transcription written as text (plain, SRT or VTT).</summary>
    private sealed class TextAnswer(string text, string contentType, UsageCounts usage) : MediaAnswer
    {
        public override UsageCounts Usage => usage;

        public override async Task WriteAsync(AnswerTarget response, MediaCall call, UsageCharge charge, CancellationToken cancellationToken)
        {
            response.ContentType = contentType;
            await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        }
    }
}

using System.Text.Json;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Http;

namespace LlmTr.Modules.Gateway.Media;

/// <summary>
/// An operation whose request is a JSON object (embeddings, image generation, speech): read once under the gateway's
/// size limit, with <c>model</c> required, and checked field by field so a mistake is a 400 naming the field.
/// Fields the gateway does not check stay in <see cref="Root"/> for OpenAI-compatible providers.
/// </summary>
internal abstract class JsonOperation : MediaOperation
{
    private JsonDocument? _document;
    private BufferedBody? _body;

    public JsonElement Root => _document!.RootElement;

    public int BodyLength { get; private set; }

    public override async Task<GatewayError?> ReadAsync(HttpContext http, GatewayOptions options, BodyBudget budget)
    {
        var (read, refusal) = await RequestBody.ReadAsync(http, options.MaxRequestBytes, budget);
        if (read is null)
        {
            return refusal == RequestBody.Refusal.Busy
                ? RequestBody.Busy(http, budget)
                : GatewayError.Of(ApiErrors.RequestTooLarge, $"The request body is larger than the limit of {options.MaxRequestBytes / (1024 * 1024)} MB.");
        }

        _body = read;
        var body = read.Memory;
        try
        {
            _document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            return GatewayError.Of(ApiErrors.InvalidJson,
                $"The request body is not valid JSON ({e.Message.Split(" Path:")[0].TrimEnd('.')}). Send a JSON object with 'Content-Type: application/json'.");
        }

        if (JsonText.Problem(body.Span) is { } problem)
        {
            return GatewayError.Of(ApiErrors.InvalidJson, $"The request body is not valid JSON ({problem}). Send UTF-8 JSON with 'Content-Type: application/json'.");
        }

        BodyLength = body.Length;
        if (Root.ValueKind != JsonValueKind.Object)
        {
            return GatewayError.Of(ApiErrors.InvalidJson, "The request body must be a JSON object.");
        }

        if (Property("model") is not { ValueKind: JsonValueKind.String } model || model.GetString() is not { Length: > 0 } id)
        {
            return GatewayError.Invalid("'model' is required and must be a string: a model id such as 'openai/text-embedding-3-small'.", "model");
        }

        Model = id;
        return Validate();
    }

    /// <summary>The operation's own fields; the error to answer, or null.</summary>
    protected abstract GatewayError? Validate();

    public JsonElement? Property(string name) => Root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public string? String(string name) => Property(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>An optional string field that must be one of <paramref name="allowed"/>.</summary>
    protected GatewayError? OneOf(string name, params string[] allowed) => Property(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value when allowed.Contains(value.GetString()) => null,
        _ => GatewayError.Invalid($"'{name}' must be one of {string.Join(", ", allowed.Select(a => $"'{a}'"))}.", name),
    };

    /// <summary>An optional number field within a range.</summary>
    protected GatewayError? Between(string name, double min, double max, bool integer = false) => Property(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } value when value.GetDouble() >= min && value.GetDouble() <= max && (!integer || value.TryGetInt32(out _)) => null,
        _ => GatewayError.Invalid($"'{name}' must be {(integer ? "an integer" : "a number")} from {min} to {max}.", name),
    };

    /// <summary>A required, non-empty string field no longer than <paramref name="maxLength"/> characters.</summary>
    protected GatewayError? RequiredText(string name, int maxLength, string what) => Property(name) switch
    {
        { ValueKind: JsonValueKind.String } value when value.GetString() is { Length: > 0 } text && text.Length <= maxLength => null,
        { ValueKind: JsonValueKind.String } value when value.GetString()!.Length > maxLength =>
            GatewayError.Invalid($"'{name}' is too long: at most {maxLength} characters.", name),
        _ => GatewayError.Invalid($"'{name}' is required and must be a non-empty string: {what}.", name),
    };

    /// <summary>The body as sent, with <c>model</c> set to the upstream name (for OpenAI-compatible providers).</summary>
    protected ReadOnlyMemoryContent PassThrough(MediaCall call, Action<Utf8JsonWriter>? adjust = null, params string[] drop)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(BodyLength + 64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in Root.EnumerateObject())
            {
                if (property.Name is not ("model" or "llmtr") && !drop.Contains(property.Name))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteString("model"u8, call.Model.UpstreamName);
            adjust?.Invoke(writer);
            writer.WriteEndObject();
        }

        return Json(buffer.WrittenMemory);
    }

    public static ReadOnlyMemoryContent Json(ReadOnlyMemory<byte> body) =>
        new(body) { Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") } };

    public override void Dispose()
    {
        _document?.Dispose();
        _body?.Dispose(); // after the document read from it
        base.Dispose();
    }
}

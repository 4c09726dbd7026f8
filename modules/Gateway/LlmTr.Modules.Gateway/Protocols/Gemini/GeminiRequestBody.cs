using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using LlmTr.Modules.Gateway.Chat;

namespace LlmTr.Modules.Gateway.Protocols.Gemini;

/// <summary>
/// The <c>GenerateContentRequest</c> body for one chat request: contents and system instruction, tools and tool
/// config, generation config, and the Gemini fields the client sent as extras (see <see cref="GeminiExtras"/>).
/// </summary>
internal static class GeminiRequestBody
{
    /// <summary>
    /// The body goes to Google, not into a web page: relaxed escaping keeps Turkish text and base64 payloads as they
    /// are instead of turning each non-ASCII character and every '+' into a six-byte escape.
    /// </summary>
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static ReadOnlyMemory<byte> Write(ChatRequest request)
    {
        var body = new ArrayBufferWriter<byte>(JsonMarshal.GetRawUtf8Value(request.Root).Length + 256);
        var extras = GeminiExtras.From(request);
        using (var writer = new Utf8JsonWriter(body, Options))
        {
            writer.WriteStartObject();
            GeminiContents.Write(writer, request.Messages);
            GeminiTools.Write(writer, request);
            GeminiGenerationConfig.Write(writer, request, extras.GenerationConfig);
            foreach (var property in extras.TopLevel)
            {
                property.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return body.WrittenMemory;
    }
}

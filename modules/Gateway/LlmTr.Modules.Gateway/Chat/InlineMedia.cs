using System.Runtime.InteropServices;
using System.Text.Json;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Gateway.Chat;

/// <summary>
/// The per-item limit on media sent inline in chat messages (image data URLs, <c>input_audio</c> data, a file's
/// <c>file_data</c>), counted as sent. Checked only when the body itself is larger than the limit, so ordinary
/// requests pay nothing for it.
/// </summary>
internal static class InlineMedia
{
    public static GatewayError? Oversized(ChatRequest request, long limit)
    {
        if (request.BodyLength <= limit)
        {
            return null;
        }

        var index = 0;
        foreach (var message in request.Messages.EnumerateArray())
        {
            if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
            {
                var part = 0;
                foreach (var item in content.EnumerateArray())
                {
                    var (data, what) = item.GetProperty("type").GetString() switch
                    {
                        "image_url" => (item.GetProperty("image_url").GetProperty("url"), "image"),
                        "input_audio" => (item.GetProperty("input_audio").GetProperty("data"), "audio clip"),
                        "file" when item.GetProperty("file").TryGetProperty("file_data", out var fileData) => (fileData, "file"),
                        _ => (default, ""),
                    };
                    if (data.ValueKind == JsonValueKind.String && JsonMarshal.GetRawUtf8Value(data).Length > limit)
                    {
                        return GatewayError.Of(ApiErrors.FileTooLarge,
                            $"The inline {what} at 'messages[{index}].content[{part}]' is larger than the limit of {limit / (1024.0 * 1024.0):0.##} MB for one item. Send images by URL, or make the item smaller.",
                            $"messages[{index}].content[{part}]");
                    }

                    part++;
                }
            }

            index++;
        }

        return null;
    }
}

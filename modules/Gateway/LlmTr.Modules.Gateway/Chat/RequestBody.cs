using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LlmTr.Modules.Gateway.Chat;

/// <summary>Reads a /v1 request body whole, under the gateway's own size limit (so the answer is the gateway's error, not the server's).</summary>
internal static class RequestBody
{
    /// <summary>The body, or null when it is larger than <paramref name="limit"/> bytes.</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpContext http, long limit)
    {
        if (http.Request.ContentLength > limit)
        {
            return null;
        }

        AllowUpTo(http, limit);
        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(http.Request.ContentLength ?? 4096, limit) + 1);
        var reader = http.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(http.RequestAborted);
            foreach (var segment in read.Buffer)
            {
                if (buffer.WrittenCount + segment.Length > limit)
                {
                    reader.AdvanceTo(read.Buffer.End);
                    return null;
                }

                buffer.Write(segment.Span);
            }

            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                return buffer.WrittenMemory;
            }
        }
    }

    /// <summary>Lets the server accept a body of up to <paramref name="limit"/> bytes: the gateway's limit decides, with its own error.</summary>
    public static void AllowUpTo(HttpContext http, long limit)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverLimit)
        {
            serverLimit.MaxRequestBodySize = limit + 1;
        }
    }
}

using System.Buffers;
using System.Globalization;
using System.Numerics;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace LlmTr.Modules.Gateway.Chat;

/// <summary>
/// Reads a /v1 request body whole, under the gateway's own size limit (so the answer is the gateway's error, not the
/// server's), into a pooled buffer covered by the host's <see cref="BodyBudget"/>.
/// </summary>
internal static class RequestBody
{
    /// <summary>Why a body was not read.</summary>
    internal enum Refusal
    {
        None,

        /// <summary>Larger than the limit, declared or counted.</summary>
        TooLarge,

        /// <summary>The host holds as many bodies as it may, and none was freed in time.</summary>
        Busy,
    }

    /// <summary>The body of a JSON request, or the error that answers it (too large, or the host too busy to hold it).</summary>
    public static async Task<(BufferedBody? Body, GatewayError? Error)> ReadOrRefuseAsync(HttpContext http, long limit, BodyBudget budget)
    {
        var (body, refusal) = await ReadAsync(http, limit, budget);
        return body is not null
            ? (body, null)
            : (null, refusal == Refusal.Busy
                ? Busy(http, budget)
                : GatewayError.Of(ApiErrors.RequestTooLarge,
                    $"The request body is larger than the limit of {limit / (1024 * 1024)} MB. Send large files by URL, or split the request."));
    }

    /// <summary>The body, or why it was not read (its buffer and share are then already given back).</summary>
    public static async Task<(BufferedBody? Body, Refusal Refusal)> ReadAsync(HttpContext http, long limit, BodyBudget budget)
    {
        var declared = http.Request.ContentLength;
        if (declared > limit)
        {
            return (null, Refusal.TooLarge);
        }

        AllowUpTo(http, limit);
        var share = budget.Open(http.RequestAborted);
        byte[]? buffer = null;
        try
        {
            // A declared length is the buffer's size (the server never delivers more); otherwise it grows as bytes come.
            var size = (int)Math.Min(declared ?? 16 * 1024, limit);
            if (!await share.CoverAsync(Pooled(size)))
            {
                share.Dispose();
                await DiscardAsync(http, limit);
                return (null, Refusal.Busy);
            }

            buffer = ArrayPool<byte>.Shared.Rent(size);
            var length = 0;
            var reader = http.Request.BodyReader;
            while (true)
            {
                var read = await reader.ReadAsync(http.RequestAborted);
                foreach (var segment in read.Buffer)
                {
                    if (length + segment.Length > limit)
                    {
                        reader.AdvanceTo(read.Buffer.End);
                        Release(ref buffer, share);
                        return (null, Refusal.TooLarge);
                    }

                    if (length + segment.Length > buffer.Length)
                    {
                        var grown = (int)Math.Min(Math.Max(buffer.Length * 2L, length + segment.Length), limit);
                        if (!await share.CoverAsync(Pooled(grown)))
                        {
                            reader.AdvanceTo(read.Buffer.End);
                            Release(ref buffer, share);
                            await DiscardAsync(http, limit - length);
                            return (null, Refusal.Busy);
                        }

                        var larger = ArrayPool<byte>.Shared.Rent(grown);
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    segment.Span.CopyTo(buffer.AsSpan(length));
                    length += segment.Length;
                }

                reader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    var body = new BufferedBody(buffer, length, share);
                    buffer = null;
                    return (body, Refusal.None);
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // A body without Content-Length (chunked) ran past the limit the server was given: the same answer as a declared one.
            Release(ref buffer, share);
            return (null, Refusal.TooLarge);
        }
        catch
        {
            Release(ref buffer, share);
            throw;
        }
    }

    /// <summary>
    /// Reads the rest of a refused body without keeping it (up to <paramref name="limit"/> bytes), so the client, still
    /// sending, hears the 503 rather than a connection reset; it costs the connection's own buffer, no more.
    /// </summary>
    private static async Task DiscardAsync(HttpContext http, long limit)
    {
        var reader = http.Request.BodyReader;
        long discarded = 0;
        try
        {
            while (discarded <= limit)
            {
                var read = await reader.ReadAsync(http.RequestAborted);
                discarded += read.Buffer.Length;
                reader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (BadHttpRequestException)
        {
            // Over the server's limit, or broken: the answer stands, and the server closes the connection.
        }
    }

    /// <summary>The 503 for a busy host, with <c>Retry-After</c> set on the response.</summary>
    public static GatewayError Busy(HttpContext http, BodyBudget budget)
    {
        http.Response.Headers[HeaderNames.RetryAfter] = Math.Max(1, (int)Math.Ceiling(budget.Wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return GatewayError.Of(ApiErrors.RequestBodiesBusy,
            "This host is holding as many large request bodies as it may and could not take yours in time. Nothing was charged; retry after the Retry-After seconds.");
    }

    /// <summary>Lets the server accept a body of up to <paramref name="limit"/> bytes: the gateway's limit decides, with its own error.</summary>
    public static void AllowUpTo(HttpContext http, long limit)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverLimit)
        {
            serverLimit.MaxRequestBodySize = limit + 1;
        }
    }

    /// <summary>The length of the array the shared pool hands out for <paramref name="size"/> bytes: what the body really holds.</summary>
    private static int Pooled(int size) => size <= 16 ? 16 : (int)Math.Min(BitOperations.RoundUpToPowerOf2((uint)size), int.MaxValue);

    private static void Release(ref byte[]? buffer, BodyBudget.Share share)
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
        }

        share.Dispose();
    }
}

/// <summary>
/// A request body in a pooled buffer, holding its share of the host's body budget until the request ends. Nothing may
/// keep its memory past <see cref="Dispose"/>: upstream requests are always built into buffers of their own.
/// </summary>
internal sealed class BufferedBody(byte[] buffer, int length, BodyBudget.Share share) : IDisposable
{
    private byte[]? _buffer = buffer;

    public ReadOnlyMemory<byte> Memory => (_buffer ?? throw new ObjectDisposedException(nameof(BufferedBody))).AsMemory(0, length);

    public int Length => length;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } returned)
        {
            ArrayPool<byte>.Shared.Return(returned);
        }

        share.Dispose();
    }
}

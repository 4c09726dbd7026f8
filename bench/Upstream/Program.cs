using System.Buffers;
using System.Globalization;
using LlmTr.Bench.Upstream;

// A fake OpenAI upstream for the benchmark. POST .../chat/completions answers a chat.completion with usage, or (when
// the body asks for "stream":true) an SSE stream of N chunks, optionally paced, with a usage chunk when the body asks
// for it. POST /_bench/config?chunks=N&pace_ms=M changes the stream shape; GET /_bench/stats counts the answers.
var port = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 18100;
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k =>
{
    k.AddServerHeader = false;
    k.ListenLocalhost(port);
});

var app = builder.Build();
var state = new UpstreamState();
app.Run(state.HandleAsync);
await app.RunAsync();

namespace LlmTr.Bench.Upstream
{
    internal sealed class UpstreamState
    {
        private static readonly byte[] StreamTrue = "\"stream\":true"u8.ToArray();
        private static readonly byte[] IncludeUsageTrue = "\"include_usage\":true"u8.ToArray();
        private volatile Bodies _bodies = Bodies.Build(20, 0);
        private long _completions;
        private long _streams;

        public async Task HandleAsync(HttpContext http)
        {
            var path = http.Request.Path.Value ?? "";
            if (path.EndsWith("/chat/completions", StringComparison.Ordinal) && HttpMethods.IsPost(http.Request.Method))
            {
                await ChatAsync(http);
            }
            else if (path == "/_bench/config")
            {
                var query = http.Request.Query;
                _bodies = Bodies.Build(
                    int.Parse(query["chunks"].ToString() is { Length: > 0 } c ? c : "20", CultureInfo.InvariantCulture),
                    int.Parse(query["pace_ms"].ToString() is { Length: > 0 } p ? p : "0", CultureInfo.InvariantCulture));
                await http.Response.WriteAsync("ok");
            }
            else if (path == "/_bench/stats")
            {
                await http.Response.WriteAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"completions\":{Interlocked.Read(ref _completions)},\"streams\":{Interlocked.Read(ref _streams)}}}"));
            }
            else
            {
                http.Response.StatusCode = 404;
            }
        }

        private async Task ChatAsync(HttpContext http)
        {
            var (stream, includeUsage) = await ReadRequestAsync(http);
            var bodies = _bodies;
            var response = http.Response;
            if (!stream)
            {
                response.ContentType = "application/json";
                response.ContentLength = bodies.Completion.Length;
                await response.Body.WriteAsync(bodies.Completion, http.RequestAborted);
                Interlocked.Increment(ref _completions);
                return;
            }

            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            var tail = includeUsage ? bodies.TailWithUsage : bodies.Tail;
            if (bodies.PaceMs <= 0)
            {
                // A burst: the first chunk on its own (so time to first byte means something), the rest at once.
                await response.Body.WriteAsync(bodies.Chunks[0], http.RequestAborted);
                await response.Body.WriteAsync(bodies.Burst, http.RequestAborted);
                await response.Body.WriteAsync(tail, http.RequestAborted);
            }
            else
            {
                for (var i = 0; i < bodies.Chunks.Length; i++)
                {
                    if (i > 0)
                    {
                        await Task.Delay(bodies.PaceMs, http.RequestAborted);
                    }

                    await response.Body.WriteAsync(bodies.Chunks[i], http.RequestAborted);
                }

                await response.Body.WriteAsync(tail, http.RequestAborted);
            }

            Interlocked.Increment(ref _streams);
        }

        /// <summary>Reads the whole body (it must be consumed) and looks for the two flags, as the gateways write JSON compactly.</summary>
        private static async Task<(bool Stream, bool IncludeUsage)> ReadRequestAsync(HttpContext http)
        {
            var reader = http.Request.BodyReader;
            while (true)
            {
                var read = await reader.ReadAsync(http.RequestAborted);
                if (read.IsCompleted)
                {
                    var found = (Contains(read.Buffer, StreamTrue), Contains(read.Buffer, IncludeUsageTrue));
                    reader.AdvanceTo(read.Buffer.End);
                    return found;
                }

                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }
        }

        private static bool Contains(ReadOnlySequence<byte> buffer, byte[] needle)
        {
            if (buffer.IsSingleSegment)
            {
                return buffer.FirstSpan.IndexOf(needle) >= 0;
            }

            return buffer.ToArray().AsSpan().IndexOf(needle) >= 0;
        }
    }
}

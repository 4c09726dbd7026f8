using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace LlmTr.Bench.Runner;

/// <summary>
/// The .NET load client: closed-loop workers for streams (time to first body byte and total per request), and an
/// open-loop constant rate for the soak. Ends gracefully: no new request after the deadline, every one in flight is
/// awaited, so its counts can be matched exactly against usage rows.
/// </summary>
internal sealed class LoadClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Target _target;
    private readonly byte[] _body;

    public LoadClient(Target target, byte[] body, int connections)
    {
        _target = target;
        _body = body;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        { Timeout = TimeSpan.FromSeconds(30) };
    }

    public sealed record StreamResult(long Requests, long Successes, long Errors, TimeSpan Duration, Percentiles FirstByte, Percentiles Total);

    public async Task<StreamResult> RunClosedLoopAsync(int concurrency, TimeSpan duration)
    {
        var firstBytes = new List<double>[concurrency];
        var totals = new List<double>[concurrency];
        var errors = new long[concurrency];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            firstBytes[worker] = [];
            totals[worker] = [];
            var buffer = new byte[16 * 1024];
            while (clock.Elapsed < duration)
            {
                var outcome = await SendAsync(buffer);
                if (outcome is { } times)
                {
                    firstBytes[worker].Add(times.FirstByte);
                    totals[worker].Add(times.Total);
                }
                else
                {
                    errors[worker]++;
                }
            }
        }));
        var elapsed = clock.Elapsed;
        var ok = totals.Sum(t => t.Count);
        return new StreamResult(ok + errors.Sum(), ok, errors.Sum(), elapsed,
            Percentiles.Of(firstBytes.SelectMany(f => f).ToList()), Percentiles.Of(totals.SelectMany(t => t).ToList()));
    }

    public sealed record SoakWindow(int Second, int Sent, int Succeeded, int Failed, double P50, double P99, double RssMb);

    public sealed record SoakResult(long Sent, long Succeeded, long Failed, long Skipped, TimeSpan Duration, Percentiles Latency, IReadOnlyList<SoakWindow> Windows);

    /// <summary>
    /// Requests at a constant rate whatever the answers do, latency counted from when each was due (so a stall shows up
    /// in every request it delayed). At most <paramref name="maxInFlight"/> at once: a request due beyond that is
    /// counted as skipped, which bounds the client when the gateway stops answering.
    /// </summary>
    public async Task<SoakResult> RunOpenLoopAsync(int rate, TimeSpan duration, int maxInFlight, TimeSpan window, Func<double> rssMb, Action<SoakWindow> progress)
    {
        var total = (long)(rate * duration.TotalSeconds);
        var interval = 1.0 / rate;
        var inFlight = 0;
        long skipped = 0;
        var all = new List<double>((int)Math.Min(total, 2_000_000));
        var current = new List<double>();
        int sent = 0, ok = 0, failed = 0;
        var windows = new List<SoakWindow>();
        var gate = new Lock();
        var pending = new List<Task>();
        var clock = Stopwatch.StartNew();
        var nextWindow = window;
        for (long i = 0; i < total; i++)
        {
            var due = i * interval;
            var wait = due - clock.Elapsed.TotalSeconds;
            if (wait > 0.002)
            {
                await Task.Delay(TimeSpan.FromSeconds(wait));
            }

            if (clock.Elapsed >= nextWindow)
            {
                lock (gate)
                {
                    var p = Percentiles.Of(current);
                    var w = new SoakWindow((int)nextWindow.TotalSeconds, sent, ok, failed, p.P50, p.P99, rssMb());
                    windows.Add(w);
                    progress(w);
                    current = [];
                    sent = ok = failed = 0;
                }

                nextWindow += window;
            }

            if (Volatile.Read(ref inFlight) >= maxInFlight)
            {
                skipped++;
                continue;
            }

            Interlocked.Increment(ref inFlight);
            var dueAt = due;
            pending.Add(Task.Run(async () =>
            {
                var outcome = await SendAsync(new byte[4096]);
                var latency = (clock.Elapsed.TotalSeconds - dueAt) * 1000;
                lock (gate)
                {
                    sent++;
                    if (outcome is not null)
                    {
                        ok++;
                        current.Add(latency);
                        all.Add(latency);
                    }
                    else
                    {
                        failed++;
                    }
                }

                Interlocked.Decrement(ref inFlight);
            }));
            if (pending.Count > 4096)
            {
                pending.RemoveAll(t => t.IsCompleted);
            }
        }

        await Task.WhenAll(pending);
        lock (gate)
        {
            var p = Percentiles.Of(current);
            windows.Add(new SoakWindow((int)clock.Elapsed.TotalSeconds, sent, ok, failed, p.P50, p.P99, rssMb()));
            var succeeded = windows.Sum(w => (long)w.Succeeded);
            var failures = windows.Sum(w => (long)w.Failed);
            return new SoakResult(succeeded + failures, succeeded, failures, skipped, clock.Elapsed, Percentiles.Of(all), windows);
        }
    }

    /// <summary>One request, read to its end; null when it failed (non-2xx, a transport error, or a stream without [DONE]).</summary>
    private async Task<(double FirstByte, double Total)?> SendAsync(byte[] buffer)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _target.ChatUrl)
            {
                Content = new ByteArrayContent(_body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
            };
            foreach (var (name, value) in _target.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            double firstByte = 0;
            var tail = new byte[16];
            var tailLength = 0;
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                if (firstByte == 0)
                {
                    firstByte = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }

                KeepTail(tail, ref tailLength, buffer.AsSpan(0, read));
            }

            var total = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var complete = response.IsSuccessStatusCode
                && (response.Content.Headers.ContentType?.MediaType != "text/event-stream" || tail.AsSpan(0, tailLength).EndsWith("[DONE]\n\n"u8));
            return complete ? (firstByte, total) : null;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            return null;
        }
    }

    private static void KeepTail(byte[] tail, ref int length, ReadOnlySpan<byte> data)
    {
        if (data.Length >= tail.Length)
        {
            data[^tail.Length..].CopyTo(tail);
            length = tail.Length;
            return;
        }

        var keep = Math.Min(length, tail.Length - data.Length);
        tail.AsSpan(length - keep, keep).CopyTo(tail);
        data.CopyTo(tail.AsSpan(keep));
        length = keep + data.Length;
    }

    public void Dispose() => _http.Dispose();
}

using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmTr.Testing.Upstreams;

/// <summary>
/// A provider stand-in: real Kestrel on a loopback port, recording every request it receives (so a test can assert
/// what the gateway sent) and answering through the handler the test gives it.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeUpstream(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    /// <summary>Set when the client went away (or the gateway cancelled) while this server was still answering.</summary>
    public TaskCompletionSource ClientAborted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<FakeUpstream> StartAsync(Func<ReceivedRequest, HttpContext, Task> respond)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeUpstream? self = null;
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var received = new ReceivedRequest(
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                System.Text.Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length))
            {
                Bytes = body.ToArray(),
            };
            self!.Received.Enqueue(received);
            context.RequestAborted.Register(() => self.ClientAborted.TrySetResult());
            await respond(received, context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new FakeUpstream(app, new Uri(address));
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request as the fake provider received it.</summary>
public sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement;

    /// <summary>The body exactly as received (a multipart upload's audio is binary).</summary>
    public byte[] Bytes { get; init; } = [];

    public string? Header(string name) => Headers.GetValueOrDefault(name);
}

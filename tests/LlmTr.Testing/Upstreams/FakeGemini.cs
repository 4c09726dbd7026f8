using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace LlmTr.Testing.Upstreams;

/// <summary>
/// A Gemini API stand-in speaking its wire format: <c>:generateContent</c> answers one <c>GenerateContentResponse</c>,
/// <c>:streamGenerateContent?alt=sse</c> sends responses as SSE events separated by CRLF pairs (as Google does) and
/// then closes the connection, errors come as <c>{"error": {"code", "message", "status"}}</c>. Each request takes the
/// next answer a test queued; with none left it answers 500, so a surprise request cannot pass unnoticed.
/// </summary>
public sealed class FakeGemini : IAsyncDisposable
{
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _answers = new();

    private FakeGemini(FakeUpstream upstream) => Upstream = upstream;

    public FakeUpstream Upstream { get; }

    public static async Task<FakeGemini> StartAsync()
    {
        FakeGemini? self = null;
        var upstream = await FakeUpstream.StartAsync((_, context) =>
            self!._answers.TryDequeue(out var answer) ? answer(context) : Error(500, "INTERNAL", "The fake has no answer queued.")(context));
        self = new FakeGemini(upstream);
        return self;
    }

    /// <summary>Forgets the requests received and the answers queued so far: the fake starts a test afresh.</summary>
    public FakeGemini Reset()
    {
        Upstream.Received.Clear();
        _answers.Clear();
        return this;
    }

    /// <summary>Queues the answers to the next requests, in order.</summary>
    public FakeGemini Then(params Func<HttpContext, Task>[] answers)
    {
        foreach (var answer in answers)
        {
            _answers.Enqueue(answer);
        }

        return this;
    }

    /// <summary>The one request received since the test started (it fails if there were more).</summary>
    public ReceivedRequest OnlyRequest() => Assert.Single(Upstream.Received);

    /// <summary>A <c>generateContent</c> answer.</summary>
    public static Func<HttpContext, Task> Json(string response) => context => Sse.JsonAsync(context, 200, response);

    /// <summary>A stream of responses, each flushed as its own event.</summary>
    public static Func<HttpContext, Task> Stream(params string[] responses) => async context =>
    {
        Sse.Start(context);
        foreach (var response in responses)
        {
            await EventAsync(context, response);
        }
    };

    /// <summary>Google's error body with an HTTP status, e.g. <c>(429, "RESOURCE_EXHAUSTED", …)</c>.</summary>
    public static Func<HttpContext, Task> Error(int status, string code, string message) =>
        context => Sse.JsonAsync(context, status, ErrorBody(status, code, message));

    public static string ErrorBody(int status, string code, string message) =>
        JsonSerializer.Serialize(new { error = new { code = status, message, status = code } });

    /// <summary>One SSE event the way Google frames it.</summary>
    public static async Task EventAsync(HttpContext context, string response)
    {
        var compact = JsonSerializer.Serialize(JsonDocument.Parse(response).RootElement);
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes($"data: {compact}\r\n\r\n"), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    /// <summary>A finished text answer with its usage, as <c>generateContent</c> returns it.</summary>
    public static string Text(string text, string finishReason = "STOP", string usage = """{"promptTokenCount":12,"candidatesTokenCount":5,"totalTokenCount":17}""") =>
        JsonSerializer.Serialize(new
        {
            candidates = new[] { new { content = new { role = "model", parts = new[] { new { text } } }, finishReason, index = 0 } },
            usageMetadata = JsonDocument.Parse(usage).RootElement,
            modelVersion = "gemini-2.5-flash",
        });

    public async ValueTask DisposeAsync() => await Upstream.DisposeAsync();
}

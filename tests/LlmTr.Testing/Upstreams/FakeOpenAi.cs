using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace LlmTr.Testing.Upstreams;

/// <summary>Answers in OpenAI's Chat Completions wire format, as an OpenAI-compatible provider does.</summary>
public static class FakeOpenAi
{
    public static string Completion(string content, string model = "gpt-4o", long prompt = 11, long completion = 7, long cached = 0, string finish = "stop") =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = "chatcmpl-upstream-1",
            ["object"] = "chat.completion",
            ["created"] = 1_739_200_000,
            ["model"] = model,
            ["choices"] = new[]
            {
                new Dictionary<string, object?>
                {
                    ["index"] = 0,
                    ["message"] = new Dictionary<string, object?> { ["role"] = "assistant", ["content"] = content, ["refusal"] = null },
                    ["logprobs"] = null,
                    ["finish_reason"] = finish,
                },
            },
            ["usage"] = Usage(prompt, completion, cached),
            ["system_fingerprint"] = "fp_upstream",
        });

    public static Dictionary<string, object?> Usage(long prompt, long completion, long cached = 0) => new()
    {
        ["prompt_tokens"] = prompt,
        ["completion_tokens"] = completion,
        ["total_tokens"] = prompt + completion,
        ["prompt_tokens_details"] = new Dictionary<string, object?> { ["cached_tokens"] = cached },
        ["completion_tokens_details"] = new Dictionary<string, object?> { ["reasoning_tokens"] = 0 },
    };

    public static string Chunk(object delta, string? finish = null, string model = "gpt-4o") => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["id"] = "chatcmpl-upstream-1",
        ["object"] = "chat.completion.chunk",
        ["created"] = 1_739_200_000,
        ["model"] = model,
        ["choices"] = new[] { new Dictionary<string, object?> { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finish } },
    });

    public static string UsageChunk(long prompt, long completion, string model = "gpt-4o") => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["id"] = "chatcmpl-upstream-1",
        ["object"] = "chat.completion.chunk",
        ["created"] = 1_739_200_000,
        ["model"] = model,
        ["choices"] = Array.Empty<object>(),
        ["usage"] = Usage(prompt, completion),
    });

    /// <summary>A whole stream: a role chunk, one chunk per piece, the finish chunk, the usage chunk and [DONE].</summary>
    public static async Task StreamAsync(HttpContext context, IEnumerable<string> pieces, long prompt = 11, long completion = 7, Func<int, Task>? beforePiece = null)
    {
        Sse.Start(context);
        await Sse.DataAsync(context, Chunk(new { role = "assistant", content = "" }));
        var index = 0;
        foreach (var piece in pieces)
        {
            if (beforePiece is not null)
            {
                await beforePiece(index);
            }

            await Sse.DataAsync(context, Chunk(new { content = piece }));
            index++;
        }

        await Sse.DataAsync(context, Chunk(new { }, "stop"));
        await Sse.DataAsync(context, UsageChunk(prompt, completion));
        await Sse.DataAsync(context, "[DONE]");
    }

    /// <summary>
    /// A whole stream of one tool call (<c>call_1</c>, <c>get_weather</c>) whose arguments arrive in two pieces,
    /// <c>{"city":</c> and <c>"Van"}</c>, then the <c>tool_calls</c> finish, usage (30 in, 8 out) and [DONE].
    /// </summary>
    public static async Task StreamWeatherToolCallAsync(HttpContext context)
    {
        Sse.Start(context);
        await Sse.DataAsync(context, Chunk(new { role = "assistant", content = (string?)null }));
        await Sse.DataAsync(context, Chunk(new { tool_calls = new[] { new { index = 0, id = "call_1", type = "function", function = new { name = "get_weather", arguments = "" } } } }));
        await Sse.DataAsync(context, Chunk(new { tool_calls = new[] { new { index = 0, function = new { arguments = "{\"city\":" } } } }));
        await Sse.DataAsync(context, Chunk(new { tool_calls = new[] { new { index = 0, function = new { arguments = "\"Van\"}" } } } }));
        await Sse.DataAsync(context, Chunk(new { }, "tool_calls"));
        await Sse.DataAsync(context, UsageChunk(30, 8));
        await Sse.DataAsync(context, "[DONE]");
    }

    /// <summary>The answer to <c>GET /models</c> (OpenAI's list; OpenAI-compatible providers, Azure OpenAI and Anthropic answer alike).</summary>
    public static string ModelList(params string[] ids) => JsonSerializer.Serialize(new
    {
        @object = "list",
        data = ids.Select(id => new { id, @object = "model", created = 1_739_200_000, owned_by = "upstream" }),
    });

    public static string Error(string message, string type = "server_error") =>
        JsonSerializer.Serialize(new { error = new { message, type, param = (string?)null, code = (string?)null } });
}

/// <summary>A fake upstream whose answer each test sets (tests of one class run one after another).</summary>
public sealed class ScriptedUpstream : IAsyncDisposable
{
    private FakeUpstream _server = null!;

    public Func<ReceivedRequest, HttpContext, Task> Respond { get; set; } = (_, context) => Sse.JsonAsync(context, 500, FakeOpenAi.Error("no answer scripted"));

    public FakeUpstream Server => _server;

    public static async Task<ScriptedUpstream> StartAsync()
    {
        var scripted = new ScriptedUpstream();
        scripted._server = await FakeUpstream.StartAsync((request, context) => scripted.Respond(request, context));
        return scripted;
    }

    /// <summary>The last request the fake received.</summary>
    public ReceivedRequest Last => _server.Received.Last();

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

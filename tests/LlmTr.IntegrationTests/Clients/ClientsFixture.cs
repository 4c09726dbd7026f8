using System.Text.Json;
using LlmTr.IntegrationTests.Gateway;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.AspNetCore.Http;

namespace LlmTr.IntegrationTests.Clients;

/// <summary>
/// The gateway on real Kestrel (the clients are separate processes) with its OpenAI provider pointed at a fake
/// OpenAI-compatible upstream and its Anthropic provider at a fake Messages API, both answering every request from what
/// it asks alone; and the runner of the scripts in <c>tests/clients</c> against it.
/// </summary>
/// <remarks>
/// <para>
/// Every test class using this fixture shares one gateway (and one database), started by the first of them and stopped
/// by the last one running: nothing a test does changes what another gets (each run has its own key), so the classes
/// run at the same time without paying for a host each.
/// </para>
/// <para>
/// The fake OpenAI upstream answers a chat completion (streamed when asked) with
/// <c>Fake OpenAI heard: {the last user message}</c>, in chat completions' format or, on <c>/v1/responses</c> (which the
/// gateway relays natively for OpenAI's models), in the Responses API's; when the request offers tools and its last message is not a
/// tool result, it calls the first tool with <c>{"city":"Paris"}</c>; after a tool result it answers
/// <c>The tool said: {that result}</c>; a streamed request whose last user message contains <see cref="FailMidStream"/>
/// gets one piece of text, then an error in the stream. The fake Anthropic API answers
/// <c>Fake Anthropic heard: {the last user message}</c>.
/// </para>
/// </remarks>
public sealed class ClientsFixture : IAsyncLifetime
{
    public const string Demo = "llmtr/demo";
    public const string Gpt = "openai/gpt-4o";

    /// <summary>A model whose provider has only chat completions (served by the same fake): the Responses API is translated for it.</summary>
    public const string Compatible = "deepseek/deepseek-v4-flash";
    public const string Claude = "anthropic/claude-sonnet-4.5";

    public const string OpenAiHeard = "Fake OpenAI heard: ";
    public const string AnthropicHeard = "Fake Anthropic heard: ";
    public const string ToolSaid = "The tool said: ";
    public const string DemoGreeting = "Hello from LLMTR's built-in demo model.";
    public const string FailMidStream = "Fail mid-stream.";
    public const string UpstreamFailure = "The fake upstream is overloaded.";

    private static readonly SemaphoreSlim SharedLock = new(1, 1);
    private static Shared? _shared;
    private static int _users;

    private Shared? _host;

    private Shared Host => _host ?? throw new InvalidOperationException("The fixture is not initialized.");

    public ScriptedUpstream OpenAi => Host.OpenAi;

    public FakeAnthropic Anthropic => Host.Anthropic;

    public GatewayHost Gateway => Host.Gateway;

    public async Task InitializeAsync()
    {
        await SharedLock.WaitAsync();
        try
        {
            _host = _shared ??= await Shared.StartAsync();
            _users++;
        }
        finally
        {
            SharedLock.Release();
        }
    }

    /// <summary>Runs a script of <c>tests/clients</c> with a new funded key against this gateway, asking <paramref name="model"/>.</summary>
    public async Task<ScriptRun> RunAsync(string script, string model, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (_, key) = await Gateway.FundedKeyAsync();
        var all = new Dictionary<string, string>
        {
            ["LLMTR_BASE_URL"] = Gateway.Address!.ToString().TrimEnd('/'),
            ["LLMTR_API_KEY"] = key.RawKey,
            ["LLMTR_MODEL"] = model,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            all[name] = value;
        }

        return new ScriptRun(await RealClients.NodeAsync(script, all, TimeSpan.FromMinutes(2)));
    }

    public async Task DisposeAsync()
    {
        await SharedLock.WaitAsync();
        try
        {
            if (--_users == 0 && _shared is { } shared)
            {
                _shared = null;
                await shared.DisposeAsync();
            }
        }
        finally
        {
            SharedLock.Release();
        }
    }

    private sealed record Shared(ScriptedUpstream OpenAi, FakeAnthropic Anthropic, GatewayHost Gateway) : IAsyncDisposable
    {
        public static async Task<Shared> StartAsync()
        {
            var openAi = await ScriptedUpstream.StartAsync();
            openAi.Respond = AnswerAsOpenAi;
            var anthropic = await FakeAnthropic.StartAsync();
            anthropic.Answer(AnswerAsAnthropic);
            var gateway = await GatewayHost.StartAsync(
                [("openai", openAi.Server, "/v1"), ("deepseek", openAi.Server, "/v1"), ("anthropic", anthropic.Upstream, "/")], kestrel: true);
            return new Shared(openAi, anthropic, gateway);
        }

        public async ValueTask DisposeAsync()
        {
            await Gateway.DisposeAsync();
            await Anthropic.DisposeAsync();
            await OpenAi.DisposeAsync();
        }
    }

    private static async Task AnswerAsOpenAi(ReceivedRequest request, HttpContext context)
    {
        if (request.PathAndQuery.EndsWith("/responses", StringComparison.Ordinal))
        {
            await AnswerAsOpenAiResponsesAsync(request.Json, context);
            return;
        }

        var body = request.Json;
        var stream = body.TryGetProperty("stream", out var flag) && flag.ValueKind == JsonValueKind.True;
        var messages = body.GetProperty("messages");
        var last = messages[messages.GetArrayLength() - 1];
        if (last.GetProperty("role").ValueEquals("tool"))
        {
            await AnswerTextAsync(context, ToolSaid + TextOf(last), stream);
        }
        else if (body.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0)
        {
            await CallToolAsync(context, tools[0].GetProperty("function").GetProperty("name").GetString()!, stream);
        }
        else
        {
            var user = messages.EnumerateArray().LastOrDefault(m => m.GetProperty("role").ValueEquals("user"));
            var text = user.ValueKind == JsonValueKind.Undefined ? "" : TextOf(user);
            if (stream && text.Contains(FailMidStream, StringComparison.Ordinal))
            {
                Sse.Start(context);
                await Sse.DataAsync(context, FakeOpenAi.Chunk(new { role = "assistant", content = "Half" }));
                await Sse.DataAsync(context, FakeOpenAi.Error(UpstreamFailure));
                return;
            }

            await AnswerTextAsync(context, OpenAiHeard + text, stream);
        }
    }

    /// <summary>
    /// OpenAI's own Responses API, which the gateway relays natively for OpenAI's models: the same answers as the chat
    /// completions above, as Responses items and events.
    /// </summary>
    private static async Task AnswerAsOpenAiResponsesAsync(JsonElement body, HttpContext context)
    {
        var stream = body.TryGetProperty("stream", out var flag) && flag.ValueKind == JsonValueKind.True;
        var input = body.GetProperty("input");
        var items = input.ValueKind == JsonValueKind.Array ? input.EnumerateArray().ToList() : [];
        var last = items.LastOrDefault();
        var function = body.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array
            ? tools.EnumerateArray().FirstOrDefault(t => t.GetProperty("type").ValueEquals("function"))
            : default;
        if (last.ValueKind == JsonValueKind.Object && last.TryGetProperty("type", out var type) && type.ValueEquals("function_call_output"))
        {
            var output = last.GetProperty("output");
            await AnswerResponseTextAsync(context, ToolSaid + (output.ValueKind == JsonValueKind.String ? output.GetString() : output.GetRawText()), stream);
        }
        else if (function.ValueKind == JsonValueKind.Object)
        {
            const string Arguments = """{"city":"Paris"}""";
            var name = function.GetProperty("name").GetString()!;
            var tokens = new FakeOpenAiResponses.Tokens(20, 9);
            await (stream
                ? FakeOpenAiResponses.StreamFunctionCallAsync(context, "call_fake_1", name, [Arguments[..8], Arguments[8..]], tokens)
                : Sse.JsonAsync(context, 200, FakeOpenAiResponses.FunctionCallResponse("call_fake_1", name, Arguments, tokens)));
        }
        else
        {
            var user = input.ValueKind == JsonValueKind.String
                ? input.GetString()!
                : items.LastOrDefault(i => i.TryGetProperty("role", out var role) && role.ValueEquals("user")) is { ValueKind: JsonValueKind.Object } message ? TextOf(message) : "";
            if (stream && user.Contains(FailMidStream, StringComparison.Ordinal))
            {
                var events = await FakeOpenAiResponses.StartAsync(context);
                await events.SendAsync("error", new() { ["code"] = "server_error", ["message"] = UpstreamFailure, ["param"] = null });
                return;
            }

            await AnswerResponseTextAsync(context, OpenAiHeard + user, stream);
        }
    }

    private static Task AnswerResponseTextAsync(HttpContext context, string text, bool stream)
    {
        var tokens = new FakeOpenAiResponses.Tokens(12, Pieces(text).Count);
        return stream
            ? FakeOpenAiResponses.StreamTextAsync(context, Pieces(text), tokens)
            : Sse.JsonAsync(context, 200, FakeOpenAiResponses.TextResponse(text, tokens));
    }

    private static Task AnswerTextAsync(HttpContext context, string text, bool stream) =>
        stream
            ? FakeOpenAi.StreamAsync(context, Pieces(text), prompt: 12, completion: Pieces(text).Count)
            : Sse.JsonAsync(context, 200, FakeOpenAi.Completion(text, prompt: 12, completion: Pieces(text).Count));

    private static async Task CallToolAsync(HttpContext context, string name, bool stream)
    {
        const string Arguments = """{"city":"Paris"}""";
        if (!stream)
        {
            var call = new { id = "call_fake_1", type = "function", function = new { name, arguments = Arguments } };
            await Sse.JsonAsync(context, 200, JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["id"] = "chatcmpl-upstream-tool",
                ["object"] = "chat.completion",
                ["created"] = 1_739_200_000,
                ["model"] = "gpt-4o",
                ["choices"] = new[]
                {
                    new Dictionary<string, object?>
                    {
                        ["index"] = 0,
                        ["message"] = new Dictionary<string, object?> { ["role"] = "assistant", ["content"] = null, ["refusal"] = null, ["tool_calls"] = new[] { call } },
                        ["logprobs"] = null,
                        ["finish_reason"] = "tool_calls",
                    },
                },
                ["usage"] = FakeOpenAi.Usage(20, 9),
            }));
            return;
        }

        Sse.Start(context);
        await Sse.DataAsync(context, FakeOpenAi.Chunk(new { role = "assistant", content = (string?)null }));
        await Sse.DataAsync(context, FakeOpenAi.Chunk(new { tool_calls = new[] { new { index = 0, id = "call_fake_1", type = "function", function = new { name, arguments = "" } } } }));
        await Sse.DataAsync(context, FakeOpenAi.Chunk(new { tool_calls = new[] { new { index = 0, function = new { arguments = Arguments[..8] } } } }));
        await Sse.DataAsync(context, FakeOpenAi.Chunk(new { tool_calls = new[] { new { index = 0, function = new { arguments = Arguments[8..] } } } }));
        await Sse.DataAsync(context, FakeOpenAi.Chunk(new { }, "tool_calls"));
        await Sse.DataAsync(context, FakeOpenAi.UsageChunk(20, 9));
        await Sse.DataAsync(context, "[DONE]");
    }

    private static async Task AnswerAsAnthropic(ReceivedRequest request, HttpContext context)
    {
        var body = request.Json;
        var user = body.GetProperty("messages").EnumerateArray().LastOrDefault(m => m.GetProperty("role").ValueEquals("user"));
        var text = AnthropicHeard + (user.ValueKind == JsonValueKind.Undefined ? "" : TextOf(user));
        var pieces = Pieces(text);
        if (!(body.TryGetProperty("stream", out var flag) && flag.ValueKind == JsonValueKind.True))
        {
            await Sse.JsonAsync(context, 200, FakeAnthropic.Message(FakeAnthropic.Text(text), usage: new AnthropicTokens(14, pieces.Count)));
            return;
        }

        Sse.Start(context);
        var events = new AnthropicEvents(context);
        await events.StartAsync(new AnthropicTokens(14, pieces.Count));
        await events.PingAsync();
        await events.TextAsync([.. pieces]);
        await events.EndAsync("end_turn", pieces.Count);
    }

    /// <summary>A message's text: its string content, or its text parts joined.</summary>
    private static string TextOf(JsonElement message)
    {
        var content = message.GetProperty("content");
        return content.ValueKind switch
        {
            JsonValueKind.String => content.GetString()!,
            JsonValueKind.Array => string.Concat(content.EnumerateArray()
                .Where(part => part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                .Select(part => part.GetProperty("text").GetString())),
            _ => "",
        };
    }

    /// <summary>The text in word pieces, each but the first with its leading space, as a model streams it.</summary>
    private static List<string> Pieces(string text) =>
        [.. text.Split(' ').Select((word, i) => i == 0 ? word : " " + word)];
}

/// <summary>One run of a client script: what the process printed, and the JSON summary it printed on stdout.</summary>
public sealed class ScriptRun(RealClients.Result result)
{
    public RealClients.Result Result { get; } = result;

    /// <summary>Asserts the script exited 0 with a summary saying all went well, showing everything it printed if not.</summary>
    public JsonElement Succeeded()
    {
        Assert.True(Result.ExitCode == 0, "The client script failed:\n" + Result);
        var summary = Summary;
        Assert.True(summary.GetProperty("ok").GetBoolean(), "The client script reported a failure:\n" + Result);
        return summary;
    }

    /// <summary>The summary the script printed (its whole stdout, which is JSON).</summary>
    public JsonElement Summary
    {
        get
        {
            try
            {
                return JsonDocument.Parse(Result.StandardOutput).RootElement;
            }
            catch (JsonException e)
            {
                Assert.Fail($"The client script printed no JSON summary ({e.Message}):\n{Result}");
                throw;
            }
        }
    }

    /// <summary>What the summary shows of one scenario, which must have passed.</summary>
    public JsonElement Scenario(string name)
    {
        var scenario = Succeeded().GetProperty("scenarios").GetProperty(name);
        Assert.True(scenario.GetProperty("ok").GetBoolean(), $"Scenario {name} failed:\n{Result}");
        return scenario;
    }

    /// <summary>A string of a scenario's summary, e.g. <c>Text("chat", "text")</c>.</summary>
    public string Text(string scenario, params string[] path)
    {
        var value = Scenario(scenario);
        foreach (var name in path)
        {
            value = value.GetProperty(name);
        }

        return value.GetString() ?? "";
    }

    /// <summary>How many bodies or events were validated against a schema.</summary>
    public int Validated(string schema) =>
        Summary.GetProperty("validated").TryGetProperty(schema, out var count) ? count.GetInt32() : 0;

    public override string ToString() => Result.ToString();
}

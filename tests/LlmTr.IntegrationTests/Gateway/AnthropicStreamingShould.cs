using System.Text;
using System.Text.Json;
using LlmTr.Testing.Upstreams;
using OpenAI.Chat;

namespace LlmTr.IntegrationTests.Gateway;

/// <summary>Streamed chat completions of a Claude model: Anthropic's event stream relayed to the OpenAI SDK as chunks, as the events arrive.</summary>
public sealed class AnthropicStreamingShould(AnthropicFixture fixture) : IClassFixture<AnthropicFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private FakeAnthropic Anthropic => fixture.Anthropic;

    [Fact]
    public async Task RelayTextAsItArrivesAndEndWithTheFinishReasonAndUsage()
    {
        var (chat, userId) = await fixture.ClientAsync();
        var firstTextReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Anthropic.Stream(async events =>
        {
            await events.StartAsync(new AnthropicTokens(25, 0, CacheRead: 4000));
            await events.PingAsync();
            await events.TextAsync("Merhaba");

            // Nothing more comes until the client has the first text: it cannot be waiting for the whole answer.
            await firstTextReceived.Task.WaitAsync(Patience);
            await events.TextAsync("! Nasılsınız", "?");
            await events.EndAsync("end_turn", 9);
        });

        var text = new StringBuilder();
        var roles = new List<ChatMessageRole?>();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Merhaba")]))
        {
            roles.Add(update.Role);
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
                firstTextReceived.TrySetResult();
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
            Assert.Equal(AnthropicFixture.ModelId, update.Model);
        }

        var sent = Anthropic.Last;
        Assert.True(sent.Json.GetProperty("stream").GetBoolean());
        Assert.Equal("text/event-stream", sent.Header("Accept"));
        Assert.Equal(GatewayHost.UpstreamKey("anthropic"), sent.Header("x-api-key"));
        Assert.Equal(ChatMessageRole.Assistant, roles[0]);
        Assert.Equal("Merhaba! Nasılsınız?", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(4025, usage.InputTokenCount);
        Assert.Equal(4000, usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(9, usage.OutputTokenCount);

        var row = await fixture.UsageAsync(userId);
        Assert.True(row.Streamed);
        Assert.Equal((4025L, 9L, 4000L), (row.PromptTokens, row.CompletionTokens, row.CachedPromptTokens));
    }

    [Fact]
    public async Task StreamToolCallsTheSdkCanPutTogether()
    {
        var (chat, _) = await fixture.ClientAsync();
        Anthropic.Stream(async events =>
        {
            await events.StartAsync(new AnthropicTokens(480, 0));
            await events.TextAsync("Checking both.");
            await events.ToolUseAsync("toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather", "{\"city\": \"Bur", "sa\"}");
            await events.ToolUseAsync("toolu_02", "get_weather", "{\"city\": \"Van\"}");
            await events.EndAsync("tool_use", 90);
        });
        var weather = ChatTool.CreateFunctionTool("get_weather", "Weather for a city.", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}"""));

        var calls = new SortedDictionary<int, (string? Id, string? Name, StringBuilder Arguments)>();
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Weather in Bursa and Van?")], new ChatCompletionOptions { Tools = { weather } }))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            foreach (var call in update.ToolCallUpdates)
            {
                var known = calls.TryGetValue(call.Index, out var seen) ? seen : (null, null, new StringBuilder());
                calls[call.Index] = (known.Id ?? call.ToolCallId, known.Name ?? call.FunctionName, known.Arguments.Append(call.FunctionArgumentsUpdate?.ToString()));
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal("Checking both.", text.ToString());
        Assert.Equal([0, 1], calls.Keys);
        Assert.Equal(("toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather", "{\"city\": \"Bursa\"}"), (calls[0].Id, calls[0].Name, calls[0].Arguments.ToString()));
        Assert.Equal(("toolu_02", "get_weather", "{\"city\": \"Van\"}"), (calls[1].Id, calls[1].Name, calls[1].Arguments.ToString()));
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal("get_weather", Anthropic.Last.Json.GetProperty("tools")[0].GetProperty("name").GetString());
    }

    /// <remarks>
    /// The gateway sends the error as OpenAI does mid-stream (a data event with an <c>error</c> object, then the end of
    /// the stream, without <c>[DONE]</c>). OpenAI's Python and Node SDKs raise it; the .NET SDK (2.15) reads an event
    /// without choices as an empty update and ends the stream, so what its users can see is an answer with no finish reason.
    /// </remarks>
    [Fact]
    public async Task EndTheSdksStreamWithoutAFinishReasonWhenAnthropicSendsAnErrorEvent()
    {
        var (chat, userId) = await fixture.ClientAsync();
        Anthropic.Stream(async events =>
        {
            await events.StartAsync(new AnthropicTokens(30, 0));
            await events.TextAsync("Bir zamanlar");
            await events.ErrorAsync("overloaded_error", "Overloaded");
        });

        var text = new StringBuilder();
        var finishes = new List<ChatFinishReason?>();
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Tell me a story.")]))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            finishes.Add(update.FinishReason);
        }

        Assert.Equal("Bir zamanlar", text.ToString());
        Assert.All(finishes, Assert.Null);
        var row = await fixture.UsageAsync(userId);
        Assert.Equal(30, row.PromptTokens);
        Assert.True(row.CompletionTokens > 0);
    }

    [Theory]
    [InlineData("api_error", "Internal server error", "provider_error")]
    [InlineData("overloaded_error", "Overloaded", "rate_limit_exceeded")]
    public async Task SendTheErrorAsAnOpenAiErrorEventAndEndTheStreamWithoutDone(string anthropicType, string message, string type)
    {
        var (_, key) = await fixture.Gateway.FundedKeyAsync();
        Anthropic.Stream(async events =>
        {
            await events.StartAsync(new AnthropicTokens(30, 0));
            await events.TextAsync("Bir");
            await events.ErrorAsync(anthropicType, message);
        });
        using var http = fixture.Gateway.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"{{AnthropicFixture.ModelId}}","stream":true,"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key.RawKey);

        using var response = await http.SendAsync(request);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n');

        var error = JsonDocument.Parse(lines.Last(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..]).RootElement.GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("\"content\":\"Bir\"", StringComparison.Ordinal));
        Assert.DoesNotContain("data: [DONE]", lines);
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using LlmTr.IntegrationTests.Gateway;
using LlmTr.IntegrationTests.Messages.ClaudeCode;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Messages;

/// <summary>
/// The requests Claude Code really sends (captured, see <see cref="ClaudeCodeRequests"/>), and bodies Anthropic accepts
/// that LLMTR's translation would not: relayed as sent to a provider speaking the Messages API (body byte for byte but
/// the model's value, beta and version headers, query string), translated and answered for OpenAI-compatible and Gemini
/// models, with in-conversation system messages kept in place.
/// </summary>
public sealed class ClaudeCodeRequestsShould(MessagesFixture fixture) : IClassFixture<MessagesFixture>
{
    public static TheoryData<string> Captured => new() { ClaudeCodeRequests.KnownModel, ClaudeCodeRequests.OtherModel, ClaudeCodeRequests.SecondTurn };

    [Theory]
    [MemberData(nameof(Captured))]
    public async Task RelayClaudeCodesRequestsToAnAnthropicModelAsSent(string file)
    {
        var (_, userId, rawKey) = await fixture.ClientAsync();
        fixture.Anthropic.Stream(async events =>
        {
            await events.StartAsync(new AnthropicTokens(20, 0));
            await events.TextAsync("Merhaba", "!");
            await events.EndAsync("end_turn", 4);
        });

        var (status, answer) = await PostAsync(rawKey, ClaudeCodeRequests.Path, ClaudeCodeRequests.Body(file, MessagesFixture.Claude), ClaudeCodeRequests.Beta(file));

        Assert.True(status == HttpStatusCode.OK, answer);
        Assert.Contains("\"text\":\"Merhaba\"", answer, StringComparison.Ordinal);
        var sent = fixture.Anthropic.Last;
        Assert.Equal(ClaudeCodeRequests.Path, sent.PathAndQuery);
        Assert.Equal(ClaudeCodeRequests.Version, sent.Header("anthropic-version"));
        Assert.Equal(ClaudeCodeRequests.Beta(file), sent.Header("anthropic-beta"));
        Assert.Equal(GatewayHost.UpstreamKey("anthropic"), sent.Header("x-api-key"));
        Assert.Equal(ClaudeCodeRequests.Body(file, "claude-sonnet-4-5"), Encoding.UTF8.GetString(sent.Bytes));
        var row = await fixture.UsageAsync(userId);
        Assert.Equal((20L, 4L, true, MessagesFixture.Claude), (row.Prompt, row.Completion, row.Streamed, row.Model));
    }

    [Fact]
    public async Task ChangeNothingInARelayedBodyButTheModelsValueAndLlmtrsOwnField()
    {
        var (_, _, rawKey) = await fixture.ClientAsync();
        fixture.Anthropic.AnswerWith(FakeAnthropic.Message(FakeAnthropic.Text("Tamam.")));
        const string Body = """
            { "llmtr" : { } ,
              "model":  "anthropic/claude-sonnet-4.5" , "max_tokens":16,
              "messages": [ {"role":"user","content":"\u00c7ay m\u0131? \ud83c\udf75 \"s\u00fct\u00fc\" olsun"},
                            {"role":"system","content":[{"type":"text","text":"Kısa yaz.","cache_control":{"type":"ephemeral"}}]} ],
              "top_k": 5, "temperature": 1.0, "future_field": [1, 2.50, null, {"nested": "model"}]
            }
            """;

        var (status, answer) = await PostAsync(rawKey, "/v1/messages", Body, beta: null);

        Assert.True(status == HttpStatusCode.OK, answer);
        const string Expected = """
            { "model":  "claude-sonnet-4-5" , "max_tokens":16,
              "messages": [ {"role":"user","content":"\u00c7ay m\u0131? \ud83c\udf75 \"s\u00fct\u00fc\" olsun"},
                            {"role":"system","content":[{"type":"text","text":"Kısa yaz.","cache_control":{"type":"ephemeral"}}]} ],
              "top_k": 5, "temperature": 1.0, "future_field": [1, 2.50, null, {"nested": "model"}]
            }
            """;
        Assert.Equal(Expected, Encoding.UTF8.GetString(fixture.Anthropic.Last.Bytes));
        Assert.Equal("/v1/messages", fixture.Anthropic.Last.PathAndQuery);
        Assert.Null(fixture.Anthropic.Last.Header("anthropic-beta"));
    }

    [Fact]
    public async Task LeaveTheRestOfAnAnthropicModelsBodyToItsProviderAndPassItsRefusalOn()
    {
        var (_, _, rawKey) = await fixture.ClientAsync();
        fixture.Anthropic.FailWith(400, "invalid_request_error", "messages.0.content.0: Input tag 'holographic' found using 'type' does not match any of the expected tags");
        const string Body = """{"model":"anthropic/claude-sonnet-4.5","max_tokens":16,"messages":[{"role":"user","content":[{"type":"holographic"}]}],"temperature":7}""";

        var (status, answer) = await PostAsync(rawKey, "/v1/messages", Body, beta: null);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = JsonDocument.Parse(answer).RootElement;
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("'holographic'", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(Body, fixture.Anthropic.Last.Body.Replace("\"claude-sonnet-4-5\"", "\"anthropic/claude-sonnet-4.5\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"model":"anthropic/claude-sonnet-4.5","messages":[{"role":"user","content":"hi"}]}""", "'max_tokens' is required")]
    [InlineData("""{"model":"anthropic/claude-sonnet-4.5","max_tokens":0,"messages":[]}""", "'max_tokens' is required")]
    [InlineData("""{"model":"anthropic/claude-sonnet-4.5","max_tokens":5,"messages":{}}""", "'messages' is required")]
    [InlineData("""{"model":"anthropic/claude-sonnet-4.5","max_tokens":5,"messages":[],"stream":"yes"}""", "'stream' must be true or false")]
    [InlineData("""{"model":"anthropic/claude-sonnet-4.5","max_tokens":5,"messages":[],"llmtr":{"residency":"XX"}}""", "'llmtr.residency'")]
    [InlineData("""["model"]""", "must be a JSON object")]
    public async Task StillCheckWhatLlmtrItselfNeedsOfARelayedBody(string body, string message)
    {
        var (_, _, rawKey) = await fixture.ClientAsync();
        var before = fixture.Anthropic.Upstream.Received.Count;

        var (status, answer) = await PostAsync(rawKey, "/v1/messages", body, beta: null);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(message, ErrorMessage(answer), StringComparison.Ordinal);
        Assert.Equal(before, fixture.Anthropic.Upstream.Received.Count);
    }

    [Theory]
    [MemberData(nameof(Captured))]
    public async Task TranslateClaudeCodesRequestsForAnOpenAiCompatibleModel(string file)
    {
        var (_, userId, rawKey) = await fixture.ClientAsync();
        fixture.OpenAi.Respond = (_, context) => FakeOpenAi.StreamAsync(context, ["Mer", "haba"], prompt: 30, completion: 2);

        var (status, answer) = await PostAsync(rawKey, ClaudeCodeRequests.Path, ClaudeCodeRequests.Body(file, MessagesFixture.Gpt), ClaudeCodeRequests.Beta(file));

        Assert.True(status == HttpStatusCode.OK, answer);
        Assert.Contains("\"text\":\"haba\"", answer, StringComparison.Ordinal);
        Assert.Contains("event: message_stop", answer, StringComparison.Ordinal);
        var sent = fixture.OpenAi.Last.Json;
        var messages = sent.GetProperty("messages").EnumerateArray().ToList();
        var roles = messages.Select(m => m.GetProperty("role").GetString()).ToList();

        // The top-level system first; an in-conversation system message stays where Claude Code put it.
        string[] expected = file switch
        {
            ClaudeCodeRequests.KnownModel => ["system", "user"],
            ClaudeCodeRequests.OtherModel => ["system", "user", "system"],
            _ => ["system", "user", "system", "assistant", "tool"],
        };
        Assert.Equal(expected, roles);
        Assert.Contains("You are a coding agent.", messages[0].GetProperty("content").GetString(), StringComparison.Ordinal);
        if (file != ClaudeCodeRequests.KnownModel)
        {
            Assert.StartsWith("Agent types the Agent tool can start", messages[2].GetProperty("content").GetString(), StringComparison.Ordinal);
        }

        if (file == ClaudeCodeRequests.SecondTurn)
        {
            var call = Assert.Single(messages[3].GetProperty("tool_calls").EnumerateArray());
            Assert.Equal(("toolu_01", "Read"), (call.GetProperty("id").GetString(), call.GetProperty("function").GetProperty("name").GetString()));
            Assert.Contains("note.txt", call.GetProperty("function").GetProperty("arguments").GetString(), StringComparison.Ordinal);
            Assert.Equal("toolu_01", messages[4].GetProperty("tool_call_id").GetString());
            Assert.Contains("zeytin", messages[4].GetProperty("content").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(["Bash", "Read"], sent.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString()));
        Assert.Equal("object", sent.GetProperty("tools")[0].GetProperty("function").GetProperty("parameters").GetProperty("type").GetString());
        Assert.StartsWith("{\"device_id\"", sent.GetProperty("user").GetString(), StringComparison.Ordinal);
        Assert.Equal(32000, sent.GetProperty("max_tokens").GetInt32());
        foreach (var dropped in (string[])["thinking", "context_management", "output_config", "system", "metadata"])
        {
            Assert.False(sent.TryGetProperty(dropped, out _), dropped);
        }

        var row = await fixture.UsageAsync(userId);
        Assert.Equal((30L, 2L, MessagesFixture.Gpt), (row.Prompt, row.Completion, row.Model));
    }

    [Theory]
    [MemberData(nameof(Captured))]
    public async Task TranslateClaudeCodesRequestsForAGeminiModel(string file)
    {
        var (_, _, rawKey) = await fixture.ClientAsync();
        fixture.Google.Reset().Then(FakeGemini.Stream(FakeGemini.Text("Merhaba")));

        var (status, answer) = await PostAsync(rawKey, ClaudeCodeRequests.Path, ClaudeCodeRequests.Body(file, MessagesFixture.Gemini), ClaudeCodeRequests.Beta(file));

        Assert.True(status == HttpStatusCode.OK, answer);
        Assert.Contains("\"text\":\"Merhaba\"", answer, StringComparison.Ordinal);
        var sent = fixture.Google.OnlyRequest().Json;

        // Gemini has one system instruction: the top-level system text, then each in-conversation system message's, in order.
        var instruction = string.Concat(sent.GetProperty("systemInstruction").GetProperty("parts").EnumerateArray().Select(p => p.GetProperty("text").GetString()));
        var identity = instruction.IndexOf("You are a coding agent.", StringComparison.Ordinal);
        Assert.True(identity >= 0, instruction);
        if (file != ClaudeCodeRequests.KnownModel)
        {
            Assert.True(instruction.IndexOf("Agent types the Agent tool can start", StringComparison.Ordinal) > identity, instruction);
        }

        var turns = sent.GetProperty("contents").EnumerateArray().Select(c => c.GetProperty("role").GetString());
        Assert.Equal(file == ClaudeCodeRequests.SecondTurn ? ["user", "model", "user"] : ["user"], turns);
        var declared = sent.GetProperty("tools").EnumerateArray().SelectMany(t => t.TryGetProperty("functionDeclarations", out var d) ? d.EnumerateArray() : [])
            .Select(d => d.GetProperty("name").GetString());
        Assert.Equal(["Bash", "Read"], declared);
    }

    [Fact]
    public async Task TranslateForAFallbackOnAnotherProviderOnlyWhenItIsTried()
    {
        var (_, _, rawKey) = await fixture.ClientAsync();
        var primary = await AnthropicModelFallingBackToGptAsync();
        fixture.Anthropic.FailWith(529, "overloaded_error", "Overloaded");
        fixture.OpenAi.Respond = (_, context) => FakeOpenAi.StreamAsync(context, ["Yedek", " model"]);

        var (status, answer) = await PostAsync(rawKey, ClaudeCodeRequests.Path, ClaudeCodeRequests.Body(ClaudeCodeRequests.OtherModel, primary), ClaudeCodeRequests.OtherModelBeta);

        Assert.True(status == HttpStatusCode.OK, answer);
        Assert.Contains("\"text\":\" model\"", answer, StringComparison.Ordinal);
        Assert.Equal(ClaudeCodeRequests.Body(ClaudeCodeRequests.OtherModel, "claude-test"), fixture.Anthropic.Last.Body);
        var roles = fixture.OpenAi.Last.Json.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString());
        Assert.Equal(["system", "user", "system"], roles);
    }

    [Fact]
    public async Task SkipAFallbackTheTranslationCannotTakeAndAnswerTheProvidersFailure()
    {
        var (_, _, rawKey) = await fixture.ClientAsync();
        var primary = await AnthropicModelFallingBackToGptAsync();
        var body = $$"""{"model":"{{primary}}","max_tokens":16,"messages":[{"role":"user","content":[{"type":"image"}]}]}""";
        var calls = fixture.OpenAi.Server.Received.Count;

        fixture.Anthropic.AnswerWith(FakeAnthropic.Message(FakeAnthropic.Text("Anthropic took it.")));
        var (status, answer) = await PostAsync(rawKey, "/v1/messages", body, beta: null);
        Assert.True(status == HttpStatusCode.OK, answer);

        // The fallback would need the request translated, which it cannot be: the fallback is skipped, and the answer is
        // why the provider that was tried failed (the fallback's refusal would blame a request Anthropic took).
        fixture.Anthropic.FailWith(529, "overloaded_error", "Overloaded");
        (status, answer) = await PostAsync(rawKey, "/v1/messages", body, beta: null);
        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal(calls, fixture.OpenAi.Server.Received.Count);
    }

    [Fact]
    public async Task FoldSystemBlocksInPlaceAndCarryStructuredOutputForATranslatedModel()
    {
        var (_, _, rawKey) = await fixture.ClientAsync();
        fixture.OpenAi.Respond = (_, context) => Sse.JsonAsync(context, 200, FakeOpenAi.Completion("{\"ok\":true}"));
        const string Body = """
            {"model":"openai/gpt-4o","max_tokens":50,"system":"Sen bir asistansın.","messages":[
              {"role":"user","content":"Merhaba"},
              {"role":"assistant","content":"Merhaba!"},
              {"role":"system","content":[{"type":"text","text":"Bundan sonra JSON yaz."},{"type":"text","text":"Kısa tut.","cache_control":{"type":"ephemeral"}}]},
              {"role":"user","content":"Durum?"}],
             "output_config":{"effort":"low","format":{"type":"json_schema","schema":{"type":"object","properties":{"ok":{"type":"boolean"}}}}}}
            """;

        var (status, answer) = await PostAsync(rawKey, "/v1/messages", Body, beta: null);

        Assert.True(status == HttpStatusCode.OK, answer);
        var sent = fixture.OpenAi.Last.Json;
        var messages = sent.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString(), m.GetProperty("content").GetString())).ToList();
        Assert.Equal(
            [("system", "Sen bir asistansın."), ("user", "Merhaba"), ("assistant", "Merhaba!"), ("system", "Bundan sonra JSON yaz.\n\nKısa tut."), ("user", "Durum?")],
            messages);
        var format = sent.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("boolean", format.GetProperty("json_schema").GetProperty("schema").GetProperty("properties").GetProperty("ok").GetProperty("type").GetString());
        Assert.False(sent.TryGetProperty("reasoning_effort", out _));
    }

    [Fact]
    public async Task RefuseATranslatedConversationOfSystemTextAlone()
    {
        var (_, _, rawKey) = await fixture.ClientAsync();

        var (status, answer) = await PostAsync(rawKey, "/v1/messages", """{"model":"openai/gpt-4o","max_tokens":5,"messages":[{"role":"system","content":"hi"}]}""", beta: null);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("at least one 'user' or 'assistant' turn", ErrorMessage(answer), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountTokensForAnAnthropicModelOnTheBodyAsSent()
    {
        var (_, _, rawKey) = await fixture.ClientAsync();
        fixture.Anthropic.Answer((_, context) => Sse.JsonAsync(context, 200, """{"input_tokens":77}"""));
        const string Body = """{"model":"anthropic/claude-sonnet-4.5","messages":[{"role":"user","content":"hi"},{"role":"system","content":"Be brief."}],"thinking":{"type":"adaptive"}}""";

        var (status, answer) = await PostAsync(rawKey, "/v1/messages/count_tokens?beta=true", Body, ClaudeCodeRequests.OtherModelBeta);

        Assert.True(status == HttpStatusCode.OK, answer);
        Assert.Equal(77, JsonDocument.Parse(answer).RootElement.GetProperty("input_tokens").GetInt32());
        var sent = fixture.Anthropic.Last;
        Assert.Equal("/v1/messages/count_tokens?beta=true", sent.PathAndQuery);
        Assert.Equal(ClaudeCodeRequests.OtherModelBeta, sent.Header("anthropic-beta"));
        Assert.Equal(Body.Replace("anthropic/claude-sonnet-4.5", "claude-sonnet-4-5", StringComparison.Ordinal), sent.Body);
    }

    /// <summary>A new model of the Anthropic provider (upstream name <c>claude-test</c>) whose fallback is <c>openai/gpt-4o</c>.</summary>
    private async Task<string> AnthropicModelFallingBackToGptAsync()
    {
        var id = $"anthropic/test-{Guid.NewGuid():N}"[..30];
        var admin = fixture.Gateway.Host.Services.GetRequiredService<ICatalogAdministration>();
        var saved = await admin.SaveModelAsync(new ModelInput(id, "claude-test", "Test model", "For relay tests.", "Aktarım testleri için.", 200_000, 32_000,
            ["text", "image"], ["text"], ["chat", "streaming", "tools"], [], "Active", "Public", [MessagesFixture.Gpt], null,
            [new DataPathHop("LLMTR gateway", "TR", "Istanbul", "Routes", "Metadata only", false, HopRetention.MetadataOnly)]), "tests");
        Assert.True(saved.Succeeded, string.Join(" ", saved.Errors.SelectMany(e => e.Value)));
        var catalog = fixture.Gateway.Host.Services.GetRequiredService<IModelCatalog>();
        await Poll.UntilAsync(() => Task.FromResult(catalog.Current.FindModel(id) is not null), "the model to reach the catalog");
        return id;
    }

    private static string ErrorMessage(string answer) =>
        JsonDocument.Parse(answer).RootElement.GetProperty("error").GetProperty("message").GetString()!;

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string rawKey, string path, string body, string? beta)
    {
        using var http = fixture.Gateway.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", rawKey);
        request.Headers.Add("anthropic-version", ClaudeCodeRequests.Version);
        if (beta is not null)
        {
            request.Headers.Add("anthropic-beta", beta);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace LlmTr.IntegrationTests.Gateway;

/// <summary>
/// Routing options (<c>llmtr.models</c>, <c>llmtr.provider</c>, the <c>x-llmtr-route</c> header) over real HTTP: an
/// invalid one is a 400 naming the field in each API's own error format, before any provider is called; valid ones
/// are accepted by all three chat APIs.
/// </summary>
public sealed class RouteOptionsShould(OpenAiGatewayFixture fixture) : IClassFixture<OpenAiGatewayFixture>
{
    private const string Demo = "llmtr/demo";

    private GatewayHost Gateway => fixture.Gateway;

    [Fact]
    public async Task RefuseABadSortOnChatCompletionsWithOpenAisErrorNamingTheField()
    {
        var (_, key) = await Gateway.FundedKeyAsync();
        var before = fixture.Upstream.Server.Received.Count;

        var (status, body) = await PostAsync(key.RawKey, "/v1/chat/completions",
            """{"model":"openai/gpt-4o","messages":[{"role":"user","content":"hi"}],"llmtr":{"provider":{"order":["openai"],"sort":"cheapest"}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body.GetProperty("error");
        Assert.Equal(("invalid_request_error", "llmtr.provider.sort", "'llmtr.provider.sort' must be \"price\" or \"latency\"; got \"cheapest\"."),
            (error.GetProperty("type").GetString(), error.GetProperty("param").GetString(), error.GetProperty("message").GetString()));
        Assert.Equal(before, fixture.Upstream.Server.Received.Count);
    }

    [Fact]
    public async Task RefuseABadFallbackModelOnTheMessagesApiInAnthropicsFormat()
    {
        var (_, key) = await Gateway.FundedKeyAsync();
        var before = fixture.Upstream.Server.Received.Count;

        var (status, body) = await PostAsync(key.RawKey, "/v1/messages",
            """{"model":"openai/gpt-4o","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"llmtr":{"models":["llmtr/demo","GPT 4o"]}}""",
            anthropic: true);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("error", body.GetProperty("type").GetString());
        var error = body.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.StartsWith("'llmtr.models[1]' must be a model id", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(error.TryGetProperty("param", out _));
        Assert.Equal(before, fixture.Upstream.Server.Received.Count);
    }

    [Theory]
    [InlineData("""{"models":["openai/gpt-4o"]""")]
    [InlineData("""["openai/gpt-4o"]""")]
    [InlineData("""{"residency":"TR"}""")]
    public async Task RefuseABadHeaderOnTheResponsesApi(string header)
    {
        var (_, key) = await Gateway.FundedKeyAsync();
        var before = fixture.Upstream.Server.Received.Count;

        var (status, body) = await PostAsync(key.RawKey, "/v1/responses", """{"model":"openai/gpt-4o","input":"hi"}""", route: header);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body.GetProperty("error");
        Assert.Equal(("invalid_request_error", "x-llmtr-route"), (error.GetProperty("type").GetString(), error.GetProperty("param").GetString()));
        Assert.Contains("x-llmtr-route header", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, fixture.Upstream.Server.Received.Count);
    }

    [Fact]
    public async Task RefuseAnOptionSetInTheBodyAndInTheHeader()
    {
        var (_, key) = await Gateway.FundedKeyAsync();

        var (status, body) = await PostAsync(key.RawKey, "/v1/chat/completions",
            """{"model":"llmtr/demo","messages":[{"role":"user","content":"hi"}],"llmtr":{"provider":{"sort":"price"}}}""",
            route: """{"provider":{"sort":"latency"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("x-llmtr-route.provider", body.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task ServeRequestsWithValidOptionsInTheBodyAndTheHeaderOnEveryChatApi()
    {
        var (_, key) = await Gateway.FundedKeyAsync();
        const string Models = """{"models":["openai/gpt-4o","llmtr/llama-3.3-70b"]}""";
        const string Provider = """{"provider":{"order":["llmtr"],"ignore":["openai"],"allow_fallbacks":false,"sort":"latency"}}""";

        var (chatStatus, chat) = await PostAsync(key.RawKey, "/v1/chat/completions",
            """{"model":"llmtr/demo","messages":[{"role":"user","content":"hi"}],"llmtr":{"residency":"TR","models":["openai/gpt-4o"],"provider":{"only":["llmtr","openai"],"sort":"price"}}}""");
        var (messagesStatus, messages) = await PostAsync(key.RawKey, "/v1/messages",
            $$"""{"model":"{{Demo}}","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}""", anthropic: true, route: Models[..^1] + "," + Provider[1..]);
        var (responsesStatus, responses) = await PostAsync(key.RawKey, "/v1/responses",
            $$"""{"model":"{{Demo}}","input":"hi","llmtr":{{Models}}}""", route: Provider);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (chatStatus, messagesStatus, responsesStatus));
        Assert.Equal(("chat.completion", Demo), (chat.GetProperty("object").GetString(), chat.GetProperty("model").GetString()));
        Assert.Equal(("message", Demo), (messages.GetProperty("type").GetString(), messages.GetProperty("model").GetString()));
        Assert.Equal(("response", Demo), (responses.GetProperty("object").GetString(), responses.GetProperty("model").GetString()));
    }

    [Fact]
    public async Task RefuseOptionsThatLeaveNoDeploymentNamingTheProviderOption()
    {
        var (_, key) = await Gateway.FundedKeyAsync();

        var (status, body) = await PostAsync(key.RawKey, "/v1/chat/completions",
            """{"model":"llmtr/demo","messages":[{"role":"user","content":"hi"}],"llmtr":{"provider":{"only":["elsewhere"]}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("llmtr.provider", body.GetProperty("error").GetProperty("param").GetString());
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string rawKey, string path, string json, bool anthropic = false, string? route = null)
    {
        using var client = Gateway.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (anthropic)
        {
            request.Headers.Add("x-api-key", rawKey);
            request.Headers.Add("anthropic-version", "2023-06-01");
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", rawKey);
        }

        if (route is not null)
        {
            Assert.True(request.Headers.TryAddWithoutValidation("x-llmtr-route", route));
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return (response.StatusCode, document.RootElement.Clone());
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmTr.Modules.Keys.Contracts;

namespace LlmTr.IntegrationTests.Gateway;

/// <summary>
/// Issue 18, finding 8: every /v1 answer names its request id in <c>x-request-id</c>, whoever answered it (the catalog's
/// /v1/models, key authentication, the rate limit, an unknown address); Anthropic-format answers also carry Anthropic's
/// own <c>request-id</c> header and the same id in the error body's <c>request_id</c>.
/// </summary>
public sealed class RequestIdsShould : IAsyncLifetime
{
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayHost.StartAsync([]);

    public Task DisposeAsync() => _gateway.DisposeAsync().AsTask();

    public static TheoryData<string, string, string?, HttpStatusCode> OpenAiAnswers => new()
    {
        { "GET", "/v1/models", null, HttpStatusCode.OK },
        { "GET", "/v1/models/nobody/nothing", null, HttpStatusCode.NotFound },
        { "POST", "/v1/nothing/here", "{}", HttpStatusCode.NotFound },
        { "POST", "/v1/chat/completions", """{"model":"llmtr/demo","messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.OK },
        { "POST", "/v1/embeddings", """{"model":"nobody/nothing","input":"hi"}""", HttpStatusCode.BadRequest },
    };

    // Issue 18, finding 8: x-request-id was missing on /v1/models, 401, 404 and 429 answers.
    [Theory]
    [MemberData(nameof(OpenAiAnswers))]
    public async Task NameTheRequestIdOnEveryOpenAiAnswer(string method, string path, string? body, HttpStatusCode expected)
    {
        var (_, key) = await _gateway.FundedKeyAsync();
        using var client = _gateway.Host.CreateClient();

        using var response = await client.SendAsync(Request(method, path, body, key.RawKey));

        Assert.Equal(expected, response.StatusCode);
        Assert.StartsWith("req_", RequestId(response), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("request-id"), "Anthropic's header belongs to Anthropic-format answers only.");
    }

    [Fact]
    public async Task NameTheRequestIdWhenTheKeyIsRefused()
    {
        using var client = _gateway.Host.CreateClient();

        using var missing = await client.SendAsync(Request("GET", "/v1/models", null, rawKey: null));
        using var wrong = await client.SendAsync(Request("POST", "/v1/chat/completions", "{}", "llmtr-" + new string('x', 43)));

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (missing.StatusCode, wrong.StatusCode));
        Assert.StartsWith("req_", RequestId(missing), StringComparison.Ordinal);
        Assert.StartsWith("req_", RequestId(wrong), StringComparison.Ordinal);
        Assert.NotEqual(RequestId(missing), RequestId(wrong));
    }

    [Fact]
    public async Task NameTheRequestIdWhenTheRateLimitIsSpent()
    {
        var (_, key) = await _gateway.FundedKeyAsync(key: new NewApiKey("one a minute", RequestsPerMinute: 1));
        using var client = _gateway.Host.CreateClient();

        using var first = await client.SendAsync(Request("GET", "/v1/models", null, key.RawKey));
        using var limited = await client.SendAsync(Request("GET", "/v1/models", null, key.RawKey));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.StartsWith("req_", RequestId(limited), StringComparison.Ordinal);
        Assert.NotEqual(RequestId(first), RequestId(limited));
    }

    // Issue 18, finding 8: Anthropic-format answers lacked the request-id header, and their bodies said "request_id": null.
    [Theory]
    [InlineData("/v1/messages", """{"model":"llmtr/demo","messages":[{"role":"user","content":"hi"}]}""", "valid", HttpStatusCode.BadRequest)]
    [InlineData("/v1/messages/count_tokens", """{"model":"nobody/nothing","messages":[{"role":"user","content":"hi"}]}""", "valid", HttpStatusCode.BadRequest)]
    [InlineData("/v1/messages", "{}", "none", HttpStatusCode.Unauthorized)]
    [InlineData("/v1/messages/count_tokens", "{}", "wrong", HttpStatusCode.Unauthorized)]
    [InlineData("/v1/messages", "{}", "spent", HttpStatusCode.TooManyRequests)]
    public async Task NameTheRequestIdInAnthropicsHeaderAndErrorBody(string path, string body, string keyKind, HttpStatusCode expected)
    {
        var (_, key) = await _gateway.FundedKeyAsync(key: new NewApiKey("anthropic", RequestsPerMinute: keyKind == "spent" ? 1 : null));
        using var client = _gateway.Host.CreateClient();
        var rawKey = keyKind switch
        {
            "none" => null,
            "wrong" => "llmtr-" + new string('y', 43),
            _ => key.RawKey,
        };
        if (keyKind == "spent")
        {
            using var first = await client.SendAsync(Request("POST", path, body, rawKey, anthropic: true));
        }

        using var response = await client.SendAsync(Request("POST", path, body, rawKey, anthropic: true));

        Assert.Equal(expected, response.StatusCode);
        var requestId = RequestId(response);
        Assert.StartsWith("req_", requestId, StringComparison.Ordinal);
        Assert.Equal(requestId, Assert.Single(response.Headers.GetValues("request-id")));
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("error", error.RootElement.GetProperty("type").GetString());
        Assert.Equal(requestId, error.RootElement.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task NameTheSameRequestIdInTheAnswerTheHeaderAndTheUsageRow()
    {
        var (_, key) = await _gateway.FundedKeyAsync();
        using var client = _gateway.Host.CreateClient();

        using var response = await client.SendAsync(Request("POST", "/v1/messages", """{"model":"llmtr/demo","max_tokens":20,"messages":[{"role":"user","content":"hi"}]}""", key.RawKey, anthropic: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requestId = RequestId(response);
        Assert.Equal(requestId, Assert.Single(response.Headers.GetValues("request-id")));
        using var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("msg_" + requestId["req_".Length..], message.RootElement.GetProperty("id").GetString());
    }

    // Issue 19: an SDK given the site's address without /v1 got the site's HTML (or its "not found" page), not an error it could read.
    [Theory]
    [InlineData("POST", "/chat/completions", """{"model":"llmtr/demo","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("GET", "/models", null)]
    [InlineData("POST", "/responses", """{"model":"llmtr/demo","input":"hi"}""")]
    public async Task TellAKeyedClientWithoutV1InItsBaseUrlHowToFixIt(string method, string path, string? body)
    {
        var (_, key) = await _gateway.FundedKeyAsync();
        using var client = _gateway.Host.CreateClient();

        using var response = await client.SendAsync(Request(method, path, body, key.RawKey));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("req_", RequestId(response), StringComparison.Ordinal);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("unknown_url", error.GetProperty("code").GetString());
        Assert.Contains("/v1", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LeaveTheSitesOwnPagesToBrowsersWithoutAKey()
    {
        using var client = _gateway.Host.CreateClient();

        using var page = await client.GetAsync(new Uri("/models", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }

    private static string RequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-request-id", out var values) ? Assert.Single(values) : "(no x-request-id)";

    private static HttpRequestMessage Request(string method, string path, string? body, string? rawKey, bool anthropic = false)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (rawKey is not null)
        {
            if (anthropic)
            {
                request.Headers.Add("x-api-key", rawKey);
                request.Headers.Add("anthropic-version", "2023-06-01");
            }
            else
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", rawKey);
            }
        }

        return request;
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Reliability;

/// <summary>
/// Issue 18, finding 5: a fault nobody handled on /v1 (here the key check itself failing) is answered with a JSON 500 in
/// the endpoint's own API format, naming only the request id: never the developer exception page's stack trace
/// (Development) nor the site's HTML error page (Production). count_tokens leaked both.
/// </summary>
public sealed class FaultAnswersShould
{
    [Theory]
    [InlineData("Development", "POST", "/v1/messages/count_tokens")]
    [InlineData("Production", "POST", "/v1/messages/count_tokens")]
    [InlineData("Development", "POST", "/v1/messages")]
    [InlineData("Development", "POST", "/v1/chat/completions")]
    [InlineData("Production", "POST", "/v1/chat/completions")]
    [InlineData("Production", "POST", "/v1/audio/transcriptions")]
    [InlineData("Production", "GET", "/v1/models")]
    public async Task AnswerAFaultWithAJson500NamingOnlyTheRequestId(string environment, string method, string path)
    {
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        await using var host = new LlmTrHostFactory(database, new Dictionary<string, string?>(ProductionMail.Settings)
            {
                ["environment"] = environment,
                ["Billing:TopUpsEnabled"] = "false", // Production runs without a payment provider only with top-ups off
            },
            services => services.AddSingleton<IApiKeyAuthenticator, FaultyAuthenticator>());
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "llmtr-" + new string('k', 43));
        if (method == "POST")
        {
            request.Content = new StringContent("""{"model":"llmtr/demo","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var requestId = Assert.Single(response.Headers.GetValues("x-request-id"));
        foreach (var leak in new[] { FaultyAuthenticator.Secret, "Exception", "   at ", "<html", "LlmTr." })
        {
            Assert.DoesNotContain(leak, body, StringComparison.OrdinalIgnoreCase);
        }

        var root = JsonDocument.Parse(body).RootElement;
        if (path.StartsWith("/v1/messages", StringComparison.Ordinal))
        {
            Assert.Equal(("error", "api_error", requestId), (root.GetProperty("type").GetString(), root.GetProperty("error").GetProperty("type").GetString(), root.GetProperty("request_id").GetString()));
            Assert.Contains(requestId, root.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal("internal_error", root.GetProperty("error").GetProperty("code").GetString());
            Assert.Contains(requestId, root.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    /// <summary>A key check that fails outright, with a message that must never reach the client.</summary>
    private sealed class FaultyAuthenticator : IApiKeyAuthenticator
    {
        public const string Secret = "simulated-fault-4d1c";

        public ApiKeyAuthentication Authenticate(ReadOnlySpan<char> rawKey) => throw new InvalidOperationException($"{Secret}: the key directory broke");
    }
}

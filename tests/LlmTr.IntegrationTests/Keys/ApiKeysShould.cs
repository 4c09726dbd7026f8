using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LlmTr.IntegrationTests.Catalog;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Models;

namespace LlmTr.IntegrationTests.Keys;

public sealed class ApiKeysShould(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private IApiKeys Keys => fixture.Host.Services.GetRequiredService<IApiKeys>();

    [Fact]
    public async Task IssueALlmtrKeyWhoseRawValueIsInNoRowAndNoLogLine()
    {
        var (userId, key) = await TestAccounts.CreateKeyAsync(fixture.Host, new NewApiKey("production"));
        using var client = fixture.Host.CreateClient();
        await SendAsync(client, key.RawKey);                          // a use
        await SendAsync(client, key.RawKey[..^1] + (key.RawKey[^1] == 'A' ? 'B' : 'A')); // a failed use

        Assert.Matches("^llmtr-[A-Za-z0-9_-]{43}$", key.RawKey);
        Assert.StartsWith("llmtr-", key.Preview, StringComparison.Ordinal);
        Assert.EndsWith(key.RawKey[^4..], key.Preview, StringComparison.Ordinal);
        Assert.DoesNotContain(key.RawKey[10..^4], key.Preview, StringComparison.Ordinal);
        var summary = Assert.Single(await Keys.ListAsync(userId));
        Assert.Equal(("production", key.Preview), (summary.Name, summary.Preview));

        var secretPart = key.RawKey["llmtr-".Length..];
        foreach (var row in await EveryRowAsTextAsync())
        {
            Assert.DoesNotContain(secretPart, row, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(fixture.Host.Logs.Entries, entry => entry.Contains(secretPart, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, "You didn't provide an API key.")]
    [InlineData("Basic dXNlcjpwYXNz", "The API key is malformed.")]
    [InlineData("Bearer sk-not-ours", "The API key is malformed.")]
    [InlineData("Bearer llmtr-tooshort", "The API key is malformed.")]
    [InlineData("Bearer llmtr-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "Invalid API key.")]
    public async Task AnswerABadKeyWithOpenAisAuthError(string? authorization, string message)
    {
        using var client = fixture.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await client.SendAsync(request);

        await AssertAuthErrorAsync(response, message);
    }

    [Fact]
    public async Task RefuseARevokedKeyAndLetOnlyItsOwnerRevokeIt()
    {
        var (owner, key) = await TestAccounts.CreateKeyAsync(fixture.Host);
        var stranger = await TestAccounts.CreateUserAsync(fixture.Host);
        using var client = fixture.Host.CreateClient();

        Assert.False(await Keys.RevokeAsync(stranger, key.Id));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, key.RawKey)).StatusCode);

        Assert.True(await Keys.RevokeAsync(owner, key.Id));
        await Poll.UntilAsync(async () => (await SendAsync(client, key.RawKey)).StatusCode == HttpStatusCode.Unauthorized, "the revocation to take effect");
        await AssertAuthErrorAsync(await SendAsync(client, key.RawKey), "Invalid API key.");
        Assert.NotNull(Assert.Single(await Keys.ListAsync(owner)).RevokedAt);
    }

    [Fact]
    public async Task SurfaceAnInvalidKeyAsTheOpenAiSdksOwn401()
    {
        var models = new OpenAIModelClient(new ApiKeyCredential("llmtr-" + new string('x', 43)), new OpenAIClientOptions
        {
            Endpoint = new Uri(fixture.Host.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(fixture.Host.CreateClient()),
        });

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => models.GetModelsAsync());

        Assert.Equal(401, failure.Status);
    }

    [Fact]
    public async Task RefuseANameOrExpiryThatMakesNoSense()
    {
        var owner = await TestAccounts.CreateUserAsync(fixture.Host);

        var result = await Keys.CreateAsync(owner, new NewApiKey(" ", DateTimeOffset.UtcNow.AddDays(-1)));

        Assert.False(result.Succeeded);
        Assert.Contains(nameof(NewApiKey.Name), result.Errors.Keys);
        Assert.Contains(nameof(NewApiKey.ExpiresAt), result.Errors.Keys);
        Assert.Empty(await Keys.ListAsync(owner));
    }

    internal static Task<HttpResponseMessage> SendAsync(HttpClient client, string rawKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", rawKey);
        return client.SendAsync(request);
    }

    internal static async Task AssertAuthErrorAsync(HttpResponseMessage response, string messageStart)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("auth_error", error.GetProperty("type").GetString());
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.StartsWith(messageStart, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private async Task<List<string>> EveryRowAsTextAsync()
    {
        var tables = await Sql.RowsAsync(fixture.Host.ConnectionString, """
            SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
            """);
        var rows = new List<string>();
        foreach (var table in tables)
        {
            rows.AddRange(await Sql.RowsAsync(fixture.Host.ConnectionString, $"SELECT t::text FROM {table} t"));
        }

        Assert.Contains(tables, t => t == "keys.api_keys");
        return rows;
    }
}

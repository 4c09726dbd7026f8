using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using LlmTr.IntegrationTests.Gateway;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;

namespace LlmTr.IntegrationTests.Reliability;

/// <summary>
/// A whole journey on one host with every log entry captured at the most verbose level: a key is created, used,
/// misused, a provider echoes its credential back, a wrong key is tried, credit is topped up through Stripe and the
/// signed webhook delivered. No secret of any kind may then be found in a log entry or anywhere in the database.
/// </summary>
public sealed class SecretsShould : IAsyncLifetime
{
    private FakeStripe _stripe = null!;
    private ScriptedUpstream _upstream = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _stripe = await FakeStripe.StartAsync();
        _upstream = await ScriptedUpstream.StartAsync();
        var settings = _stripe.Settings;
        foreach (var category in new[] { "Default", "Microsoft", "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "System.Net.Http.HttpClient", "Hangfire", "LlmTr" })
        {
            settings[$"Logging:LogLevel:{category}"] = "Trace";
        }

        _gateway = await GatewayHost.StartAsync([("openai", _upstream.Server, "/v1")], settings);
    }

    [Fact]
    public async Task NeverReachALogOrATableInAFullJourney()
    {
        var host = _gateway.Host;
        var providerKey = GatewayHost.UpstreamKey("openai");
        var (userId, key) = await _gateway.FundedKeyAsync(credit: 5m);
        var chat = _gateway.Chat(key.RawKey, "openai/gpt-4o");

        _upstream.Respond = (_, context) => Sse.JsonAsync(context, 200, FakeOpenAi.Completion("Merhaba!"));
        Assert.Equal("Merhaba!", (await chat.CompleteChatAsync([new UserChatMessage("Say hi")])).Value.Content[0].Text);

        var invalid = await Assert.ThrowsAsync<ClientResultException>(() =>
            chat.CompleteChatAsync([new UserChatMessage("hi")], new ChatCompletionOptions { Temperature = 9f }));
        Assert.Equal(400, invalid.Status);

        _upstream.Respond = (_, context) => Sse.JsonAsync(context, 500,
            FakeOpenAi.Error($"Internal error for credential {context.Request.Headers.Authorization} at {context.Request.Host}"));
        var upstreamFailure = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(502, upstreamFailure.Status);

        _upstream.Respond = (_, context) => Sse.JsonAsync(context, 400,
            FakeOpenAi.Error($"Your key {context.Request.Headers.Authorization} may not do this", "invalid_request_error"));
        var rejected = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(400, rejected.Status);
        Assert.DoesNotContain(providerKey, rejected.GetRawResponse()!.Content.ToString(), StringComparison.Ordinal);

        var wrongKey = key.RawKey[..^2] + (key.RawKey[^2..] == "AA" ? "BB" : "AA");
        var wrong = await Assert.ThrowsAsync<ClientResultException>(() =>
            _gateway.Chat(wrongKey, "openai/gpt-4o").CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(401, wrong.Status);

        var topUps = host.Services.GetRequiredService<ITopUps>();
        var started = await topUps.StartAsync(userId, 10m, new Uri("https://llmtr.test/"));
        Assert.True(started.Succeeded);
        var sessionId = started.CheckoutUrl!.Segments[^1];
        _stripe.Pay(sessionId);
        var completed = _stripe.Event("checkout.session.completed", sessionId);
        using (var client = host.CreateClient())
        using (var webhook = new HttpRequestMessage(HttpMethod.Post, "/billing/stripe/webhook") { Content = new StringContent(completed, Encoding.UTF8, "application/json") })
        {
            webhook.Headers.TryAddWithoutValidation("Stripe-Signature", FakeStripe.Sign(completed, DateTimeOffset.UtcNow));
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(webhook)).StatusCode);
        }

        Assert.Equal(TopUpStatus.Completed, (await topUps.FindAsync(userId, started.TopUpId!.Value))!.Status);
        await Poll.UntilAsync(async () => await Sql.CountAsync(host.ConnectionString,
            """SELECT count(*) FROM billing.usage_records WHERE "AccountId" = @a""", ("a", userId)) == 4, "the journey's usage rows");

        var secrets = new Dictionary<string, string>
        {
            ["the raw API key"] = key.RawKey["llmtr-".Length..],
            ["the wrong API key"] = wrongKey["llmtr-".Length..],
            ["the provider's API key"] = providerKey,
            ["the provider's key, base64"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(providerKey)),
            ["the Stripe secret key"] = FakeStripe.SecretKey,
            ["the Stripe webhook secret"] = FakeStripe.WebhookSecret,
            ["the key-hashing secret"] = LlmTrHostFactory.TestKeyHashSecret,
        };
        var logs = host.Logs.Entries.ToList();
        Assert.True(logs.Count > 50, $"only {logs.Count} log entries were captured");
        Assert.Contains(logs, entry => entry.Contains("answered HTTP 500", StringComparison.Ordinal));
        var rows = await EveryRowAsTextAsync(host.ConnectionString);
        foreach (var (what, secret) in secrets)
        {
            Assert.False(logs.Any(entry => entry.Contains(secret, StringComparison.Ordinal)), $"{what} is in a log entry");
            Assert.False(rows.Any(row => row.Contains(secret, StringComparison.Ordinal)), $"{what} is in a table");
        }

        var expectedHash = Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromBase64String(LlmTrHostFactory.TestKeyHashSecret), Encoding.UTF8.GetBytes(key.RawKey)));
        var stored = await Sql.RowsAsync(host.ConnectionString, """SELECT encode("Hash", 'hex') || ' ' || "Preview" FROM keys.api_keys WHERE "Id" = @id""", ("id", key.Id));
        Assert.Equal($"{expectedHash} {key.Preview}", Assert.Single(stored));
    }

    /// <summary>Every row of every table of every schema, as text (all columns).</summary>
    private static async Task<List<string>> EveryRowAsTextAsync(string connectionString)
    {
        var tables = await Sql.RowsAsync(connectionString, """
            SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
            """);
        Assert.Contains("keys.api_keys", tables);
        Assert.Contains("billing.top_ups", tables);
        var rows = new List<string>();
        foreach (var table in tables)
        {
            rows.AddRange(await Sql.RowsAsync(connectionString, $"SELECT t::text FROM {table} t"));
        }

        return rows;
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
        await _stripe.DisposeAsync();
    }
}

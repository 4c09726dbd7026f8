using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LlmTr.IntegrationTests.Billing;
using LlmTr.IntegrationTests.Gateway;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;

namespace LlmTr.IntegrationTests.Reliability;

/// <summary>
/// The database goes away while the host serves (a forwarder between the host and PostgreSQL is cut, so the shared test
/// cluster keeps running for everyone else) and comes back.
/// </summary>
public sealed class DatabaseOutageShould
{
    /// <summary>1,000 prompt tokens at 2.50 and 100 completion tokens at 10.00 per million (the seed price of openai/gpt-4o).</summary>
    private const decimal RequestCost = 0.0035m;

    [Fact]
    public async Task ServeKnownKeysFromMemoryAndWriteEveryRowOnceWhenTheDatabaseReturns()
    {
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        await using var cut = new DatabaseCut(database);
        await using var upstream = await AnsweringUpstreamAsync();
        await using var gateway = await GatewayHost.StartAsync([("openai", upstream, "/v1")], Settings(), connectionString: cut.ConnectionString);
        var (account, key) = await gateway.FundedKeyAsync(10m);
        var chat = gateway.Chat(key.RawKey, "openai/gpt-4o");

        cut.Cut();
        var served = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            served.Add(RequestIdOf(await chat.CompleteChatAsync([new UserChatMessage($"question {i}")])));
        }

        Assert.Equal(0, await Sql.CountAsync(database, "SELECT count(*) FROM billing.usage_records")); // nothing could be written
        Assert.Equal(10m - (served.Count * RequestCost), (await gateway.Host.Services.GetRequiredService<IBalanceQuery>().GetAsync(account)).Balance);

        cut.Restore();
        await Poll.UntilAsync(async () => await Sql.CountAsync(database, "SELECT count(*) FROM billing.usage_records") >= served.Count, "the queued usage to be written");
        Assert.Equal(served.Order(StringComparer.Ordinal), await Sql.RowsAsync(database, """SELECT "RequestId" FROM billing.usage_records ORDER BY "RequestId" COLLATE "C" """));
        var stored = await BillingTesting.StoredBalanceAsync(database, account);
        Assert.Equal(await BillingTesting.LedgerSumAsync(database, account), stored);
        Assert.Equal(10m - (served.Count * RequestCost), stored);

        // The change listeners reconnected: a key revoked in the database, as another host would, stops working here.
        await Sql.ExecuteAsync(database, """UPDATE keys.api_keys SET "RevokedAt" = now() WHERE "Id" = @id""", ("id", key.Id));
        await Sql.ExecuteAsync(database, "SELECT pg_notify('llmtr_keys_changed', @id)", ("id", key.Id.ToString()));
        using var client = gateway.Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.RawKey);
        await Poll.UntilAsync(async () => (await client.GetAsync("/v1/models")).StatusCode == HttpStatusCode.Unauthorized, "the revoked key to be refused");
    }

    [Fact]
    public async Task RefuseNewRequestsWith503WhenTheUsageBufferIsFullAndCallNoProvider()
    {
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        await using var cut = new DatabaseCut(database);
        await using var upstream = await AnsweringUpstreamAsync();
        await using var gateway = await GatewayHost.StartAsync([("openai", upstream, "/v1")], Settings(capacity: 3), connectionString: cut.ConnectionString);
        var (account, key) = await gateway.FundedKeyAsync(10m);
        var chat = gateway.Chat(key.RawKey, "openai/gpt-4o");

        cut.Cut();
        for (var i = 0; i < 3; i++)
        {
            await chat.CompleteChatAsync([new UserChatMessage($"question {i}")]);
        }

        var called = upstream.Received.Count;
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("one too many")]));

        Assert.Equal(503, refused.Status);
        var error = JsonDocument.Parse(refused.GetRawResponse()!.Content.ToString()).RootElement.GetProperty("error");
        Assert.Equal(("service_unavailable", "usage_buffer_full"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
        Assert.Contains("nothing was charged", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(refused.GetRawResponse()!.Headers.TryGetValue("Retry-After", out var retryAfter) && int.Parse(retryAfter!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal(called, upstream.Received.Count);

        cut.Restore();
        await Poll.UntilAsync(async () => await Sql.CountAsync(database, "SELECT count(*) FROM billing.usage_records") == 3, "the three queued rows to be written");
        await chat.CompleteChatAsync([new UserChatMessage("room again")]);
        await Poll.UntilAsync(async () => await Sql.CountAsync(database, "SELECT count(*) FROM billing.usage_records") == 4, "the next row to be written");
        var stored = await BillingTesting.StoredBalanceAsync(database, account);
        Assert.Equal(await BillingTesting.LedgerSumAsync(database, account), stored);
        Assert.Equal(10m - (4 * RequestCost), stored);
    }

    private static Dictionary<string, string?> Settings(int? capacity = null)
    {
        var settings = new Dictionary<string, string?> { ["Billing:UsageRetryMaxDelay"] = "00:00:00.100" };
        if (capacity is { } rows)
        {
            settings["Billing:UsageQueueCapacity"] = rows.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return settings;
    }

    private static Task<FakeUpstream> AnsweringUpstreamAsync() =>
        FakeUpstream.StartAsync((_, context) => Sse.JsonAsync(context, 200, FakeOpenAi.Completion("ok", prompt: 1_000, completion: 100)));

    private static string RequestIdOf(ClientResult result) =>
        result.GetRawResponse().Headers.TryGetValue("x-request-id", out var id) ? id! : throw new InvalidOperationException("No x-request-id.");
}

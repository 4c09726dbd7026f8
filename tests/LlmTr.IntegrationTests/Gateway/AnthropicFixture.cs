using System.Globalization;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;

namespace LlmTr.IntegrationTests.Gateway;

/// <summary>
/// The gateway with the seed catalog and its Anthropic provider pointed at a fake Messages API. The seed lists no JSON
/// mode for Claude; the fixture lets the catalog say the model has it (as an admin would), so JSON mode can be tested.
/// </summary>
public sealed class AnthropicFixture : IAsyncLifetime
{
    public const string ModelId = "anthropic/claude-sonnet-4.5";

    public FakeAnthropic Anthropic { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Anthropic = await FakeAnthropic.StartAsync();
        Gateway = await GatewayHost.StartAsync([("anthropic", Anthropic.Upstream, "/")]);
    }

    /// <summary>A client of the official SDK for the Claude model, with a new funded key; and the key's owner.</summary>
    public async Task<(ChatClient Chat, string UserId)> ClientAsync()
    {
        var (userId, key) = await Gateway.FundedKeyAsync();
        return (Gateway.Chat(key.RawKey, ModelId), userId);
    }

    /// <summary>The usage Billing has written for this user's one request.</summary>
    public async Task<UsageRecord> UsageAsync(string userId)
    {
        const string Row = """
            SELECT concat_ws(',', "RequestId", "PromptTokens", "CompletionTokens", "CachedPromptTokens", "Streamed", "Cost")
            FROM billing.usage_records WHERE "AccountId" = @a
            """;
        List<string> rows = [];
        await Poll.UntilAsync(async () => (rows = await Sql.RowsAsync(Gateway.Host.ConnectionString, Row, ("a", userId))).Count > 0, "the usage to be written");
        var fields = Assert.Single(rows).Split(',');
        return new UsageRecord(
            fields[0], long.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[2], CultureInfo.InvariantCulture),
            long.Parse(fields[3], CultureInfo.InvariantCulture), fields[4] == "t", decimal.Parse(fields[5], CultureInfo.InvariantCulture));
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Anthropic.DisposeAsync();
    }
}

/// <summary>One usage row as Billing stored it.</summary>
public sealed record UsageRecord(string RequestId, long PromptTokens, long CompletionTokens, long CachedPromptTokens, bool Streamed, decimal Cost);

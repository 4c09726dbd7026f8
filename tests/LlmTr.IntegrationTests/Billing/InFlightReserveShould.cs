using System.ClientModel;
using System.Net.Http.Json;
using LlmTr.IntegrationTests.Gateway;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;
using static LlmTr.IntegrationTests.Billing.ParallelSpend;

namespace LlmTr.IntegrationTests.Billing;

/// <summary>
/// The spend bound under parallel load: each running paid request holds what it can cost at most, so 200 requests
/// held by a slow provider take a balance (or a key's limit) past its end by at most one request's maximum cost.
/// </summary>
public sealed class InFlightReserveShould
{
    // Issue 18, finding 2: a flat 0.25 reserve let 200 parallel requests drive 5.00 to -4.68 and 100 to -150.
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(100)]
    public async Task KeepTwoHundredParallelRequestsWithinOneRequestsMaximumCostOfTheBalance(int credit)
    {
        await using var setup = await SlowProviderAsync();
        var (account, key) = await setup.Gateway.FundedKeyAsync(credit);

        var statuses = await SendAtOnceAsync(setup.Gateway.Chat(key.RawKey, setup.Model), setup.Upstream, setup.Release);

        var served = statuses.Count(s => s == 200);
        Assert.Equal(ParallelRequests, served + statuses.Count(s => s == 402));
        Assert.InRange(served, Math.Max(1, (int)(credit / OneRequestMaximum)), ParallelRequests); // the holds do not refuse what the balance covers
        var balance = await BalanceAsync(setup.Gateway, account);
        Assert.Equal(credit - (served * RequestCost), balance);
        Assert.True(balance > -OneRequestMaximum, $"The balance {balance} went below zero by more than one request's maximum cost ({OneRequestMaximum}).");
        await Poll.UntilAsync(async () => await BillingTesting.StoredBalanceAsync(setup.Gateway.Host.ConnectionString, account) == balance, "the usage to be written");
        Assert.Equal(balance, await BillingTesting.LedgerSumAsync(setup.Gateway.Host.ConnectionString, account));
    }

    // Issue 18, finding 3: a key with a total limit of 1.00 and 200 parallel requests spent 250.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task KeepTwoHundredParallelRequestsWithinOneRequestsMaximumCostOfAKeysSpendLimit(bool monthly)
    {
        await using var setup = await SlowProviderAsync();
        var (account, key) = await setup.Gateway.FundedKeyAsync(100m, monthly
            ? new NewApiKey("limited monthly", MonthlySpendLimit: 1.00m)
            : new NewApiKey("limited", SpendLimit: 1.00m));

        var statuses = await SendAtOnceAsync(setup.Gateway.Chat(key.RawKey, setup.Model), setup.Upstream, setup.Release);

        var served = statuses.Count(s => s == 200);
        Assert.Equal(ParallelRequests, served + statuses.Count(s => s == 402));
        Assert.True(served >= 1);
        var spent = 100m - await BalanceAsync(setup.Gateway, account);
        Assert.Equal(served * RequestCost, spent);
        Assert.True(spent < 1.00m + OneRequestMaximum, $"The key spent {spent}, past its limit of 1.00 by more than one request's maximum cost ({OneRequestMaximum}).");
    }

    // Issue 18, finding 2: every paid path holds its maximum cost; an image request holds n × the per-image price.
    [Fact]
    public async Task KeepParallelImageRequestsWithinOneRequestsImagesOfTheBalance()
    {
        const decimal PerImage = 0.167m; // openai/gpt-image-1 in the seed catalog, for an answer that reports no tokens
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync(async (_, context) =>
        {
            await release.Task;
            var data = Enumerable.Range(0, 10).Select(_ => new { b64_json = "aW1hZ2U=" });
            await Sse.JsonAsync(context, 200, System.Text.Json.JsonSerializer.Serialize(new { created = 1, data }));
        });
        await using var gateway = await GatewayHost.StartAsync([("openai", upstream, "/v1")], new() { ["Keys:DefaultRequestsPerMinute"] = "1000" });
        var (account, key) = await gateway.FundedKeyAsync(1m);
        using var client = gateway.Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", key.RawKey);

        var requests = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
            (int)(await client.PostAsJsonAsync("/v1/images/generations", new { model = "openai/gpt-image-1", prompt = "a lighthouse", n = 10 })).StatusCode)).ToList();
        await Poll.UntilAsync(() => Task.FromResult(requests.Count(r => r.IsCompleted) + upstream.Received.Count == requests.Count),
            "every request to be refused or to reach the provider");
        release.SetResult();
        var statuses = await Task.WhenAll(requests);

        var served = statuses.Count(s => s == 200);
        Assert.Equal(50, served + statuses.Count(s => s == 402));
        var balance = await BalanceAsync(gateway, account);
        Assert.Equal(1m - (served * 10 * PerImage), balance);
        Assert.True(balance > -10 * PerImage, $"The balance {balance} went below zero by more than one request's ten images.");
    }

    private static async Task<decimal> BalanceAsync(GatewayHost gateway, string account) =>
        (await gateway.Host.Services.GetRequiredService<IBalanceQuery>().GetAsync(account)).Balance;

    /// <summary>A gateway whose OpenAI provider holds every answer until <see cref="SlowProvider.Release"/>, and a dear test model served by it.</summary>
    internal static async Task<SlowProvider> SlowProviderAsync(Dictionary<string, string?>? settings = null)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var upstream = await FakeUpstream.StartAsync(async (_, context) =>
        {
            await release.Task; // every admitted request is in flight at once
            await Sse.JsonAsync(context, 200, FakeOpenAi.Completion("ok", prompt: 200, completion: MaxOutputTokens, finish: "length"));
        });
        var all = new Dictionary<string, string?>(settings ?? []) { ["Keys:DefaultRequestsPerMinute"] = "1000" };
        var gateway = await GatewayHost.StartAsync([("openai", upstream, "/v1")], all);
        var admin = gateway.Host.Services.GetRequiredService<ICatalogAdministration>();
        var model = $"openai/test-{Guid.NewGuid():N}"[..30];
        var saved = await admin.SaveModelAsync(new ModelInput(model, "dear-model", "Dear model", "For spend tests.", "Harcama testleri için.", 128_000, MaxOutputTokens,
            ["text"], ["text"], ["chat"], [], "Active", "Public", [], null,
            [new DataPathHop("OpenAI", "US", null, "Inference", "Up to 30 days", false)]), "tests");
        Assert.True(saved.Succeeded, string.Join(" ", saved.Errors.SelectMany(e => e.Value)));
        var from = DateTimeOffset.UtcNow.AddDays(-1);
        Assert.True((await admin.SetPriceAsync(new PriceInput(model, nameof(PriceUnit.InputTokensPerMillion), InputPrice, from), "tests")).Succeeded);
        Assert.True((await admin.SetPriceAsync(new PriceInput(model, nameof(PriceUnit.OutputTokensPerMillion), OutputPrice, from), "tests")).Succeeded);
        var catalog = gateway.Host.Services.GetRequiredService<IModelCatalog>();
        await Poll.UntilAsync(() => Task.FromResult(catalog.Current.FindModel(model)?.PriceHistory.Count == 2), "the model and its prices to reach the catalog");
        return new SlowProvider(gateway, upstream, model, release);
    }

    /// <summary>
    /// Sends <see cref="ParallelRequests"/> requests at once while the provider holds every answer, so all of them are in
    /// flight together; releases the provider once each was refused or reached it, and answers their statuses.
    /// </summary>
    private static Task<int[]> SendAtOnceAsync(ChatClient chat, FakeUpstream upstream, TaskCompletionSource release) =>
        SendAtOnceAsync(_ => chat, upstream, release);

    /// <summary>As above, request <c>i</c> sent through <c>chat(i)</c> (another host, another key).</summary>
    internal static async Task<int[]> SendAtOnceAsync(Func<int, ChatClient> chat, FakeUpstream upstream, TaskCompletionSource release)
    {
        var question = "question " + new string('x', 1_000); // a body of about 1,100 bytes: an input estimate under 1,000 tokens
        var requests = Enumerable.Range(0, ParallelRequests).Select(i => Task.Run(async () =>
        {
            try
            {
                await chat(i).CompleteChatAsync([new UserChatMessage($"{question} {i}")]);
                return 200;
            }
            catch (ClientResultException e)
            {
                return e.Status;
            }
        })).ToList();
        await Poll.UntilAsync(() => Task.FromResult(requests.Count(r => r.IsCompleted) + upstream.Received.Count == requests.Count),
            "every request to be refused or to reach the provider");
        release.SetResult();
        return await Task.WhenAll(requests);
    }

    internal sealed record SlowProvider(GatewayHost Gateway, FakeUpstream Upstream, string Model, TaskCompletionSource Release) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Release.TrySetResult();
            await Gateway.DisposeAsync();
            await Upstream.DisposeAsync();
        }
    }
}

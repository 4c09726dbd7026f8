using System.ClientModel;
using LlmTr.IntegrationTests.Gateway;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;

namespace LlmTr.IntegrationTests.Billing;

public sealed class InFlightReserveShould
{
    /// <summary>The documented bound: a nearly empty account goes below zero by less than this (per host) when no request costs more.</summary>
    private const decimal Reserve = 0.25m;

    /// <summary>10,000 prompt tokens at 2.50 and 1,000 completion tokens at 10.00 per million (openai/gpt-4o in the seed catalog).</summary>
    private const decimal RequestCost = 0.035m;

    [Fact]
    public async Task LetAHundredParallelRequestsTakeANearlyEmptyAccountBelowZeroByLessThanTheReserve()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync(async (_, context) =>
        {
            await release.Task; // every admitted request is in flight at once
            await Sse.JsonAsync(context, 200, FakeOpenAi.Completion("ok", prompt: 10_000, completion: 1_000));
        });
        await using var gateway = await GatewayHost.StartAsync([("openai", upstream, "/v1")], new()
        {
            ["Billing:InFlightReserve"] = Reserve.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Keys:DefaultRequestsPerMinute"] = "1000",
        });
        var (account, key) = await gateway.FundedKeyAsync(0.01m);
        var chat = gateway.Chat(key.RawKey, "openai/gpt-4o");

        var statuses = await SendAtOnceAsync(chat, 100, upstream, release);

        Assert.Equal(1, statuses.Count(s => s == 200));
        Assert.Equal(99, statuses.Count(s => s == 402));
        var balance = (await gateway.Host.Services.GetRequiredService<IBalanceQuery>().GetAsync(account)).Balance;
        Assert.Equal(0.01m - RequestCost, balance);
        Assert.InRange(-balance, 0m, Reserve);
        await Poll.UntilAsync(async () => await BillingTesting.StoredBalanceAsync(gateway.Host.ConnectionString, account) == balance, "the usage to be written");
        Assert.Equal(balance, await BillingTesting.LedgerSumAsync(gateway.Host.ConnectionString, account));
    }

    [Fact]
    public async Task RunAsManyPaidRequestsAtOnceAsTheBalanceHoldsReservesFor()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync(async (_, context) =>
        {
            await release.Task;
            await Sse.JsonAsync(context, 200, FakeOpenAi.Completion("ok", prompt: 10_000, completion: 1_000));
        });
        await using var gateway = await GatewayHost.StartAsync([("openai", upstream, "/v1")], new()
        {
            ["Billing:InFlightReserve"] = Reserve.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Keys:DefaultRequestsPerMinute"] = "1000",
        });
        var (_, key) = await gateway.FundedKeyAsync(1.10m); // reserves for five requests: 1.10 - 4 × 0.25 > 0, 1.10 - 5 × 0.25 < 0
        var chat = gateway.Chat(key.RawKey, "openai/gpt-4o");

        var statuses = await SendAtOnceAsync(chat, 20, upstream, release);

        Assert.Equal(5, statuses.Count(s => s == 200));
        Assert.Equal(15, statuses.Count(s => s == 402));
    }

    /// <summary>
    /// Sends <paramref name="count"/> requests at once while the provider holds every answer, so all of them are in
    /// flight together; releases the provider once each was refused or reached it, and answers their statuses.
    /// </summary>
    private static async Task<int[]> SendAtOnceAsync(ChatClient chat, int count, FakeUpstream upstream, TaskCompletionSource release)
    {
        var requests = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            try
            {
                await chat.CompleteChatAsync([new UserChatMessage($"question {i}")]);
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
}

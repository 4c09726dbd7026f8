using System.ClientModel;
using LlmTr.IntegrationTests.Billing;
using LlmTr.IntegrationTests.Gateway;
using LlmTr.Identity.Organisations;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;
using static LlmTr.IntegrationTests.Billing.ParallelSpend;

namespace LlmTr.IntegrationTests.Organisations;

/// <summary>
/// A member's budget is held in flight like a key's limit: 200 paid requests in parallel through the member's keys,
/// held by a slow provider, spend at most the budget plus one request's maximum cost on one host, and the rest are
/// refused with 402 naming the budget. The organisation's balance is far larger, so only the budget can stop them.
/// </summary>
public sealed class MemberBudgetShould
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HoldTwoHundredParallelRequestsWithinOneRequestsMaximumCostOfTheBudget(bool monthly)
    {
        const decimal Budget = 3.00m;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync(async (_, context) =>
        {
            await release.Task; // every admitted request is in flight at once
            await Sse.JsonAsync(context, 200, FakeOpenAi.Completion("ok", prompt: 200, completion: MaxOutputTokens, finish: "length"));
        });
        await using var gateway = await GatewayHost.StartAsync([("openai", upstream, "/v1")], new() { ["Keys:DefaultRequestsPerMinute"] = "1000" });
        var host = gateway.Host;
        var model = await DearModelAsync(host);

        var owner = await TestAccounts.CreateUserAsync(host);
        var organisation = await OrganisationTesting.CreateOrganisationAsync(host, owner);
        var member = await OrganisationTesting.AddMemberAsync(host, organisation, owner, OrganisationRole.Member);
        await OrganisationTesting.FundAsync(host, organisation, 200m);
        var budget = monthly ? new MemberBudget(null, Budget) : new MemberBudget(Budget, null);
        Assert.Empty(await host.Services.GetRequiredService<IKeyPolicies>().SetBudgetAsync(organisation, member, budget, owner));
        var keys = new[]
        {
            await OrganisationTesting.MemberKeyAsync(host, organisation, member, new NewApiKey("first")),
            await OrganisationTesting.MemberKeyAsync(host, organisation, member, new NewApiKey("second")),
        };
        var authenticator = host.Services.GetRequiredService<IApiKeyAuthenticator>();
        await Poll.UntilAsync(() => Task.FromResult(keys.All(k => authenticator.Authenticate(k.RawKey).Identity?.MemberBudget == budget)), "the budget to reach the member's keys");
        var chats = keys.Select(k => gateway.Chat(k.RawKey, model)).ToArray();

        var question = "question " + new string('x', 1_000);
        var requests = Enumerable.Range(0, ParallelRequests).Select(i => Task.Run(async () =>
        {
            try
            {
                await chats[i % chats.Length].CompleteChatAsync([new UserChatMessage($"{question} {i}")]);
                return (Status: 200, Message: "");
            }
            catch (ClientResultException e)
            {
                return (Status: e.Status, Message: e.GetRawResponse()?.Content.ToString() ?? e.Message);
            }
        })).ToList();
        await Poll.UntilAsync(() => Task.FromResult(requests.Count(r => r.IsCompleted) + upstream.Received.Count == requests.Count),
            "every request to be refused or to reach the provider");
        release.SetResult();
        var answers = await Task.WhenAll(requests);

        var served = answers.Count(a => a.Status == 200);
        var refused = answers.Where(a => a.Status != 200).ToList();
        Assert.True(served >= (int)(Budget / OneRequestMaximum), $"Only {served} requests were served within a budget of {Budget}.");
        Assert.NotEmpty(refused);
        Assert.All(refused, a =>
        {
            Assert.Equal(402, a.Status);
            Assert.Contains("budget", a.Message, StringComparison.Ordinal);
        });

        var spendId = MemberBudget.SpendIdOf(organisation, member);
        var column = monthly ? "MonthAmount" : "Total";
        await Poll.UntilAsync(async () => await BillingTesting.DecimalAsync(host.ConnectionString,
                $"""SELECT "{column}" FROM billing.key_spend WHERE "KeyId" = @k""", ("k", spendId)) == served * RequestCost,
            "the member's spend to be written");
        var spent = await BillingTesting.DecimalAsync(host.ConnectionString, $"""SELECT "{column}" FROM billing.key_spend WHERE "KeyId" = @k""", ("k", spendId));
        Assert.True(spent <= Budget + OneRequestMaximum, $"The member spent {spent}, past the budget of {Budget} by more than one request's maximum cost ({OneRequestMaximum}).");
        Assert.Equal(spent, await BillingTesting.UsageCostAsync(host.ConnectionString, organisation));
        Assert.Equal(200m - spent, (await host.Services.GetRequiredService<IBalanceQuery>().GetAsync(organisation)).Balance);

        // Once the budget is spent, a new request is refused outright, naming the budget.
        var after = await Assert.ThrowsAsync<ClientResultException>(() => chats[0].CompleteChatAsync([new UserChatMessage("one more")]));
        Assert.Equal(402, after.Status);
        Assert.Contains("You have reached your", after.GetRawResponse()!.Content.ToString(), StringComparison.Ordinal);

        // The owner, without a budget, still spends the organisation's credit.
        var ownerKey = await OrganisationTesting.MemberKeyAsync(host, organisation, owner, new NewApiKey("owner's"));
        await gateway.Chat(ownerKey.RawKey, model).CompleteChatAsync([new UserChatMessage("the owner")]);
    }

    /// <summary>A dear model served by the fake OpenAI provider, with its prices.</summary>
    private static async Task<string> DearModelAsync(LlmTrHostFactory host)
    {
        var admin = host.Services.GetRequiredService<ICatalogAdministration>();
        var model = $"openai/test-{Guid.NewGuid():N}"[..30];
        var saved = await admin.SaveModelAsync(new ModelInput(model, "dear-model", "Dear model", "For budget tests.", "Bütçe testleri için.", 128_000, MaxOutputTokens,
            ["text"], ["text"], ["chat"], [], "Active", "Public", [], null,
            [new DataPathHop("OpenAI", "US", null, "Inference", "Up to 30 days", false)]), "tests");
        Assert.True(saved.Succeeded, string.Join(" ", saved.Errors.SelectMany(e => e.Value)));
        var from = DateTimeOffset.UtcNow.AddDays(-1);
        Assert.True((await admin.SetPriceAsync(new PriceInput(model, nameof(PriceUnit.InputTokensPerMillion), InputPrice, from), "tests")).Succeeded);
        Assert.True((await admin.SetPriceAsync(new PriceInput(model, nameof(PriceUnit.OutputTokensPerMillion), OutputPrice, from), "tests")).Succeeded);
        var catalog = host.Services.GetRequiredService<IModelCatalog>();
        await Poll.UntilAsync(() => Task.FromResult(catalog.Current.FindModel(model)?.PriceHistory.Count == 2), "the model and its prices to reach the catalog");
        return model;
    }
}

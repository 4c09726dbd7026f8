using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Gateway.Contracts;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Gateway;

public sealed class PlaygroundChatShould(OpenAiGatewayFixture fixture) : IClassFixture<OpenAiGatewayFixture>
{
    private GatewayHost Gateway => fixture.Gateway;

    private IPlaygroundChat Playground => Gateway.Host.Services.GetRequiredService<IPlaygroundChat>();

    [Fact]
    public async Task StreamTheDemoModelsAnswerAndRecordItInTheRequestLogUnderThePlayground()
    {
        var userId = await TestAccounts.CreateUserAsync(Gateway.Host);

        var events = await CollectAsync(userId, new PlaygroundRequest("llmtr/demo", [new PlaygroundMessage("user", "Merhaba")], 0.5, 100));

        var text = string.Concat(events.OfType<PlaygroundDelta>().Select(d => d.Text));
        Assert.Contains("You said: \"Merhaba\"", text, StringComparison.Ordinal);
        Assert.True(events.OfType<PlaygroundDelta>().Count() > 1, "the answer arrives in pieces");
        var finished = Assert.IsType<PlaygroundFinished>(events[^1]);
        Assert.StartsWith("req_", finished.RequestId, StringComparison.Ordinal);
        Assert.True(finished.CompletionTokens > 0);
        Assert.Equal("stop", finished.FinishReason);

        var usage = Gateway.Host.Services.GetRequiredService<IUsageHistory>();
        UsageRow? row = null;
        await Poll.UntilAsync(async () => (row = await usage.FindAsync(userId, finished.RequestId)) is not null, "the playground request in the log");
        Assert.Equal((PlaygroundKey.For(userId), "llmtr/demo", 200, UsageOutcome.Succeeded), (row!.KeyId, row.ModelId, row.HttpStatus, row.Outcome));
        Assert.Equal(finished.CompletionTokens, row.CompletionTokens);
        Assert.Null(await usage.FindAsync("someone-else", finished.RequestId));
    }

    [Fact]
    public async Task BillAPaidModelThroughTheProviderLikeAnApiCall()
    {
        fixture.Upstream.Respond = (_, context) => FakeOpenAi.StreamAsync(context, ["Mer", "haba"], prompt: 1_000_000, completion: 100_000);
        var (userId, _) = await Gateway.FundedKeyAsync();

        var events = await CollectAsync(userId, new PlaygroundRequest("openai/gpt-4o", [new PlaygroundMessage("user", "Selam")], MaxTokens: 50));

        Assert.Equal("Merhaba", string.Concat(events.OfType<PlaygroundDelta>().Select(d => d.Text)));
        var finished = Assert.IsType<PlaygroundFinished>(events[^1]);
        Assert.Equal((1_000_000, 100_000), (finished.PromptTokens, finished.CompletionTokens));
        Assert.Equal(2.5m + 1.0m, finished.Cost); // 2.50 and 10.00 per million tokens
        Assert.Equal(50, fixture.Upstream.Last.Json.GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public async Task RefuseAPaidModelWithoutCreditAndAnInvalidTemperatureAsTheApiWould()
    {
        var userId = await TestAccounts.CreateUserAsync(Gateway.Host);

        var broke = Assert.IsType<PlaygroundFailed>(Assert.Single(await CollectAsync(userId, new PlaygroundRequest("openai/gpt-4o", [new PlaygroundMessage("user", "Selam")]))));
        var invalid = Assert.IsType<PlaygroundFailed>(Assert.Single(await CollectAsync(userId, new PlaygroundRequest("llmtr/demo", [new PlaygroundMessage("user", "Selam")], Temperature: 7))));

        Assert.Equal((402, "insufficient_credits"), (broke.Status, broke.Code));
        Assert.Equal(400, invalid.Status);
        Assert.Contains("temperature", invalid.Message, StringComparison.Ordinal);
    }

    private async Task<List<PlaygroundEvent>> CollectAsync(string userId, PlaygroundRequest request)
    {
        var events = new List<PlaygroundEvent>();
        await foreach (var item in Playground.StreamAsync(userId, userId, request))
        {
            events.Add(item);
        }

        return events;
    }
}

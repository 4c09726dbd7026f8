namespace LlmTr.IntegrationTests.Clients;

/// <summary>
/// LangChain's <c>ChatOpenAI</c> (<c>@langchain/openai</c>, tests/clients/langchain.mjs) against the gateway:
/// <c>invoke</c> and <c>stream</c> over chat completions and over the Responses API (<c>useResponsesApi</c>); every body
/// and event validated against OpenAI's OpenAPI document.
/// </summary>
public sealed class LangChainShould(ClientsFixture fixture) : IClassFixture<ClientsFixture>
{
    [Theory]
    [InlineData(ClientsFixture.Demo)]
    [InlineData(ClientsFixture.Gpt)]
    [InlineData(ClientsFixture.Compatible)]
    public async Task InvokeAndStreamOverChatCompletionsAndTheResponsesApi(string model)
    {
        var run = await fixture.RunAsync("langchain.mjs", model);

        var expected = new Dictionary<string, string>
        {
            ["chatInvoke"] = "Say hello to LangChain over chat completions.",
            ["chatStream"] = "Stream a hello to LangChain over chat completions.",
            ["responsesInvoke"] = "Say hello to LangChain over the Responses API.",
            ["responsesStream"] = "Stream a hello to LangChain over the Responses API.",
        };
        foreach (var (scenario, prompt) in expected)
        {
            var text = run.Text(scenario, "text");
            if (model == ClientsFixture.Demo)
            {
                Assert.StartsWith(ClientsFixture.DemoGreeting, text, StringComparison.Ordinal);
                Assert.Contains($"You said: \"{prompt}\"", text, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(ClientsFixture.OpenAiHeard + prompt, text);
            }
        }

        Assert.Equal(1, run.Validated("CreateChatCompletionResponse"));
        Assert.True(run.Validated("CreateChatCompletionStreamResponse") > 2, run.ToString());
        Assert.Equal(1, run.Validated("Response"));
        Assert.Equal(1, run.Validated("ResponseCompletedEvent"));
    }
}

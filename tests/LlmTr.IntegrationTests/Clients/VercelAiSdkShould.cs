namespace LlmTr.IntegrationTests.Clients;

/// <summary>
/// The Vercel AI SDK (<c>ai</c> with <c>@ai-sdk/openai</c>, tests/clients/vercel-ai.mjs) against the gateway:
/// <c>generateText</c> and <c>streamText</c> with its default OpenAI model, which speaks the Responses API, and with its
/// chat model, which speaks chat completions; every body and event validated against OpenAI's OpenAPI document.
/// </summary>
public sealed class VercelAiSdkShould(ClientsFixture fixture) : IClassFixture<ClientsFixture>
{
    [Theory]
    [InlineData(ClientsFixture.Demo)]
    [InlineData(ClientsFixture.Gpt)]
    [InlineData(ClientsFixture.Compatible)]
    public async Task GenerateAndStreamTextOverTheResponsesApiAndChatCompletions(string model)
    {
        var run = await fixture.RunAsync("vercel-ai.mjs", model);

        var expected = new Dictionary<string, string>
        {
            ["responsesGenerate"] = "Say hello to the AI SDK through the Responses API.",
            ["responsesStream"] = "Stream a hello to the AI SDK through the Responses API.",
            ["chatGenerate"] = "Say hello to the AI SDK through chat completions.",
            ["chatStream"] = "Stream a hello to the AI SDK through chat completions.",
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

        // Each path was taken: the default model over /v1/responses, the chat model over /v1/chat/completions.
        Assert.Equal(1, run.Validated("Response"));
        Assert.Equal(1, run.Validated("ResponseCompletedEvent"));
        Assert.Equal(1, run.Validated("CreateChatCompletionResponse"));
        Assert.True(run.Validated("CreateChatCompletionStreamResponse") > 2, run.ToString());
    }
}

namespace LlmTr.IntegrationTests.Clients;

/// <summary>
/// The official OpenAI JS SDK (<c>openai</c>, tests/clients/openai-sdk.mjs) against the gateway: chat completions whole
/// and streamed, the Responses API whole and streamed, the model list, and its error classes; every body and event it
/// gets validated against OpenAI's OpenAPI document.
/// </summary>
public sealed class OpenAiJsSdkShould(ClientsFixture fixture) : IClassFixture<ClientsFixture>
{
    [Fact]
    public async Task SpeakEveryEndpointWithTheDemoModel()
    {
        var run = await fixture.RunAsync("openai-sdk.mjs", ClientsFixture.Demo);

        Assert.StartsWith(ClientsFixture.DemoGreeting, run.Text("chat", "text"), StringComparison.Ordinal);
        Assert.Contains("Say hello to the OpenAI SDK.", run.Text("chat", "text"), StringComparison.Ordinal);
        Assert.Contains("Stream a hello to the OpenAI SDK.", run.Text("chatStream", "text"), StringComparison.Ordinal);
        Assert.Contains("Say hello to the Responses API.", run.Text("responses", "text"), StringComparison.Ordinal);
        Assert.Contains("Stream a hello through the Responses API.", run.Text("responsesStream", "text"), StringComparison.Ordinal);
        AssertErrors(run);
        AssertValidated(run);
    }

    [Theory]
    [InlineData(ClientsFixture.Gpt)] // the Responses API relayed to the provider's own
    [InlineData(ClientsFixture.Compatible)] // the Responses API translated to chat completions
    public async Task SpeakEveryEndpointWithAnOpenAiCompatibleUpstream(string model)
    {
        var run = await fixture.RunAsync("openai-sdk.mjs", model, new Dictionary<string, string> { ["LLMTR_FAILING_PROMPT"] = ClientsFixture.FailMidStream });

        Assert.Equal(ClientsFixture.OpenAiHeard + "Say hello to the OpenAI SDK.", run.Text("chat", "text"));
        Assert.Equal(ClientsFixture.OpenAiHeard + "Stream a hello to the OpenAI SDK.", run.Text("chatStream", "text"));
        Assert.Equal(ClientsFixture.OpenAiHeard + "Say hello to the Responses API.", run.Text("responses", "text"));
        Assert.Equal(ClientsFixture.OpenAiHeard + "Stream a hello through the Responses API.", run.Text("responsesStream", "text"));
        AssertErrors(run);

        // Streams the upstream breaks off: chat ends with an error the SDK throws, Responses with error and response.failed.
        Assert.Contains(ClientsFixture.UpstreamFailure, run.Text("chatStreamFailure", "message"), StringComparison.Ordinal);
        Assert.Contains(ClientsFixture.UpstreamFailure, run.Text("responsesStreamFailure", "failedMessage"), StringComparison.Ordinal);
        AssertValidated(run, streamErrors: 1);
        Assert.True(run.Validated("ResponseErrorEvent") == 1 && run.Validated("ResponseFailedEvent") == 1, run.ToString());
    }

    private static void AssertErrors(ScriptRun run)
    {
        Assert.Equal(("AuthenticationError", "invalid_api_key"), (run.Text("badKey", "class"), run.Text("badKey", "code")));
        // LLMTR answers an unknown model with 400 model_not_found (documented); OpenAI itself answers 404.
        Assert.Equal(("BadRequestError", "model_not_found"), (run.Text("unknownModel", "class"), run.Text("unknownModel", "code")));
        Assert.Equal("BadRequestError", run.Text("invalidBody", "class"));
        Assert.Equal("BadRequestError", run.Text("invalidResponsesBody", "class"));
    }

    private static void AssertValidated(ScriptRun run, int streamErrors = 0)
    {
        Assert.Equal(1, run.Validated("CreateChatCompletionResponse"));
        Assert.True(run.Validated("CreateChatCompletionStreamResponse") > 2, run.ToString());
        Assert.Equal(1, run.Validated("Response"));
        Assert.True(run.Validated("ResponseCompletedEvent") == 1 && run.Validated("ResponseTextDeltaEvent") > 1, run.ToString());
        Assert.Equal(1, run.Validated("ListModelsResponse"));
        Assert.Equal(1, run.Validated("Model"));
        Assert.Equal(4 + streamErrors, run.Validated("ErrorResponse"));
    }
}

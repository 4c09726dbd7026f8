namespace LlmTr.IntegrationTests.Clients;

/// <summary>
/// The official Anthropic JS SDK (<c>@anthropic-ai/sdk</c>, tests/clients/anthropic-sdk.mjs) against the gateway's
/// Messages API: a whole message, a streamed one, and its error classes; every body and event it gets validated against
/// the Messages API's shapes. With the demo model, an OpenAI-compatible upstream (translated) and an Anthropic one.
/// </summary>
public sealed class AnthropicJsSdkShould(ClientsFixture fixture) : IClassFixture<ClientsFixture>
{
    [Theory]
    [InlineData(ClientsFixture.Demo)]
    [InlineData(ClientsFixture.Gpt)]
    [InlineData(ClientsFixture.Claude)]
    public async Task CreateAndStreamAMessage(string model)
    {
        var run = await fixture.RunAsync("anthropic-sdk.mjs", model);

        var (create, stream) = (run.Text("create", "text"), run.Text("stream", "text"));
        switch (model)
        {
            case ClientsFixture.Demo:
                Assert.StartsWith(ClientsFixture.DemoGreeting, create, StringComparison.Ordinal);
                Assert.Contains("You said: \"Say hello to the Anthropic SDK.\"", create, StringComparison.Ordinal);
                Assert.Contains("You said: \"Stream a hello to the Anthropic SDK.\"", stream, StringComparison.Ordinal);
                break;
            case ClientsFixture.Gpt:
                Assert.Equal(ClientsFixture.OpenAiHeard + "Say hello to the Anthropic SDK.", create);
                Assert.Equal(ClientsFixture.OpenAiHeard + "Stream a hello to the Anthropic SDK.", stream);
                break;
            default:
                Assert.Equal(ClientsFixture.AnthropicHeard + "Say hello to the Anthropic SDK.", create);
                Assert.Equal(ClientsFixture.AnthropicHeard + "Stream a hello to the Anthropic SDK.", stream);
                break;
        }

        Assert.Equal("end_turn", run.Text("create", "stop_reason"));
        Assert.Equal("end_turn", run.Text("stream", "stop_reason"));
        Assert.Equal(("AuthenticationError", "authentication_error"), (run.Text("badKey", "class"), run.Text("badKey", "type")));

        // LLMTR answers an unknown model with 400 (documented); Anthropic itself answers 404 not_found_error.
        Assert.Equal(("BadRequestError", "invalid_request_error"), (run.Text("unknownModel", "class"), run.Text("unknownModel", "type")));
        Assert.Equal(1, run.Validated("AnthropicMessage"));
        Assert.True(run.Validated("AnthropicStreamEvent") > 5, run.ToString());
        Assert.Equal(2, run.Validated("AnthropicError"));
    }
}

namespace LlmTr.IntegrationTests.Clients;

/// <summary>
/// The OpenAI Agents SDK (<c>@openai/agents</c>, tests/clients/openai-agents.mjs) against the gateway: one agent turn
/// with a function tool (the model calls it, the SDK runs it and sends its output back, the model answers), over the
/// Responses API (the SDK's default) and over chat completions, each whole and streamed; every body and event validated
/// against OpenAI's OpenAPI document.
/// </summary>
public sealed class OpenAiAgentsSdkShould(ClientsFixture fixture) : IClassFixture<ClientsFixture>
{
    private static readonly string[] Scenarios = ["responses", "responsesStream", "chatCompletions", "chatCompletionsStream"];

    [Theory]
    [InlineData(ClientsFixture.Gpt)] // the Responses API relayed to the provider's own
    [InlineData(ClientsFixture.Compatible)] // the Responses API translated to chat completions
    public async Task RunAToolCallingTurnWithAnOpenAiCompatibleUpstream(string model)
    {
        // The fake upstream calls the first tool offered with {"city":"Paris"}, then answers with the tool's output.
        var run = await fixture.RunAsync("openai-agents.mjs", model);

        AssertTurns(run, ClientsFixture.ToolSaid + "Sunny and 24°C in Paris");

        // The Responses runs went through /v1/responses (relayed, or translated to chat completions for the upstream), the
        // others through /v1/chat/completions, and the tool's output reached the upstream.
        Assert.Equal(2, run.Validated("Response"));
        Assert.Equal(2, run.Validated("ResponseCompletedEvent"));
        Assert.True(run.Validated("ResponseFunctionCallArgumentsDeltaEvent") > 0, run.ToString());
        Assert.Equal(2, run.Validated("CreateChatCompletionResponse"));
        Assert.True(run.Validated("CreateChatCompletionStreamResponse") > 2, run.ToString());
    }

    [Fact]
    public async Task RunAToolCallingTurnWithTheDemoModel()
    {
        // The prompt names get_weather, which is what makes the demo model call it.
        var run = await fixture.RunAsync("openai-agents.mjs", ClientsFixture.Demo);

        foreach (var scenario in Scenarios)
        {
            var turn = run.Scenario(scenario);
            Assert.Equal(1, turn.GetProperty("toolCalls").GetArrayLength());
            Assert.Equal(["tool_call_item", "tool_call_output_item", "message_output_item"], turn.GetProperty("items").EnumerateArray().Select(i => i.GetString()));
        }
    }

    private static void AssertTurns(ScriptRun run, string finalOutput)
    {
        foreach (var scenario in Scenarios)
        {
            var turn = run.Scenario(scenario);
            Assert.Equal("Paris", Assert.Single(turn.GetProperty("toolCalls").EnumerateArray()).GetProperty("city").GetString());
            Assert.Equal(["tool_call_item", "tool_call_output_item", "message_output_item"], turn.GetProperty("items").EnumerateArray().Select(i => i.GetString()));
            Assert.Equal(finalOutput, turn.GetProperty("finalOutput").GetString());
            Assert.Equal(2, turn.GetProperty("requests").GetInt32());
        }
    }
}

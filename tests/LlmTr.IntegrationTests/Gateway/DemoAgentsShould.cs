using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OpenAI.Chat;

namespace LlmTr.IntegrationTests.Gateway;

/// <summary>
/// The built-in demo model as agents use it, through all three APIs: a tool call and the answer to its result,
/// structured output, n, stop and its context length, streamed and not.
/// </summary>
public sealed class DemoAgentsShould(OpenAiGatewayFixture fixture) : IClassFixture<OpenAiGatewayFixture>
{
    private const string Demo = "llmtr/demo";
    private const string WeatherSchema = """{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer","minimum":1}},"required":["city","days"]}""";

    private GatewayHost Gateway => fixture.Gateway;

    [Fact]
    public async Task CallTheNamedToolAndAnswerItsResultThroughChatCompletionsStreamedOrNot()
    {
        var (_, key) = await Gateway.FundedKeyAsync();
        var chat = Gateway.Chat(key.RawKey, Demo);
        var options = new ChatCompletionOptions { Tools = { ChatTool.CreateFunctionTool("get_weather", "The weather.", BinaryData.FromString(WeatherSchema)) } };
        List<ChatMessage> messages = [new UserChatMessage("get_weather Ankara")];

        var whole = (await chat.CompleteChatAsync(messages, options)).Value;
        var arguments = new StringBuilder();
        string? streamedName = null;
        ChatFinishReason? streamedFinish = null;
        await foreach (var update in chat.CompleteChatStreamingAsync(messages, options))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                streamedName ??= call.FunctionName;
                arguments.Append(call.FunctionArgumentsUpdate?.ToString());
            }

            streamedFinish ??= update.FinishReason;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, whole.FinishReason);
        var toolCall = Assert.Single(whole.ToolCalls);
        Assert.Equal("get_weather", toolCall.FunctionName);
        Assert.Equal("""{"city":"Ankara","days":1}""", toolCall.FunctionArguments.ToString());
        Assert.Equal(("get_weather", ChatFinishReason.ToolCalls, toolCall.FunctionArguments.ToString()), (streamedName, streamedFinish, arguments.ToString()));

        messages.Add(new AssistantChatMessage(whole.ToolCalls));
        messages.Add(new ToolChatMessage(toolCall.Id, "22 degrees and sunny"));
        var answer = (await chat.CompleteChatAsync(messages, options)).Value;
        Assert.Equal(ChatFinishReason.Stop, answer.FinishReason);
        Assert.Contains("\"22 degrees and sunny\"", answer.Content[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnswerAnInstanceOfTheRequestedSchema()
    {
        var (_, key) = await Gateway.FundedKeyAsync();
        var options = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("forecast", BinaryData.FromString(WeatherSchema), jsonSchemaIsStrict: true),
        };

        var completion = (await Gateway.Chat(key.RawKey, Demo).CompleteChatAsync([new UserChatMessage("Izmir")], options)).Value;

        using var json = JsonDocument.Parse(completion.Content[0].Text);
        Assert.Equal(("Izmir", 1), (json.RootElement.GetProperty("city").GetString(), json.RootElement.GetProperty("days").GetInt32()));
    }

    [Fact]
    public async Task GiveNChoicesCutAtTheStopSequence()
    {
        var (_, key) = await Gateway.FundedKeyAsync();

        using var response = await PostAsync(key.RawKey, "/v1/chat/completions", """{"model":"llmtr/demo","n":2,"stop":"built-in","messages":[{"role":"user","content":"hi"}]}""");

        var body = await JsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var choices = body.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal([0, 1], choices.Select(c => c.GetProperty("index").GetInt32()));
        Assert.All(choices, c => Assert.Equal(("Hello from LLMTR's ", "stop"), (c.GetProperty("message").GetProperty("content").GetString(), c.GetProperty("finish_reason").GetString())));
        Assert.Equal(6, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task RefuseAPromptBeyondItsContextLengthInEachApisFormat()
    {
        var (_, key) = await Gateway.FundedKeyAsync();
        var context = Gateway.Catalog.FindModel(Demo)!.ContextLength;

        using var chat = await PostAsync(key.RawKey, "/v1/chat/completions", $$"""{"model":"llmtr/demo","max_tokens":{{context}},"messages":[{"role":"user","content":"hi"}]}""");
        using var messages = await PostAsync(key.RawKey, "/v1/messages", $$"""{"model":"llmtr/demo","max_tokens":{{context}},"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (chat.StatusCode, messages.StatusCode));
        var error = (await JsonAsync(chat)).GetProperty("error");
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.Contains($"4 prompt tokens plus the {context} output tokens of max_tokens", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("invalid_request_error", (await JsonAsync(messages)).GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task RoundTripAFunctionCallThroughTheResponsesApi()
    {
        var (_, key) = await Gateway.FundedKeyAsync();
        const string tools = """[{"type":"function","name":"get_weather","parameters":""" + WeatherSchema + "}]";

        using var first = await PostAsync(key.RawKey, "/v1/responses", $$"""{"model":"llmtr/demo","tools":{{tools}},"input":"get_weather Bursa"}""");
        var call = Assert.Single((await JsonAsync(first)).GetProperty("output").EnumerateArray());
        Assert.Equal(("function_call", "get_weather", """{"city":"Bursa","days":1}"""),
            (call.GetProperty("type").GetString(), call.GetProperty("name").GetString(), call.GetProperty("arguments").GetString()));
        var callId = call.GetProperty("call_id").GetString();

        using var streamed = await PostAsync(key.RawKey, "/v1/responses", $$"""{"model":"llmtr/demo","stream":true,"tools":{{tools}},"input":"get_weather Bursa"}""");
        var events = await streamed.Content.ReadAsStringAsync();
        Assert.Contains("response.function_call_arguments.delta", events, StringComparison.Ordinal);
        Assert.Contains("response.function_call_arguments.done", events, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"get_weather\"", events, StringComparison.Ordinal);

        using var second = await PostAsync(key.RawKey, "/v1/responses", $$"""
            {"model":"llmtr/demo","tools":{{tools}},"input":[
              {"role":"user","content":"get_weather Bursa"},
              {"type":"function_call","call_id":"{{callId}}","name":"get_weather","arguments":"{}"},
              {"type":"function_call_output","call_id":"{{callId}}","output":"18 degrees"}]}
            """);
        var message = Assert.Single((await JsonAsync(second)).GetProperty("output").EnumerateArray());
        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.Contains("\"18 degrees\"", message.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RoundTripAToolUseThroughTheMessagesApi()
    {
        var (_, key) = await Gateway.FundedKeyAsync();
        const string tools = """[{"name":"get_weather","description":"The weather.","input_schema":""" + WeatherSchema + "}]";

        using var first = await PostAsync(key.RawKey, "/v1/messages", $$"""{"model":"llmtr/demo","max_tokens":100,"tools":{{tools}},"messages":[{"role":"user","content":"get_weather Trabzon"}]}""");
        var body = await JsonAsync(first);
        Assert.Equal("tool_use", body.GetProperty("stop_reason").GetString());
        var use = Assert.Single(body.GetProperty("content").EnumerateArray());
        Assert.Equal(("tool_use", "get_weather", "Trabzon", 1),
            (use.GetProperty("type").GetString(), use.GetProperty("name").GetString(), use.GetProperty("input").GetProperty("city").GetString(), use.GetProperty("input").GetProperty("days").GetInt32()));

        using var streamed = await PostAsync(key.RawKey, "/v1/messages", $$"""{"model":"llmtr/demo","max_tokens":100,"stream":true,"tools":{{tools}},"messages":[{"role":"user","content":"get_weather Trabzon"}]}""");
        var events = await streamed.Content.ReadAsStringAsync();
        Assert.Contains("input_json_delta", events, StringComparison.Ordinal);
        Assert.Contains("\"stop_reason\":\"tool_use\"", events, StringComparison.Ordinal);

        using var second = await PostAsync(key.RawKey, "/v1/messages", $$"""
            {"model":"llmtr/demo","max_tokens":100,"tools":{{tools}},"messages":[
              {"role":"user","content":"get_weather Trabzon"},
              {"role":"assistant","content":[{"type":"tool_use","id":"{{use.GetProperty("id").GetString()}}","name":"get_weather","input":{"city":"Trabzon","days":1} }]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"{{use.GetProperty("id").GetString()}}","content":"rainy"}]}]}
            """);
        var answer = await JsonAsync(second);
        Assert.Equal("end_turn", answer.GetProperty("stop_reason").GetString());
        Assert.Contains("\"rainy\"", answer.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> PostAsync(string rawKey, string path, string json)
    {
        using var client = Gateway.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", rawKey);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new Xunit.Sdk.XunitException($"Not JSON (HTTP {(int)response.StatusCode}): {text}");
        }
    }
}

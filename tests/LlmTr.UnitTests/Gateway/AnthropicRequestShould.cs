using System.Text.Json;
using static LlmTr.UnitTests.Gateway.AnthropicTesting;

namespace LlmTr.UnitTests.Gateway;

/// <summary>What goes up to Anthropic's Messages API for a chat completion request.</summary>
public sealed class AnthropicRequestShould
{
    [Fact]
    public void GoToTheMessagesPathWithTheCredentialAndApiVersion()
    {
        var call = Call(Hello());
        using var request = Protocol.CreateRequest(call);

        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://api.anthropic.com/v1/messages", request.RequestUri!.AbsoluteUri);
        Assert.Equal(ApiKey, request.Headers.GetValues("x-api-key").Single());
        Assert.Equal("2023-06-01", request.Headers.GetValues("anthropic-version").Single());
        Assert.Null(request.Headers.Authorization);
        Assert.Equal("application/json", request.Content!.Headers.ContentType!.MediaType);
        call.Request.Dispose();
    }

    [Fact]
    public void AddNoSecondVersionToABaseUrlThatHasOne()
    {
        var call = Call(Hello(), baseUrl: "https://anthropic-proxy.example/v1");
        using var request = Protocol.CreateRequest(call);

        Assert.Equal("https://anthropic-proxy.example/v1/messages", request.RequestUri!.AbsoluteUri);
        call.Request.Dispose();
    }

    [Fact]
    public void NameTheUpstreamModelAndCarryTheStreamFlag()
    {
        var body = UpstreamBody(Hello("\"stream\":true,\"stream_options\":{\"include_usage\":true}"));

        Assert.Equal("claude-sonnet-4-5", body.Text("model"));
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.False(body.Has("stream_options"));
        Assert.False(UpstreamBody(Hello()).Has("stream"));
    }

    [Fact]
    public void JoinSystemAndDeveloperMessagesIntoTheSystemPrompt()
    {
        var body = UpstreamBody(Request("""
            [{"role":"system","content":"You are terse."},
             {"role":"user","content":"Hi"},
             {"role":"developer","content":[{"type":"text","text":"Answer in Turkish."},{"type":"text","text":"Never apologise."}]}]
            """));

        var system = body.GetProperty("system").EnumerateArray().Select(b => (b.Text("type"), b.Text("text"))).ToList();
        Assert.Equal([("text", "You are terse."), ("text", "Answer in Turkish."), ("text", "Never apologise.")], system);
        var turn = Assert.Single(body.GetProperty("messages").EnumerateArray());
        Assert.Equal("user", turn.Text("role"));
        Assert.Equal("Hi", turn.Text("content.0.text"));
    }

    [Fact]
    public void SendNoSystemPromptWhenThereIsNone()
    {
        Assert.False(UpstreamBody(Hello()).Has("system"));
    }

    [Fact]
    public void MergeConsecutiveMessagesOfOneRoleIntoAlternatingTurns()
    {
        var body = UpstreamBody(Request("""
            [{"role":"user","content":"one"},{"role":"user","content":[{"type":"text","text":"two"}]},
             {"role":"assistant","content":"three"},{"role":"assistant","content":"four"},
             {"role":"user","content":"five"}]
            """));

        var turns = body.GetProperty("messages").EnumerateArray()
            .Select(t => (t.Text("role"), string.Join(",", t.GetProperty("content").EnumerateArray().Select(b => b.Text("text")))))
            .ToList();
        Assert.Equal([("user", "one,two"), ("assistant", "three,four"), ("user", "five")], turns);
    }

    [Fact]
    public void LeaveOutMessagesThatWouldMakeEmptyBlocks()
    {
        var body = UpstreamBody(Request("""
            [{"role":"user","content":"one"},{"role":"assistant","content":""},{"role":"user","content":[{"type":"text","text":""},{"type":"text","text":"two"}]}]
            """));

        var turn = Assert.Single(body.GetProperty("messages").EnumerateArray());
        Assert.Equal(["one", "two"], turn.GetProperty("content").EnumerateArray().Select(b => b.Text("text")));
    }

    [Fact]
    public void SendDataUrlImagesAsBase64AndWebImagesByUrl()
    {
        var body = UpstreamBody(Request("""
            [{"role":"user","content":[
              {"type":"text","text":"Compare these."},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo+/w=="}},
              {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg","detail":"high"}}]}]
            """));

        var blocks = body.At("messages.0.content");
        Assert.Equal("image", blocks.Text("1.type"));
        Assert.Equal("base64", blocks.Text("1.source.type"));
        Assert.Equal("image/png", blocks.Text("1.source.media_type"));
        Assert.Equal("iVBORw0KGgo+/w==", blocks.Text("1.source.data"));
        Assert.Equal("image", blocks.Text("2.type"));
        Assert.Equal("url", blocks.Text("2.source.type"));
        Assert.Equal("https://example.com/cat.jpg", blocks.Text("2.source.url"));
    }

    [Fact]
    public void SendPdfFilesAsDocumentsTitledWithTheirFileName()
    {
        var body = UpstreamBody(Request("""
            [{"role":"user","content":[
              {"type":"file","file":{"filename":"report.pdf","file_data":"data:application/pdf;base64,JVBERi0xLjQK"}},
              {"type":"file","file":{"filename":"notes.txt","file_data":"data:text/plain;base64,U2VsYW0gZMO8bnlh"}},
              {"type":"text","text":"Summarise."}]}]
            """));

        var blocks = body.At("messages.0.content");
        Assert.Equal("document", blocks.Text("0.type"));
        Assert.Equal("base64", blocks.Text("0.source.type"));
        Assert.Equal("application/pdf", blocks.Text("0.source.media_type"));
        Assert.Equal("JVBERi0xLjQK", blocks.Text("0.source.data"));
        Assert.Equal("report.pdf", blocks.Text("0.title"));
        Assert.Equal("text", blocks.Text("1.source.type"));
        Assert.Equal("Selam dünya", blocks.Text("1.source.data"));
        Assert.Equal("Summarise.", blocks.Text("2.text"));
    }

    [Fact]
    public void KeepAPartsCacheControl()
    {
        var body = UpstreamBody(Request("""
            [{"role":"system","content":[{"type":"text","text":"A long manual.","cache_control":{"type":"ephemeral"}}]},{"role":"user","content":"Q?"}]
            """));

        Assert.Equal("ephemeral", body.Text("system.0.cache_control.type"));
    }

    [Fact]
    public void TranslateFunctionToolsAndPassTheProvidersOwnToolsAsSent()
    {
        var body = UpstreamBody(Hello("""
            "tools":[
              {"type":"function","function":{"name":"get_weather","description":"Weather for a city.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},
              {"type":"function","function":{"name":"get_time"}},
              {"type":"web_search_20250305","name":"web_search","max_uses":3}]
            """));

        var tools = body.GetProperty("tools");
        Assert.Equal("get_weather", tools.Text("0.name"));
        Assert.Equal("Weather for a city.", tools.Text("0.description"));
        Assert.Equal("string", tools.Text("0.input_schema.properties.city.type"));
        Assert.Equal("city", tools.Text("0.input_schema.required.0"));
        Assert.Equal("get_time", tools.Text("1.name"));
        Assert.Equal("object", tools.Text("1.input_schema.type"));
        Assert.Equal("""{"type":"web_search_20250305","name":"web_search","max_uses":3}""", tools[2].GetRawText());
        Assert.False(body.Has("tool_choice"));
    }

    [Theory]
    [InlineData("\"auto\"", """{"type":"auto"}""")]
    [InlineData("\"required\"", """{"type":"any"}""")]
    [InlineData("\"none\"", """{"type":"none"}""")]
    [InlineData("""{"type":"function","function":{"name":"get_weather"}}""", """{"type":"tool","name":"get_weather"}""")]
    public void MapToolChoice(string openAi, string anthropic)
    {
        var body = UpstreamBody(Hello($$$$"""
            "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}],"tool_choice":{{{{openAi}}}}
            """));

        Assert.Equal(anthropic, body.GetProperty("tool_choice").GetRawText());
    }

    [Theory]
    [InlineData("", """{"type":"auto","disable_parallel_tool_use":true}""")]
    [InlineData(",\"tool_choice\":\"required\"", """{"type":"any","disable_parallel_tool_use":true}""")]
    [InlineData(",\"tool_choice\":\"none\"", """{"type":"none"}""")]
    public void DisableParallelToolUseWhenParallelToolCallsIsFalse(string choice, string anthropic)
    {
        var body = UpstreamBody(Hello($$$"""
            "tools":[{"type":"function","function":{"name":"get_weather"}}],"parallel_tool_calls":false{{{choice}}}
            """));

        Assert.Equal(anthropic, body.GetProperty("tool_choice").GetRawText());
    }

    [Fact]
    public void TurnToolCallsIntoToolUseAndToolMessagesIntoToolResultsOfAUserTurn()
    {
        var body = UpstreamBody(Request("""
            [{"role":"user","content":"Weather in Paris and Rome?"},
             {"role":"assistant","content":"Let me check.","tool_calls":[
               {"id":"toolu_01A","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
               {"id":"toolu_01B","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},
             {"role":"tool","tool_call_id":"toolu_01A","content":"18°C, sunny"},
             {"role":"tool","tool_call_id":"toolu_01B","content":[{"type":"text","text":"24°C"}]},
             {"role":"user","content":"Which is warmer?"}]
            """, "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}]"));

        var turns = body.GetProperty("messages");
        Assert.Equal(3, turns.GetArrayLength());
        var assistant = turns[1];
        Assert.Equal("assistant", assistant.Text("role"));
        Assert.Equal("Let me check.", assistant.Text("content.0.text"));
        Assert.Equal("tool_use", assistant.Text("content.1.type"));
        Assert.Equal("toolu_01A", assistant.Text("content.1.id"));
        Assert.Equal("get_weather", assistant.Text("content.1.name"));
        Assert.Equal("Paris", assistant.Text("content.1.input.city"));
        Assert.Equal("Rome", assistant.Text("content.2.input.city"));
        var results = turns[2];
        Assert.Equal("user", results.Text("role"));
        Assert.Equal("tool_result", results.Text("content.0.type"));
        Assert.Equal("toolu_01A", results.Text("content.0.tool_use_id"));
        Assert.Equal("18°C, sunny", results.Text("content.0.content.0.text"));
        Assert.Equal("toolu_01B", results.Text("content.1.tool_use_id"));
        Assert.Equal("24°C", results.Text("content.1.content.0.text"));
        Assert.Equal("Which is warmer?", results.Text("content.2.text"));
    }

    [Fact]
    public void SendToolArgumentsThatAreNotAJsonObjectAsAnEmptyInput()
    {
        var body = UpstreamBody(Request("""
            [{"role":"user","content":"Time?"},
             {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_time","arguments":""}}]},
             {"role":"tool","tool_call_id":"call_1","content":"12:00"}]
            """));

        Assert.Equal("{}", body.At("messages.1.content.0.input").GetRawText());
    }

    [Fact]
    public void RewriteToolCallIdsAnthropicWouldRefuseTheSameWayOnBothSides()
    {
        var body = UpstreamBody(Request("""
            [{"role":"user","content":"Time?"},
             {"role":"assistant","tool_calls":[{"id":"call:7/x","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"call:7/x","content":"12:00"}]
            """));

        Assert.Equal("call_7_x", body.Text("messages.1.content.0.id"));
        Assert.Equal("call_7_x", body.Text("messages.2.content.0.tool_use_id"));
    }

    [Theory]
    [InlineData("\"max_completion_tokens\":300,\"max_tokens\":100", 300)]
    [InlineData("\"max_tokens\":200", 200)]
    [InlineData("", 64_000)]
    public void AlwaysSendMaxTokensFromTheRequestOrTheCatalog(string limit, int expected)
    {
        Assert.Equal(expected, UpstreamBody(Hello(limit)).GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public void SendTheDefaultMaxTokensWhenTheCatalogKnowsNoLimit()
    {
        var body = UpstreamBody(Hello(), Model with { MaxOutputTokens = null });

        Assert.Equal(4096, body.GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public void SendStopSequencesAndTheUserAsMetadata()
    {
        var one = UpstreamBody(Hello("\"stop\":\"END\",\"user\":\"user-42\""));
        var many = UpstreamBody(Hello("\"stop\":[\"END\",\"\\n\\nHuman:\"]"));

        Assert.Equal(["END"], one.GetProperty("stop_sequences").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("user-42", one.Text("metadata.user_id"));
        Assert.Equal(["END", "\n\nHuman:"], many.GetProperty("stop_sequences").EnumerateArray().Select(s => s.GetString()));
        Assert.False(many.Has("metadata"));
    }

    [Theory]
    [InlineData("\"stop\":\"\\n\"")]
    [InlineData("\"stop\":[\"\\n\"]")]
    [InlineData("\"stop\":[\" \",\"\\t\\n\"]")]
    [InlineData("\"stop\":[\"\",\"\\r\\n\",\"\\u00a0\"]")]
    public void LeaveOutStopSequencesAnthropicRefusesAndTheFieldWithNoneLeft(string stop)
    {
        var body = UpstreamBody(Hello(stop));

        Assert.False(body.Has("stop_sequences"));
    }

    [Fact]
    public void KeepTheStopSequencesThatAreNotOnlyWhitespace()
    {
        var body = UpstreamBody(Hello("\"stop\":[\"\\n\",\"END\",\" \",\"\\n\\nHuman:\"]"));

        Assert.Equal(["END", "\n\nHuman:"], body.GetProperty("stop_sequences").EnumerateArray().Select(s => s.GetString()));
    }

    [Theory]
    [InlineData("\"temperature\":0.3", 0.3)]
    [InlineData("\"temperature\":1.6", 1.0)]
    [InlineData("\"temperature\":2", 1.0)]
    public void ClampTemperatureToAnthropicsRange(string temperature, double expected)
    {
        Assert.Equal(expected, UpstreamBody(Hello(temperature)).GetProperty("temperature").GetDouble());
    }

    [Fact]
    public void SendTopPOnlyWithoutATemperature()
    {
        var both = UpstreamBody(Hello("\"temperature\":0.5,\"top_p\":0.9"));
        var topP = UpstreamBody(Hello("\"top_p\":0.9"));

        Assert.False(both.Has("top_p"));
        Assert.Equal(0.5, both.GetProperty("temperature").GetDouble());
        Assert.Equal(0.9, topP.GetProperty("top_p").GetDouble());
        Assert.False(topP.Has("temperature"));
    }

    [Fact]
    public void PassOnOnlyTheFieldsAnthropicKnows()
    {
        var body = UpstreamBody(Hello("""
            "thinking":{"type":"enabled","budget_tokens":2048},"top_k":40,"webSearchEnabled":true,"seed":7,"n":1,
            "frequency_penalty":0.5,"presence_penalty":0.5,"logprobs":false,"metadata":{"team":"a"},"reasoning_effort":"low",
            "response_format":{"type":"text"},"service_tier":"default","llmtr":{}
            """));

        Assert.Equal(2048, body.At("thinking.budget_tokens").GetInt32());
        Assert.Equal(40, body.GetProperty("top_k").GetInt32());
        Assert.Equal("standard_only", body.Text("service_tier"));
        Assert.Equal(
            ["max_tokens", "messages", "model", "service_tier", "thinking", "top_k"],
            body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AskForAJsonObjectInTheSystemPrompt()
    {
        var body = UpstreamBody(Request("""[{"role":"system","content":"You extract data."},{"role":"user","content":"Ada, 36"}]""",
            "\"response_format\":{\"type\":\"json_object\"}"));

        Assert.Equal("You extract data.", body.Text("system.0.text"));
        Assert.Contains("JSON object", body.Text("system.1.text"), StringComparison.Ordinal);
        Assert.False(body.Has("tools"));
    }

    [Fact]
    public void ForceAnAnswerToolForAJsonSchema()
    {
        var body = UpstreamBody(Hello("""
            "response_format":{"type":"json_schema","json_schema":{"name":"person info","strict":true,
              "schema":{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"}},"required":["name","age"]}}}
            """));

        var tool = Assert.Single(body.GetProperty("tools").EnumerateArray());
        Assert.Equal("person_info", tool.Text("name"));
        Assert.Equal("integer", tool.Text("input_schema.properties.age.type"));
        Assert.Equal("""{"type":"tool","name":"person_info"}""", body.GetProperty("tool_choice").GetRawText());
        Assert.False(body.Has("system"));
    }

    [Fact]
    public void PutTheSchemaInTheSystemPromptWhenTheRequestHasToolsOfItsOwn()
    {
        var body = UpstreamBody(Hello("""
            "tools":[{"type":"function","function":{"name":"lookup"}}],
            "response_format":{"type":"json_schema","json_schema":{"name":"person","schema":{"type":"object","properties":{"name":{"type":"string"}}}}}
            """));

        Assert.Equal(["lookup"], body.GetProperty("tools").EnumerateArray().Select(t => t.Text("name")));
        Assert.Contains("\"name\":{\"type\":\"string\"}", body.Text("system.0.text"), StringComparison.Ordinal);
        Assert.False(body.Has("tool_choice"));
    }

    [Fact]
    public void KeepTurkishTextReadableInTheBody()
    {
        var call = Call(Request("""[{"role":"user","content":"Günaydın, çay ister misiniz?"}]"""));
        using var request = Protocol.CreateRequest(call);
        var raw = new StreamReader(request.Content!.ReadAsStream()).ReadToEnd();

        Assert.Contains("Günaydın, çay ister misiniz?", raw, StringComparison.Ordinal);
        call.Request.Dispose();
    }

    [Fact]
    public void WriteValidJsonForEveryShapeAtOnce()
    {
        var body = UpstreamBody(Request("""
            [{"role":"developer","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Look"},{"type":"image_url","image_url":{"url":"https://x.example/a.png"}}]},
             {"role":"assistant","tool_calls":[{"id":"t1","type":"function","function":{"name":"f","arguments":"{\"a\":[1,2]}"}}]},
             {"role":"tool","tool_call_id":"t1","content":""},{"role":"assistant","content":"Done."}]
            """, "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":\"auto\",\"temperature\":0,\"stream\":true"));

        Assert.Equal(JsonValueKind.Object, body.ValueKind);
        Assert.Equal(["user", "assistant", "user", "assistant"], body.GetProperty("messages").EnumerateArray().Select(t => t.Text("role")));
        Assert.False(body.At("messages.2.content.0").Has("content"));
        Assert.Equal(0, body.GetProperty("temperature").GetDouble());
    }
}

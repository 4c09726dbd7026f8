using System.Buffers;
using System.Text.Json;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Responses;

namespace LlmTr.UnitTests.Gateway;

/// <summary>A Responses API request as the chat request the pipeline serves it with, and the requests it refuses.</summary>
public sealed class ResponsesRequestShould
{
    [Fact]
    public void TurnAStringInputAndInstructionsIntoASystemAndAUserMessage()
    {
        var chat = Translate("""{"model":"openai/gpt-4o","instructions":"Be brief.","input":"Merhaba!","max_output_tokens":50,"temperature":0.2,"top_p":0.9,"user":"u-1","store":false,"include":["reasoning.encrypted_content"],"metadata":{"k":"v"}}""");

        var messages = chat.GetProperty("messages");
        Assert.Equal(2, messages.GetArrayLength());
        Assert.Equal(("system", "Be brief."), (messages[0].GetProperty("role").GetString(), messages[0].GetProperty("content").GetString()));
        Assert.Equal(("user", "Merhaba!"), (messages[1].GetProperty("role").GetString(), messages[1].GetProperty("content").GetString()));
        Assert.Equal(50, chat.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal(0.2, chat.GetProperty("temperature").GetDouble());
        Assert.Equal(0.9, chat.GetProperty("top_p").GetDouble());
        Assert.Equal("u-1", chat.GetProperty("user").GetString());
        Assert.False(chat.TryGetProperty("stream", out _));
        Assert.False(chat.TryGetProperty("metadata", out _));
    }

    [Fact]
    public void AskForUsageOnAStream()
    {
        var chat = Translate("""{"model":"openai/gpt-4o","input":"Hi","stream":true}""");

        Assert.True(chat.GetProperty("stream").GetBoolean());
        Assert.True(chat.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public void TurnMessageItemsAndTheirPartsIntoChatMessages()
    {
        var chat = Translate("""
            {"model":"openai/gpt-4o","input":[
              {"role":"developer","content":"Answer in Turkish."},
              {"type":"message","role":"user","content":[
                {"type":"input_text","text":"What is this?"},
                {"type":"input_image","image_url":"https://example.com/a.png","detail":"low"},
                {"type":"input_file","filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0="}]},
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Bir kedi.","annotations":[]}]},
              {"type":"reasoning","id":"rs_1","summary":[]},
              {"role":"user","content":"Emin misin?"}]}
            """);

        var messages = chat.GetProperty("messages");
        Assert.Equal(4, messages.GetArrayLength());
        Assert.Equal(("developer", "Answer in Turkish."), (messages[0].GetProperty("role").GetString(), messages[0].GetProperty("content").GetString()));
        var parts = messages[1].GetProperty("content");
        Assert.Equal(("text", "What is this?"), (parts[0].GetProperty("type").GetString(), parts[0].GetProperty("text").GetString()));
        Assert.Equal("https://example.com/a.png", parts[1].GetProperty("image_url").GetProperty("url").GetString());
        Assert.Equal("low", parts[1].GetProperty("image_url").GetProperty("detail").GetString());
        Assert.Equal(("a.pdf", "data:application/pdf;base64,JVBERi0="), (parts[2].GetProperty("file").GetProperty("filename").GetString(), parts[2].GetProperty("file").GetProperty("file_data").GetString()));
        Assert.Equal(("assistant", "Bir kedi."), (messages[2].GetProperty("role").GetString(), messages[2].GetProperty("content").GetString()));
        Assert.Equal("Emin misin?", messages[3].GetProperty("content").GetString());
    }

    [Fact]
    public void JoinParallelFunctionCallsIntoOneAssistantTurnFollowedByToolMessages()
    {
        var chat = Translate("""
            {"model":"openai/gpt-4o","input":[
              {"role":"user","content":"Weather in İzmir and Van?"},
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Checking."}]},
              {"type":"function_call","id":"fc_1","call_id":"call_a","name":"get_weather","arguments":"{\"city\":\"İzmir\"}"},
              {"type":"function_call","id":"fc_2","call_id":"call_b","name":"get_weather","arguments":"{\"city\":\"Van\"}"},
              {"type":"function_call_output","call_id":"call_a","output":"24°C"},
              {"type":"function_call_output","call_id":"call_b","output":[{"type":"input_text","text":"12°C"}]}]}
            """);

        var messages = chat.GetProperty("messages");
        Assert.Equal(4, messages.GetArrayLength());
        var assistant = messages[1];
        Assert.Equal(("assistant", "Checking."), (assistant.GetProperty("role").GetString(), assistant.GetProperty("content").GetString()));
        var calls = assistant.GetProperty("tool_calls");
        Assert.Equal(2, calls.GetArrayLength());
        Assert.Equal(("call_a", "function", "get_weather", "{\"city\":\"İzmir\"}"),
            (calls[0].GetProperty("id").GetString(), calls[0].GetProperty("type").GetString(), calls[0].GetProperty("function").GetProperty("name").GetString(),
             calls[0].GetProperty("function").GetProperty("arguments").GetString()));
        Assert.Equal("call_b", calls[1].GetProperty("id").GetString());
        Assert.Equal(("tool", "call_a", "24°C"), (messages[2].GetProperty("role").GetString(), messages[2].GetProperty("tool_call_id").GetString(), messages[2].GetProperty("content").GetString()));
        Assert.Equal(("call_b", "12°C"), (messages[3].GetProperty("tool_call_id").GetString(), messages[3].GetProperty("content").GetString()));
    }

    [Fact]
    public void TurnAFunctionCallWithoutTextIntoAnAssistantTurnWithNullContent()
    {
        var chat = Translate("""
            {"model":"openai/gpt-4o","input":[{"role":"user","content":"Hi"},
              {"type":"function_call","call_id":"call_a","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"call_a","output":"ok"}]}
            """);

        var assistant = chat.GetProperty("messages")[1];
        Assert.Equal(JsonValueKind.Null, assistant.GetProperty("content").ValueKind);
        Assert.Equal("call_a", assistant.GetProperty("tool_calls")[0].GetProperty("id").GetString());
    }

    [Fact]
    public void TranslateFunctionToolsToolChoiceAndParallelCalls()
    {
        var chat = Translate("""
            {"model":"openai/gpt-4o","input":"Hi","parallel_tool_calls":false,"tool_choice":{"type":"function","name":"get_weather"},
             "tools":[{"type":"function","name":"get_weather","description":"Weather now","strict":true,"parameters":{"type":"object","properties":{"city":{"type":"string"}}}}]}
            """);

        var function = chat.GetProperty("tools")[0].GetProperty("function");
        Assert.Equal("function", chat.GetProperty("tools")[0].GetProperty("type").GetString());
        Assert.Equal(("get_weather", "Weather now", true), (function.GetProperty("name").GetString(), function.GetProperty("description").GetString(), function.GetProperty("strict").GetBoolean()));
        Assert.Equal("object", function.GetProperty("parameters").GetProperty("type").GetString());
        Assert.Equal("get_weather", chat.GetProperty("tool_choice").GetProperty("function").GetProperty("name").GetString());
        Assert.False(chat.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.Equal("required", Translate("""{"model":"m","input":"Hi","tool_choice":"required","tools":[{"type":"function","name":"f"}]}""").GetProperty("tool_choice").GetString());
    }

    [Fact]
    public void LeaveOutToolChoiceAndParallelCallsWhenNoToolIsDeclared()
    {
        var chat = Translate("""{"model":"m","input":"Hi","tools":[],"tool_choice":"auto","parallel_tool_calls":true}""");

        Assert.False(chat.TryGetProperty("tools", out _));
        Assert.False(chat.TryGetProperty("tool_choice", out _));
        Assert.False(chat.TryGetProperty("parallel_tool_calls", out _));
    }

    [Fact]
    public void TranslateTheTextFormatAndReasoningEffort()
    {
        var schema = Translate("""
            {"model":"openai/gpt-4o","input":"Hi","reasoning":{"effort":"low","summary":"auto"},
             "text":{"format":{"type":"json_schema","name":"city","strict":true,"schema":{"type":"object","properties":{"name":{"type":"string"}}}}}}
            """);
        var format = schema.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal(("city", true), (format.GetProperty("json_schema").GetProperty("name").GetString(), format.GetProperty("json_schema").GetProperty("strict").GetBoolean()));
        Assert.Equal("object", format.GetProperty("json_schema").GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal("low", schema.GetProperty("reasoning_effort").GetString());

        Assert.Equal("json_object", Translate("""{"model":"m","input":"Hi","text":{"format":{"type":"json_object"}}}""").GetProperty("response_format").GetProperty("type").GetString());
        Assert.False(Translate("""{"model":"m","input":"Hi","text":{"format":{"type":"text"}}}""").TryGetProperty("response_format", out _));
    }

    [Fact]
    public void HandBackAnEarlierRefusalAsTheAssistantsText()
    {
        var chat = Translate("""
            {"model":"m","input":[{"role":"user","content":"x"},{"type":"message","role":"assistant","content":[{"type":"refusal","refusal":"I can't help with that."}]},{"role":"user","content":"y"}]}
            """);

        Assert.Equal("I can't help with that.", chat.GetProperty("messages")[1].GetProperty("content").GetString());
    }

    [Theory]
    [InlineData("""{"model":"m","input":"Hi","previous_response_id":"resp_1"}""", "previous_response_id", "stores no responses")]
    [InlineData("""{"model":"m","input":"Hi","conversation":"conv_1"}""", "conversation", "stores no responses")]
    [InlineData("""{"model":"m","input":"Hi","tools":[{"type":"code_interpreter","container":{"type":"auto"}}]}""", "tools[0].type", "'code_interpreter'")]
    [InlineData("""{"model":"m","input":"Hi","tools":[{"type":"function","name":"f"},{"type":"file_search","vector_store_ids":["v"]}]}""", "tools[1].type", "'file_search'")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"input_image","file_id":"file-1"}]}]}""", "input[0].content[0].file_id", "keeps no files")]
    [InlineData("""{"model":"m","input":[{"type":"item_reference","id":"msg_1"}]}""", "input[0].type", "stores no responses")]
    [InlineData("""{"model":"m","input":[{"type":"computer_call","call_id":"c"}]}""", "input[0].type", "'computer_call'")]
    [InlineData("""{"model":"m","input":"Hi","background":true}""", "background", "keeps no responses")]
    [InlineData("""{"model":"m","input":"Hi","truncation":"auto"}""", "truncation", "'disabled'")]
    public void RefuseWhatNeedsStateOrBuiltInToolsAsUnsupported(string body, string param, string says)
    {
        var error = Refusal(body);

        Assert.Equal((400, "unsupported_feature", param), (error.Status, error.Error.Code, error.Error.Param));
        Assert.Contains(says, error.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"m","input":"Hi","tools":[{"type":"function","name":"f"},{"type":"file_search","vector_store_ids":["vs_1"]}],"tool_choice":"auto"}""", "tools[1].type")]
    [InlineData("""{"model":"m","input":"Hi","tools":[{"type":"code_interpreter","container":{"type":"auto"}}],"tool_choice":{"type":"code_interpreter"}}""", "tools[0].type")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":"Hi"},{"type":"web_search_call","id":"ws_1","status":"completed"}]}""", "input[1].type")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"input_text","text":"Hi"},{"type":"input_file","file_url":"https://example.com/a.pdf"}]}]}""", "input[0].content[1].file_url")]
    [InlineData("""{"model":"m","input":"Hi","truncation":"auto"}""", "truncation")]
    public void TranslateWhatItCanAndNameWhatOnlyANativeRelayCarries(string body, string param)
    {
        using var document = JsonDocument.Parse(body);
        var output = new ArrayBufferWriter<byte>();

        var error = ResponsesRequest.Translate(document.RootElement, output, out var untranslatable);

        Assert.Null(error?.Error.Message);
        Assert.Equal((400, "unsupported_feature", param), (untranslatable?.Status, untranslatable?.Error.Code, untranslatable?.Error.Param));
        var chat = JsonDocument.Parse(output.WrittenMemory).RootElement;
        Assert.Equal("user", chat.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.All(chat.TryGetProperty("tools", out var tools) ? tools.EnumerateArray() : [], t => Assert.Equal("function", t.GetProperty("type").GetString()));
        Assert.False(chat.TryGetProperty("tool_choice", out var choice) && choice.ValueKind == JsonValueKind.Object);
    }

    [Theory]
    [InlineData("""{"input":"Hi"}""", "model")]
    [InlineData("""{"model":"m"}""", "input")]
    [InlineData("""{"model":"m","input":[]}""", "input")]
    [InlineData("""{"model":"m","input":42}""", "input")]
    [InlineData("""{"model":"m","input":"Hi","instructions":["x"]}""", "instructions")]
    [InlineData("""{"model":"m","input":[{"role":"tool","content":"x"}]}""", "input[0].role")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"input_text"}]}]}""", "input[0].content[0].text")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":"x"},{"type":"function_call","call_id":"c","name":"f"}]}""", "input[1].arguments")]
    [InlineData("""{"model":"m","input":[{"type":"function_call_output","call_id":"c"}]}""", "input[0].output")]
    [InlineData("""{"model":"m","input":"Hi","max_output_tokens":0}""", "max_output_tokens")]
    [InlineData("""{"model":"m","input":"Hi","temperature":"hot"}""", "temperature")]
    [InlineData("""{"model":"m","input":"Hi","stream":"yes"}""", "stream")]
    [InlineData("""{"model":"m","input":"Hi","text":{"format":{"type":"xml"}}}""", "text.format.type")]
    [InlineData("""{"model":"m","input":"Hi","text":{"format":{"type":"json_schema","name":"x"}}}""", "text.format.schema")]
    [InlineData("""{"model":"m","input":"Hi","tools":[{"type":"function"}]}""", "tools[0].name")]
    [InlineData("""{"model":"m","input":"Hi","tool_choice":"sometimes"}""", "tool_choice")]
    public void NameTheWrongFieldInParam(string body, string param)
    {
        var error = Refusal(body);

        Assert.Equal((400, param), (error.Status, error.Error.Param));
        Assert.Equal("invalid_request_error", error.Error.Type);
    }

    private static JsonElement Translate(string body)
    {
        using var document = JsonDocument.Parse(body);
        var output = new ArrayBufferWriter<byte>();
        var error = ResponsesRequest.Translate(document.RootElement, output, out var untranslatable);
        Assert.Null(error?.Error.Message);
        Assert.Null(untranslatable?.Error.Message);
        using var chat = JsonDocument.Parse(output.WrittenMemory);
        return chat.RootElement.Clone();
    }

    private static GatewayError Refusal(string body)
    {
        using var document = JsonDocument.Parse(body);
        return (ResponsesRequest.Translate(document.RootElement, new ArrayBufferWriter<byte>(), out var untranslatable) ?? untranslatable)
            ?? throw new Xunit.Sdk.XunitException("The request was accepted.");
    }
}

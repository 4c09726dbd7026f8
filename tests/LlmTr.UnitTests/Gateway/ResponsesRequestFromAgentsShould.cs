using System.Buffers;
using System.Text.Json;
using LlmTr.Modules.Gateway.Responses;

namespace LlmTr.UnitTests.Gateway;

/// <summary>
/// What coding agents such as Codex CLI send to the Responses API, as a translated model's chat request: their tool
/// kinds (namespaces, freeform tools, a web search offer) and the options only OpenAI's own service can use.
/// </summary>
public sealed class ResponsesRequestFromAgentsShould
{
    private const string AgentRequest = """
        {"model":"llmtr/demo","stream":true,"store":false,"tool_choice":"auto","parallel_tool_calls":true,
         "reasoning":{"summary":"auto"},"include":["reasoning.encrypted_content"],"prompt_cache_key":"k-1","text":{"verbosity":"low"},
         "client_metadata":{"session_id":"s-1"},"service_tier":"auto",
         "input":[
           {"type":"message","id":"msg_1","role":"developer","content":[{"type":"input_text","text":"You are a coding agent."}]},
           {"type":"message","id":"msg_2","role":"user","content":[{"type":"input_text","text":"run exec_command ls"}]},
           {"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"opaque"},
           {"type":"function_call","id":"fc_1","call_id":"call_1","name":"exec_command","arguments":"{\"cmd\":\"ls\"}"},
           {"type":"function_call_output","call_id":"call_1","output":"a.txt"},
           {"type":"custom_tool_call","id":"ctc_1","call_id":"call_2","name":"apply_patch","input":"*** Begin Patch\n*** End Patch"},
           {"type":"custom_tool_call_output","call_id":"call_2","output":"Done"}],
         "tools":[
           {"type":"function","name":"exec_command","description":"Runs a command.","strict":false,"parameters":{"type":"object","properties":{"cmd":{"type":"string"}},"required":["cmd"]}},
           {"type":"namespace","name":"agents","description":"Sub-agents.","tools":[{"type":"function","name":"spawn_agent","parameters":{"type":"object","properties":{}}}]},
           {"type":"custom","name":"apply_patch","description":"Applies a patch.","format":{"type":"grammar","syntax":"lark","definition":"start: /.+/"}},
           {"type":"web_search","external_web_access":false}]}
        """;

    [Fact]
    public void OfferFunctionsNamespaceMembersAndFreeformToolsAndLeaveTheWebSearchOfferOut()
    {
        var chat = Translate(AgentRequest);

        var tools = chat.GetProperty("tools").EnumerateArray().ToList();
        Assert.Equal(["exec_command", "spawn_agent", "apply_patch"], tools.Select(t => t.GetProperty("function").GetProperty("name").GetString()));
        Assert.All(tools, t => Assert.Equal("function", t.GetProperty("type").GetString()));
        var freeform = tools[2].GetProperty("function");
        Assert.Equal("Applies a patch.", freeform.GetProperty("description").GetString());
        Assert.Equal("string", freeform.GetProperty("parameters").GetProperty("properties").GetProperty("input").GetProperty("type").GetString());
        Assert.Equal("auto", chat.GetProperty("tool_choice").GetString());
        Assert.True(chat.GetProperty("parallel_tool_calls").GetBoolean());
    }

    [Fact]
    public void CarryFreeformCallsAsFunctionCallsWithTheirInputAndDropWhatOnlyOpenAiUses()
    {
        var chat = Translate(AgentRequest);

        var messages = chat.GetProperty("messages");
        Assert.Equal(["developer", "user", "assistant", "tool", "assistant", "tool"], messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        var patch = messages[4].GetProperty("tool_calls")[0].GetProperty("function");
        Assert.Equal("apply_patch", patch.GetProperty("name").GetString());
        using (var arguments = JsonDocument.Parse(patch.GetProperty("arguments").GetString()!))
        {
            Assert.Equal("*** Begin Patch\n*** End Patch", arguments.RootElement.GetProperty("input").GetString());
        }

        Assert.Equal(("call_2", "Done"), (messages[5].GetProperty("tool_call_id").GetString(), messages[5].GetProperty("content").GetString()));
        foreach (var dropped in (string[])["include", "prompt_cache_key", "text", "store", "client_metadata", "service_tier", "reasoning", "reasoning_effort"])
        {
            Assert.False(chat.TryGetProperty(dropped, out _), dropped);
        }
    }

    [Fact]
    public void LetToolChoiceNameAFreeformTool()
    {
        var chat = Translate("""{"model":"m","input":"x","tool_choice":{"type":"custom","name":"apply_patch"},"tools":[{"type":"custom","name":"apply_patch"}]}""");

        Assert.Equal("apply_patch", chat.GetProperty("tool_choice").GetProperty("function").GetProperty("name").GetString());
    }

    [Fact]
    public void KeepBuiltInToolsInsideANamespaceForANativeRelayOnly()
    {
        using var document = JsonDocument.Parse("""{"model":"m","input":"x","tools":[{"type":"namespace","name":"n","tools":[{"type":"web_search"}]}]}""");

        var error = ResponsesRequest.Translate(document.RootElement, new ArrayBufferWriter<byte>(), out var untranslatable);

        Assert.Null(error);
        Assert.Equal(("unsupported_feature", "tools[0].tools[0].type"), (untranslatable!.Error.Code, untranslatable.Error.Param));
    }

    private static JsonElement Translate(string body)
    {
        using var document = JsonDocument.Parse(body);
        var output = new ArrayBufferWriter<byte>();
        Assert.Null(ResponsesRequest.Translate(document.RootElement, output, out var untranslatable)?.Error.Message);
        Assert.Null(untranslatable?.Error.Message);
        using var chat = JsonDocument.Parse(output.WrittenMemory);
        return chat.RootElement.Clone();
    }
}

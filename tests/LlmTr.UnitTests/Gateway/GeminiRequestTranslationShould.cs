using System.Text.Json;
using static LlmTr.UnitTests.Gateway.GeminiTranslation;

namespace LlmTr.UnitTests.Gateway;

public sealed class GeminiRequestTranslationShould
{
    private const string WeatherTool = """
        {"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}
        """;

    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    [Theory]
    [InlineData(false, "https://generativelanguage.googleapis.com", "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent")]
    [InlineData(true, "https://generativelanguage.googleapis.com", "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")]
    [InlineData(false, "https://proxy.example/google/v1beta/", "https://proxy.example/google/v1beta/models/gemini-2.5-flash:generateContent")]
    public void PostToTheModelsMethodWithTheKeyInAHeader(bool stream, string baseUrl, string expected)
    {
        var call = Call($$"""{"model":"google/gemini-2.5-flash","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Hi"}]}""", baseUrl);

        using var request = Protocol.CreateRequest(call);

        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(expected, request.RequestUri!.AbsoluteUri);
        Assert.Equal(ApiKey, Assert.Single(request.Headers.GetValues("x-goog-api-key")));
        Assert.DoesNotContain(ApiKey, request.RequestUri.AbsoluteUri, StringComparison.Ordinal);
        Assert.Null(request.Headers.Authorization);
        Assert.Equal("application/json", request.Content!.Headers.ContentType!.MediaType);
    }

    [Fact]
    public void KeepACollectionTheUpstreamNameAlreadyHas()
    {
        using var request = Protocol.CreateRequest(Call("""{"model":"google/gemini-2.5-flash","messages":[{"role":"user","content":"Hi"}]}""", upstreamName: "tunedModels/my-model"));

        Assert.Equal("/v1beta/tunedModels/my-model:generateContent", request.RequestUri!.AbsolutePath);
    }

    [Fact]
    public void GatherSystemAndDeveloperMessagesIntoTheSystemInstruction()
    {
        var body = Body("""
            {"model":"google/gemini-2.5-flash","messages":[
              {"role":"system","content":"Be brief."},
              {"role":"user","content":"Merhaba, nasılsın?"},
              {"role":"developer","content":[{"type":"text","text":"Answer in Turkish."}]}
            ]}
            """);

        var instruction = body.GetProperty("systemInstruction");
        Assert.False(instruction.TryGetProperty("role", out _));
        Assert.Equal(["Be brief.", "Answer in Turkish."], instruction.GetProperty("parts").EnumerateArray().Select(p => p.GetProperty("text").GetString()));
        var content = Assert.Single(body.GetProperty("contents").EnumerateArray());
        Assert.Equal("user", content.GetProperty("role").GetString());
        Assert.Equal("Merhaba, nasılsın?", Assert.Single(content.GetProperty("parts").EnumerateArray()).GetProperty("text").GetString());
    }

    [Fact]
    public void SendNoSystemInstructionWithoutSystemMessages()
    {
        var body = Body("""{"model":"google/gemini-2.5-flash","messages":[{"role":"user","content":"Hi"}]}""");

        Assert.False(body.TryGetProperty("systemInstruction", out _));
        Assert.False(body.TryGetProperty("generationConfig", out _));
        Assert.False(body.TryGetProperty("tools", out _));
    }

    [Fact]
    public void MergeConsecutiveMessagesOfOneRoleAndSkipEmptyOnes()
    {
        var body = Body("""
            {"model":"google/gemini-2.5-flash","messages":[
              {"role":"user","content":"First."},
              {"role":"user","content":"Second."},
              {"role":"assistant","content":""},
              {"role":"assistant","content":"Answer."},
              {"role":"user","content":"Third."}
            ]}
            """);

        var contents = body.GetProperty("contents").EnumerateArray().ToList();
        Assert.Equal(["user", "model", "user"], contents.Select(c => c.GetProperty("role").GetString()));
        Assert.Equal(["First.", "Second."], contents[0].GetProperty("parts").EnumerateArray().Select(p => p.GetProperty("text").GetString()));
        Assert.Equal("Answer.", Assert.Single(contents[1].GetProperty("parts").EnumerateArray()).GetProperty("text").GetString());
    }

    [Fact]
    public void SendInlineImagesAsInlineDataAndLinkedImagesAsFileData()
    {
        var body = Body($$$"""
            {"model":"google/gemini-2.5-flash","messages":[{"role":"user","content":[
              {"type":"text","text":"Compare these."},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,{{{Png}}}"}},
              {"type":"image_url","image_url":{"url":"data:image\/webp;base64,{{{Png}}}","detail":"high"}},
              {"type":"image_url","image_url":{"url":"https://example.com/photos/cat.webp?size=large"}},
              {"type":"image_url","image_url":{"url":"https://example.com/render"}}
            ]}]}
            """);

        var parts = Parts(body, 0);
        Assert.Equal("Compare these.", parts[0].GetProperty("text").GetString());
        AssertInline(parts[1], "image/png", Png);
        AssertInline(parts[2], "image/webp", Png);
        AssertFile(parts[3], "image/webp", "https://example.com/photos/cat.webp?size=large");
        AssertFile(parts[4], "image/jpeg", "https://example.com/render");
    }

    [Fact]
    public void SendAudioAndFilesInlineWithTheirMediaTypes()
    {
        var body = Body("""
            {"model":"google/gemini-2.5-flash","messages":[{"role":"user","content":[
              {"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}},
              {"type":"input_audio","input_audio":{"data":"SUQzBA==","format":"mp3"}},
              {"type":"file","file":{"filename":"report.pdf","file_data":"data:application/pdf;base64,JVBERi0x"}},
              {"type":"file","file":{"filename":"notes.txt","file_data":"SGVsbG8="}},
              {"type":"file","file":{"file_id":"https://generativelanguage.googleapis.com/v1beta/files/abc123"}}
            ]}]}
            """);

        var parts = Parts(body, 0);
        AssertInline(parts[0], "audio/wav", "UklGRg==");
        AssertInline(parts[1], "audio/mpeg", "SUQzBA==");
        AssertInline(parts[2], "application/pdf", "JVBERi0x");
        AssertInline(parts[3], "text/plain", "SGVsbG8=");
        AssertFile(parts[4], "application/pdf", "https://generativelanguage.googleapis.com/v1beta/files/abc123");
    }

    [Fact]
    public void DeclareFunctionsWithOnlyTheSchemaKeysGeminiAccepts()
    {
        var body = Body("""
            {"model":"google/gemini-2.5-flash","messages":[{"role":"user","content":"Weather?"}],
             "tools":[
              {"type":"function","function":{"name":"get_weather","description":"Current weather","strict":true,"parameters":{
                "$schema":"http://json-schema.org/draft-07/schema#","type":"object","additionalProperties":false,
                "properties":{
                  "city":{"type":"string","description":"City name","format":"email"},
                  "unit":{"type":["string","null"],"enum":["celsius","fahrenheit"]},
                  "days":{"anyOf":[{"type":"integer","minimum":1},{"type":"null"}]},
                  "when":{"type":"string","format":"date-time"},
                  "place":{"$ref":"#/$defs/Place"},
                  "tags":{"type":"array","items":{"type":"object","additionalProperties":false,"properties":{"name":{"type":"string","const":"x"}},"required":["name","ghost"]}}
                },
                "required":["city","unit","ghost"],
                "$defs":{"Place":{"type":"object","additionalProperties":false,"properties":{"lat":{"type":"number"}}}}}}},
              {"type":"function","function":{"name":"now","parameters":{"type":"object","properties":{}}}},
              {"type":"web_search"}
             ]}
            """);

        var declarations = Assert.Single(body.GetProperty("tools").EnumerateArray()).GetProperty("functionDeclarations").EnumerateArray().ToList();
        Assert.Equal(2, declarations.Count);
        var weather = declarations[0];
        Assert.Equal("get_weather", weather.GetProperty("name").GetString());
        Assert.Equal("Current weather", weather.GetProperty("description").GetString());
        Assert.False(weather.TryGetProperty("strict", out _));
        var parameters = weather.GetProperty("parameters");
        AssertNoKey(parameters, "additionalProperties", "$schema", "$defs", "strict", "const", "$ref");
        Assert.Equal(["city", "unit"], parameters.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["city", "unit", "days", "when", "place", "tags"], parameters.GetProperty("propertyOrdering").EnumerateArray().Select(r => r.GetString()));
        var properties = parameters.GetProperty("properties");
        Assert.False(properties.GetProperty("city").TryGetProperty("format", out _));
        Assert.Equal("string", properties.GetProperty("unit").GetProperty("type").GetString());
        Assert.True(properties.GetProperty("unit").GetProperty("nullable").GetBoolean());
        Assert.True(properties.GetProperty("days").GetProperty("nullable").GetBoolean());
        Assert.Equal("integer", Assert.Single(properties.GetProperty("days").GetProperty("anyOf").EnumerateArray()).GetProperty("type").GetString());
        Assert.Equal("date-time", properties.GetProperty("when").GetProperty("format").GetString());
        Assert.Equal("number", properties.GetProperty("place").GetProperty("properties").GetProperty("lat").GetProperty("type").GetString());
        var tag = properties.GetProperty("tags").GetProperty("items");
        Assert.Equal(["name"], tag.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["x"], tag.GetProperty("properties").GetProperty("name").GetProperty("enum").EnumerateArray().Select(r => r.GetString()));

        Assert.Equal("now", declarations[1].GetProperty("name").GetString());
        Assert.False(declarations[1].TryGetProperty("parameters", out _));
    }

    [Fact]
    public void EndARecursiveSchema()
    {
        var body = Body("""
            {"model":"google/gemini-2.5-flash","messages":[{"role":"user","content":"Tree?"}],
             "tools":[{"type":"function","function":{"name":"tree","parameters":{"type":"object","properties":{"root":{"$ref":"#/$defs/Node"}},
               "$defs":{"Node":{"type":"object","properties":{"child":{"$ref":"#/$defs/Node"}}}}}}}]}
            """);

        var text = body.GetRawText();
        Assert.DoesNotContain("$ref", text, StringComparison.Ordinal);
        Assert.Contains("\"child\"", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"none\"", "NONE", null)]
    [InlineData("\"auto\"", "AUTO", null)]
    [InlineData("\"required\"", "ANY", null)]
    [InlineData("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}", "ANY", "get_weather")]
    public void TranslateToolChoiceIntoTheFunctionCallingMode(string toolChoice, string mode, string? allowed)
    {
        var body = Body($$"""{"model":"google/gemini-2.5-flash","messages":[{"role":"user","content":"Weather?"}],"tool_choice":{{toolChoice}},"tools":[""" + WeatherTool + "]}");

        var config = body.GetProperty("toolConfig").GetProperty("functionCallingConfig");
        Assert.Equal(mode, config.GetProperty("mode").GetString());
        if (allowed is null)
        {
            Assert.False(config.TryGetProperty("allowedFunctionNames", out _));
        }
        else
        {
            Assert.Equal([allowed], config.GetProperty("allowedFunctionNames").EnumerateArray().Select(n => n.GetString()));
        }
    }

    [Fact]
    public void ReplayToolCallsAsFunctionCallsAndToolResultsAsNamedFunctionResponses()
    {
        var body = Body("""
            {"model":"google/gemini-2.5-flash","messages":[
              {"role":"user","content":"Weather in Istanbul and Ankara?"},
              {"role":"assistant","content":null,"tool_calls":[
                {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Istanbul\"}"}},
                {"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{\"city\":\"Ankara\"}"}}]},
              {"role":"tool","tool_call_id":"call_2","content":"14:05"},
              {"role":"tool","tool_call_id":"call_1","content":"{\"temperature\":21,\"sky\":\"clear\"}"},
              {"role":"user","content":[{"type":"text","text":"And tomorrow?"}]},
              {"role":"assistant","tool_calls":[{"id":"call_3","type":"function","function":{"name":"forecast","arguments":""}}]},
              {"role":"tool","tool_call_id":"call_3","content":[{"type":"text","text":"[\"rain\","},{"type":"text","text":"\"wind\"]"}]}
            ]}
            """);

        var contents = body.GetProperty("contents").EnumerateArray().ToList();
        Assert.Equal(["user", "model", "user", "model", "user"], contents.Select(c => c.GetProperty("role").GetString()));

        var calls = Parts(body, 1);
        Assert.Equal("get_weather", calls[0].GetProperty("functionCall").GetProperty("name").GetString());
        Assert.Equal("Istanbul", calls[0].GetProperty("functionCall").GetProperty("args").GetProperty("city").GetString());
        Assert.Equal("skip_thought_signature_validator", calls[0].GetProperty("thoughtSignature").GetString());
        Assert.Equal("get_time", calls[1].GetProperty("functionCall").GetProperty("name").GetString());
        Assert.False(calls[1].TryGetProperty("thoughtSignature", out _));

        var results = Parts(body, 2);
        Assert.Equal(3, results.Count);
        var time = results[0].GetProperty("functionResponse");
        Assert.Equal("get_time", time.GetProperty("name").GetString());
        Assert.Equal("14:05", time.GetProperty("response").GetProperty("result").GetString());
        var weather = results[1].GetProperty("functionResponse");
        Assert.Equal("get_weather", weather.GetProperty("name").GetString());
        Assert.Equal(21, weather.GetProperty("response").GetProperty("temperature").GetInt32());
        Assert.Equal("And tomorrow?", results[2].GetProperty("text").GetString());

        Assert.Equal(JsonValueKind.Object, Parts(body, 3)[0].GetProperty("functionCall").GetProperty("args").ValueKind);
        var forecast = Assert.Single(Parts(body, 4)).GetProperty("functionResponse");
        Assert.Equal("forecast", forecast.GetProperty("name").GetString());
        Assert.Equal(["rain", "wind"], forecast.GetProperty("response").GetProperty("result").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public void PutAUserMessageAfterToolResultsIntoTheFunctionResponseTurnAfterTheResponses()
    {
        var body = Body($$$"""
            {"model":"google/gemini-2.5-flash","messages":[
              {"role":"user","content":"Weather in Istanbul and Ankara?"},
              {"role":"assistant","content":null,"tool_calls":[
                {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Istanbul\"}"}},
                {"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Ankara\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"21 C"},
              {"role":"tool","tool_call_id":"call_2","content":"17 C"},
              {"role":"user","content":[{"type":"text","text":"Which is warmer?"},
                {"type":"image_url","image_url":{"url":"data:image/png;base64,{{{Png}}}"}}]},
              {"role":"assistant","content":"Istanbul."},
              {"role":"user","content":"Thanks."}
            ]}
            """);

        var roles = body.GetProperty("contents").EnumerateArray().Select(c => c.GetProperty("role").GetString()).ToList();
        Assert.Equal(["user", "model", "user", "model", "user"], roles);
        Assert.All(roles.Zip(roles.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));

        var turn = Parts(body, 2);
        Assert.Equal(4, turn.Count);
        Assert.Equal(["21 C", "17 C"], turn.Take(2).Select(p => p.GetProperty("functionResponse").GetProperty("response").GetProperty("result").GetString()));
        Assert.Equal("Which is warmer?", turn[2].GetProperty("text").GetString());
        AssertInline(turn[3], "image/png", Png);
        Assert.Equal("Thanks.", Assert.Single(Parts(body, 4)).GetProperty("text").GetString());
    }

    [Fact]
    public void MapSamplingAndLengthSettingsIntoTheGenerationConfig()
    {
        var body = Body("""
            {"model":"google/gemini-2.5-flash","messages":[{"role":"user","content":"Hi"}],
             "temperature":0.3,"top_p":0.9,"max_completion_tokens":200,"max_tokens":50,"stop":["END","STOP"],"n":2,"seed":42,
             "presence_penalty":0.5,"frequency_penalty":-0.5,"reasoning_effort":"low","logprobs":true,"user":"u-1","parallel_tool_calls":false}
            """);

        var config = body.GetProperty("generationConfig");
        Assert.Equal(0.3, config.GetProperty("temperature").GetDouble());
        Assert.Equal(0.9, config.GetProperty("topP").GetDouble());
        Assert.Equal(200, config.GetProperty("maxOutputTokens").GetInt32());
        Assert.Equal(["END", "STOP"], config.GetProperty("stopSequences").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(2, config.GetProperty("candidateCount").GetInt32());
        Assert.Equal(42, config.GetProperty("seed").GetInt32());
        Assert.Equal(0.5, config.GetProperty("presencePenalty").GetDouble());
        Assert.Equal(-0.5, config.GetProperty("frequencyPenalty").GetDouble());
        Assert.Equal(1024, config.GetProperty("thinkingConfig").GetProperty("thinkingBudget").GetInt32());
        AssertNoProperty(config, "responseLogprobs", "logprobs");
        AssertNoProperty(body, "user", "parallel_tool_calls", "temperature", "model", "messages", "n");
    }

    [Fact]
    public void AskForJsonInJsonMode()
    {
        var body = Body("""{"model":"google/gemini-2.5-flash","messages":[{"role":"user","content":"List three colours as JSON."}],"response_format":{"type":"json_object"}}""");

        var config = body.GetProperty("generationConfig");
        Assert.Equal("application/json", config.GetProperty("responseMimeType").GetString());
        Assert.False(config.TryGetProperty("responseSchema", out _));
    }

    [Fact]
    public void GiveGeminiTheSchemaOfAStructuredOutput()
    {
        var body = Body("""
            {"model":"google/gemini-2.5-flash","messages":[{"role":"user","content":"A colour?"}],
             "response_format":{"type":"json_schema","json_schema":{"name":"colour","strict":true,"schema":{
               "type":"object","additionalProperties":false,"properties":{"name":{"type":"string"},"hex":{"type":"string"}},"required":["name","hex"]}}}}
            """);

        var config = body.GetProperty("generationConfig");
        Assert.Equal("application/json", config.GetProperty("responseMimeType").GetString());
        var schema = config.GetProperty("responseSchema");
        AssertNoKey(schema, "additionalProperties", "strict");
        Assert.Equal(["name", "hex"], schema.GetProperty("propertyOrdering").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["name", "hex"], schema.GetProperty("required").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public void PassOnlyGeminisOwnExtraFields()
    {
        var body = Body("""
            {"model":"google/gemini-2.5-flash","messages":[{"role":"user","content":"Hi"}],"reasoning_effort":"high","temperature":1,
             "safetySettings":[{"category":"HARM_CATEGORY_HARASSMENT","threshold":"BLOCK_ONLY_HIGH"}],
             "cachedContent":"cachedContents/abc","thinkingConfig":{"thinkingBudget":0,"includeThoughts":false},"top_k":40,
             "generationConfig":{"temperature":0.2,"responseModalities":["TEXT"]},"webSearchEnabled":true,"thinking":{"type":"enabled"}}
            """);

        Assert.Equal("BLOCK_ONLY_HIGH", body.GetProperty("safetySettings")[0].GetProperty("threshold").GetString());
        Assert.Equal("cachedContents/abc", body.GetProperty("cachedContent").GetString());
        var config = body.GetProperty("generationConfig");
        Assert.Equal(0, config.GetProperty("thinkingConfig").GetProperty("thinkingBudget").GetInt32());
        Assert.Equal(40, config.GetProperty("topK").GetInt32());
        Assert.Equal(0.2, config.GetProperty("temperature").GetDouble());
        Assert.Equal("TEXT", config.GetProperty("responseModalities")[0].GetString());
        AssertNoProperty(body, "webSearchEnabled", "thinking", "top_k", "thinkingConfig", "reasoning_effort", "temperature");
        Assert.Single(config.EnumerateObject(), p => p.Name == "temperature");
    }

    private static List<JsonElement> Parts(JsonElement body, int content) =>
        body.GetProperty("contents")[content].GetProperty("parts").EnumerateArray().ToList();

    private static void AssertInline(JsonElement part, string mimeType, string data)
    {
        var inline = part.GetProperty("inlineData");
        Assert.Equal(mimeType, inline.GetProperty("mimeType").GetString());
        Assert.Equal(data, inline.GetProperty("data").GetString());
    }

    private static void AssertFile(JsonElement part, string mimeType, string uri)
    {
        var file = part.GetProperty("fileData");
        Assert.Equal(mimeType, file.GetProperty("mimeType").GetString());
        Assert.Equal(uri, file.GetProperty("fileUri").GetString());
    }

    private static void AssertNoProperty(JsonElement element, params string[] names)
    {
        foreach (var name in names)
        {
            Assert.False(element.TryGetProperty(name, out _), $"'{name}' should not be sent.");
        }
    }

    /// <summary>No key of these names anywhere in the element, however deep.</summary>
    private static void AssertNoKey(JsonElement element, params string[] keys)
    {
        var text = element.GetRawText();
        foreach (var key in keys)
        {
            Assert.DoesNotContain($"\"{key}\":", text, StringComparison.Ordinal);
        }
    }
}

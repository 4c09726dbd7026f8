using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmTr.IntegrationTests.Gateway;

namespace LlmTr.IntegrationTests.Reliability;

/// <summary>What a case's answer must be, beyond "no 5xx, and an error object in its API's format when it is an error".</summary>
public enum CorpusExpectation
{
    /// <summary>Any answer below 500 (a mutation may leave the request valid).</summary>
    Any,

    /// <summary>413: the body is over the limit, however it is framed.</summary>
    TooLarge,

    /// <summary>415 or 400 naming the content type: a JSON endpoint called without JSON's content type.</summary>
    ContentTypeRefused,

    /// <summary>Not refused for its content type: one of the ways SDKs really say JSON.</summary>
    ContentTypeAccepted,
}

/// <summary>
/// One generated request: where it goes, its bytes and Content-Type as sent, whether it is sent chunked (no
/// Content-Length), what was done to it, and what its answer must be.
/// </summary>
public sealed record CorpusCase(string Path, byte[] Body, string? ContentType, string Mutation, bool Chunked = false, CorpusExpectation Expect = CorpusExpectation.Any)
{
    public bool AnthropicFormat => Path.StartsWith("/v1/messages", StringComparison.Ordinal);

    public override string ToString()
    {
        var text = Encoding.UTF8.GetString(Body);
        return $"{Mutation} → POST {Path} ({ContentType ?? "no content type"}, {Body.Length} bytes{(Chunked ? ", chunked" : "")}): {(text.Length > 300 ? text[..300] + "…" : text)}";
    }
}

/// <summary>
/// A deterministic corpus of malformed /v1 requests: mutations of one valid request per endpoint (chat completions,
/// the Messages API, the Responses API, embeddings, images, speech, transcriptions). The same seed always yields the same requests, so
/// a failure can be replayed by its index.
/// </summary>
public static class BadInputCorpus
{
    public const string Boundary = "corpus-boundary-7d1f";

    private static readonly (string Path, string Json)[] JsonTemplates =
    [
        ("/v1/chat/completions", """
            {"model":"llmtr/demo","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Merhaba"}]},
             {"role":"assistant","content":"Hi"},{"role":"user","content":"Once more"}],"temperature":0.7,"top_p":0.9,"max_tokens":64,"n":1,
             "stream":false,"stop":["\n\n"],"presence_penalty":0.5,"frequency_penalty":0,"seed":7,"user":"u-1","response_format":{"type":"text"},
             "metadata":{"k":"v"},"llmtr":{"residency":"TR"}}
            """),
        ("/v1/chat/completions", """
            {"model":"openai/gpt-4o","messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},
             {"type":"image_url","image_url":{"url":"https://images.example.com/cat.jpg","detail":"low"}}]},
             {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"look","arguments":"{\"q\":1}"}}]},
             {"role":"tool","tool_call_id":"call_1","content":"a cat"}],
             "tools":[{"type":"function","function":{"name":"look","description":"Looks","parameters":{"type":"object","properties":{"q":{"type":"integer"}}}}}],
             "tool_choice":"auto","parallel_tool_calls":true,"max_completion_tokens":100,"logprobs":true,"top_logprobs":2,
             "response_format":{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"object"}}},"stream":true,"stream_options":{"include_usage":true}}
            """),
        ("/v1/chat/completions", """
            {"model":"openai/gpt-4o-audio-preview","modalities":["text","audio"],"audio":{"voice":"alloy","format":"wav"},
             "messages":[{"role":"developer","content":"Answer aloud."},{"role":"user","content":[{"type":"text","text":"Listen"},
             {"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}}]}],
             "tools":[{"type":"function","function":{"name":"look","parameters":{"type":"object"}}}],"tool_choice":{"type":"function","function":{"name":"look"}},
             "reasoning_effort":"low","prediction":{"type":"content","content":"x"},"logit_bias":{"50256":-100},"store":false,"service_tier":"auto",
             "stream":true,"stream_options":{"include_usage":false}}
            """),
        ("/v1/messages", """
            {"model":"llmtr/demo","max_tokens":64,"system":[{"type":"text","text":"Be brief."}],"messages":[{"role":"user","content":[{"type":"text","text":"Merhaba"}]},
             {"role":"assistant","content":"Hi"},{"role":"user","content":"Again"}],"temperature":0.5,"top_p":0.9,"top_k":5,"stop_sequences":["END"],
             "stream":false,"metadata":{"user_id":"u-1"}}
            """),
        ("/v1/messages", """
            {"model":"llmtr/demo","max_tokens":64,"messages":[{"role":"user","content":"Look"},
             {"role":"assistant","content":[{"type":"text","text":"Looking."},{"type":"tool_use","id":"toolu_1","name":"look","input":{"q":1}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"a cat"}]},
             {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
             {"type":"document","source":{"type":"url","url":"https://docs.example.com/a.pdf"}}]}],
             "tools":[{"name":"look","description":"Looks","input_schema":{"type":"object","properties":{"q":{"type":"integer"}}}}],
             "tool_choice":{"type":"tool","name":"look","disable_parallel_tool_use":true},"thinking":{"type":"enabled","budget_tokens":1024},"stream":true}
            """),
        ("/v1/messages/count_tokens", """
            {"model":"llmtr/demo","system":"Be brief.","messages":[{"role":"user","content":[{"type":"text","text":"Merhaba"}]},{"role":"assistant","content":"Hi"}],
             "tools":[{"name":"look","input_schema":{"type":"object"}}],"tool_choice":{"type":"auto"}}
            """),
        ("/v1/responses", """
            {"model":"llmtr/demo","instructions":"Be brief.","input":"Merhaba","temperature":0.7,"top_p":0.9,"max_output_tokens":64,
             "text":{"format":{"type":"text"}},"metadata":{"k":"v"},"user":"u-1","store":false,"stream":false,"truncation":"disabled","include":[]}
            """),
        ("/v1/responses", """
            {"model":"openai/gpt-4o","input":[{"role":"system","content":"Be brief."},
             {"type":"message","role":"user","content":[{"type":"input_text","text":"What is this?"},{"type":"input_image","image_url":"https://images.example.com/cat.jpg","detail":"low"}]},
             {"type":"function_call","call_id":"call_1","name":"look","arguments":"{\"q\":1}"},{"type":"function_call_output","call_id":"call_1","output":"a cat"}],
             "tools":[{"type":"function","name":"look","description":"Looks","parameters":{"type":"object","properties":{"q":{"type":"integer"}}},"strict":false}],
             "tool_choice":{"type":"function","name":"look"},"parallel_tool_calls":true,"reasoning":{"effort":"low"},
             "text":{"format":{"type":"json_schema","name":"a","schema":{"type":"object"},"strict":true}},"stream":true}
            """),
        ("/v1/embeddings", """{"model":"openai/text-embedding-3-small","input":["hello","world"],"encoding_format":"float","dimensions":3,"user":"u-1"}"""),
        ("/v1/images/generations", """{"model":"openai/gpt-image-1","prompt":"A cat on a ferry","n":1,"size":"1024x1024","response_format":"b64_json","quality":"high"}"""),
        ("/v1/audio/speech", """{"model":"openai/gpt-4o-mini-tts","input":"Merhaba dünya","voice":"alloy","response_format":"mp3","speed":1.25,"instructions":"Calm."}"""),
    ];

    private static readonly string[] HugeNumbers =
    [
        "1e308", "1e400", "-1e400", "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890123456789",
        "-1", "-0.0", "0", "2147483648", "-2147483649", "4.9e-324", "1.7976931348623157e309", "0.30000000000000004", "1E+99999", "-5e-400",
    ];

    private static readonly string[] Oddities = ["NaN", "Infinity", "-Infinity", "1e999", "0x10", "", " ", "\u0000", "null", "true", "🙂", "\u202e", "%00", "../../etc/passwd"];

    private static readonly string[] WrongContentTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=",
        "application/json; charset=latin1", "application/octet-stream", "*/*", "application/json; boundary=\"", ";;;",
    ];

    private static readonly string[] BareTokens = ["NaN", "Infinity", "-Infinity", "undefined", "01", "+1", ".5", "1.", "tru", "nul", "'x'", "0xFF"];

    private static readonly int[] Depths = [65, 1_000, 5_000, 20_000];

    private static readonly string[] Escapes = ["\\ud800", "\\udfff\\ud800", "\\u0000", "\\x41", "\\", "\\u12", "\\uZZZZ"];

    private static readonly string[] WholeBodies = ["", "null", "[]", "[{}]", "\"text\"", "42", "{}", "{\"model\":\"llmtr/demo\",\"model\":1}", "{\"model\":\"llmtr/demo\"}", " \n\t "];

    private static readonly string[] TranscriptFormats = ["verbose_json", "srt", "vtt", "text", "xml", ""];

    private static readonly byte[][] InvalidUtf8 = [[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xE2, 0x82]];

    private static readonly string?[] MultipartContentTypes =
    [
        null, "multipart/form-data", "multipart/form-data; boundary=other", "application/json", "text/plain",
        $"multipart/mixed; boundary={Boundary}", $"multipart/form-data; boundary=\"{new string('b', 200)}\"",
    ];

    private static readonly string[] MultipartGarbage =
    [
        "{\"model\":\"openai/whisper-1\"}", "--" + Boundary + "--\r\n", "--" + Boundary + "\r\nContent-Disposition: form-data\r\n\r\nx\r\n--" + Boundary + "--\r\n",
        "--" + Boundary + "\r\n" + new string('H', 20_000) + ": x\r\n\r\nx\r\n--" + Boundary + "--\r\n", "", "--" + Boundary,
    ];

    /// <summary><paramref name="count"/> cases from <paramref name="seed"/>, plus the oversize bodies (limit: the host's largest body).</summary>
    public static List<CorpusCase> Generate(int seed, int count, int maxRequestBytes, int maxUploadBytes)
    {
        var random = new Random(seed);
        var cases = new List<CorpusCase>(count + 2_000);
        foreach (var (path, json) in JsonTemplates.DistinctBy(t => t.Path))
        {
            var big = new string('a', maxRequestBytes);
            var node = JsonNode.Parse(json)!;
            node[path == "/v1/embeddings" ? "input" : path == "/v1/images/generations" ? "prompt" : path == "/v1/audio/speech" ? "input" : "user"] = big;
            var body = Encoding.UTF8.GetBytes(node.ToJsonString());
            cases.Add(new CorpusCase(path, body, "application/json", "oversize body", Expect: CorpusExpectation.TooLarge));
            // Issue 18, finding 5: an oversize body without Content-Length got an empty 400, a 500 or a server stack trace.
            cases.Add(new CorpusCase(path, body, "application/json", "oversize body, chunked", Chunked: true, Expect: CorpusExpectation.TooLarge));
        }

        var upload = Transcription([("file", TestAudio.Wav(maxUploadBytes / 16_000 + 1), "big.wav", "audio/wav"), ("model", Encoding.UTF8.GetBytes("openai/whisper-1"), null, null)], "oversize upload");
        cases.Add(upload with { Expect = CorpusExpectation.TooLarge });
        // Larger than the whole form may be (the upload limit and a megabyte of room for the other fields).
        var hugeUpload = Transcription([("file", TestAudio.Wav((maxUploadBytes + (1024 * 1024)) / 16_000 + 2), "huge.wav", "audio/wav"), ("model", Encoding.UTF8.GetBytes("openai/whisper-1"), null, null)], "huge upload");
        cases.Add(upload with { Mutation = "oversize upload, chunked", Chunked = true, Expect = CorpusExpectation.TooLarge });
        cases.Add(hugeUpload with { Expect = CorpusExpectation.TooLarge });
        cases.Add(hugeUpload with { Mutation = "huge upload, chunked", Chunked = true, Expect = CorpusExpectation.TooLarge });
        cases.AddRange(WrongTypesAtEveryPath());
        cases.AddRange(ContentTypes());
        for (var generated = 0; generated < count; generated++)
        {
            cases.Add(random.Next(7) == 0 ? MutateTranscription(random) : MutateJson(random));
        }

        return cases;
    }

    /// <summary>
    /// Issue 18, finding 5: every value of every valid template, at any depth, replaced by each JSON type it is not
    /// (<c>"modalities":[{}]</c> and <c>"tool_choice":{"type":1}</c> were answered 500).
    /// </summary>
    public static IEnumerable<CorpusCase> WrongTypesAtEveryPath()
    {
        string[] replacements = ["\"x\"", "7", "true", "null", "{}", "[]"];
        foreach (var (path, template) in JsonTemplates)
        {
            var slotCount = Slots(JsonNode.Parse(template)!).Count;
            for (var slot = 0; slot < slotCount; slot++)
            {
                foreach (var replacement in replacements)
                {
                    var root = JsonNode.Parse(template)!;
                    var (parent, key, name) = Slots(root)[slot];
                    var original = Get(parent, key);
                    var value = JsonNode.Parse(replacement);
                    if (Kind(original) == Kind(value))
                    {
                        continue;
                    }

                    Set(parent, key, value);
                    yield return Json(path, root, $"{replacement} in place of {name}");
                }
            }
        }
    }

    /// <summary>Every JSON endpoint without a content type, with others that are not JSON's, and with the ways SDKs say JSON.</summary>
    public static IEnumerable<CorpusCase> ContentTypes()
    {
        string?[] refused = [null, "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/octet-stream", "application/jsonl", "json"];
        string[] accepted = ["application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8", "Application/JSON"];
        foreach (var (path, template) in JsonTemplates.DistinctBy(t => t.Path))
        {
            var body = Encoding.UTF8.GetBytes(JsonNode.Parse(template)!.ToJsonString());
            foreach (var contentType in refused)
            {
                // Issue 18, finding 5: these fell through to 404 unknown_url.
                yield return new CorpusCase(path, body, contentType, $"content type {contentType ?? "missing"}", Expect: CorpusExpectation.ContentTypeRefused);
            }

            foreach (var contentType in accepted)
            {
                yield return new CorpusCase(path, body, contentType, $"content type {contentType}", Expect: CorpusExpectation.ContentTypeAccepted);
            }
        }
    }

    private static CorpusCase MutateJson(Random random)
    {
        var (path, template) = JsonTemplates[random.Next(JsonTemplates.Length)];
        var root = JsonNode.Parse(template)!;
        var operation = random.Next(18);
        switch (operation)
        {
            case 0 or 1 or 2:
                {
                    var (parent, key) = PickSlot(root, random);
                    var value = WrongType(random);
                    Set(parent, key, value);
                    return Json(path, root, $"wrong type at {Describe(key)}");
                }

            case 3 or 4:
                {
                    var (parent, key) = PickSlot(root, random);
                    Remove(parent, key);
                    return Json(path, root, $"missing {Describe(key)}");
                }

            case 5:
                {
                    var objects = Nodes(root).OfType<JsonObject>().ToList();
                    objects[random.Next(objects.Count)][$"extra_{random.Next(1000)}"] = WrongType(random);
                    return Json(path, root, "extra field");
                }

            case 6 or 7:
                {
                    var (parent, key) = PickSlot(root, random);
                    var marker = $"\"@@{random.Next(1_000_000)}@@\"";
                    Set(parent, key, JsonValue.Create(marker.Trim('"')));
                    var text = root.ToJsonString().Replace(marker, HugeNumbers[random.Next(HugeNumbers.Length)], StringComparison.Ordinal);
                    return Raw(path, Encoding.UTF8.GetBytes(text), "application/json", $"huge or negative number at {Describe(key)}");
                }

            case 8:
                {
                    var (parent, key) = PickSlot(root, random);
                    Set(parent, key, JsonValue.Create(Oddities[random.Next(Oddities.Length)]));
                    return Json(path, root, $"odd string at {Describe(key)}");
                }

            case 9:
                {
                    var (parent, key) = PickSlot(root, random);
                    var marker = $"\"@@{random.Next(1_000_000)}@@\"";
                    Set(parent, key, JsonValue.Create(marker.Trim('"')));
                    var token = BareTokens[random.Next(BareTokens.Length)];
                    return Raw(path, Encoding.UTF8.GetBytes(root.ToJsonString().Replace(marker, token, StringComparison.Ordinal)), "application/json",
                        $"bare {token} at {Describe(key)}");
                }

            case 10:
                {
                    var (parent, key) = PickSlot(root, random);
                    var depth = Depths[random.Next(Depths.Length)];
                    var marker = $"\"@@{random.Next(1_000_000)}@@\"";
                    Set(parent, key, JsonValue.Create(marker.Trim('"')));
                    var nested = random.Next(2) == 0
                        ? new string('[', depth) + new string(']', depth)
                        : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                    return Raw(path, Encoding.UTF8.GetBytes(root.ToJsonString().Replace(marker, nested, StringComparison.Ordinal)), "application/json",
                        $"nesting {depth} deep at {Describe(key)}");
                }

            case 11:
                {
                    var bytes = Encoding.UTF8.GetBytes(root.ToJsonString()).ToList();
                    var quotes = Enumerable.Range(0, bytes.Count).Where(i => bytes[i] == (byte)'"').ToList();
                    var at = quotes[random.Next(quotes.Count)] + 1;
                    var insert = InvalidUtf8[random.Next(InvalidUtf8.Length)];
                    bytes.InsertRange(at, insert);
                    return Raw(path, bytes.ToArray(), "application/json", $"invalid UTF-8 {Convert.ToHexString(insert)}");
                }

            case 12:
                {
                    var text = root.ToJsonString();
                    var cut = random.Next(text.Length);
                    return Raw(path, Encoding.UTF8.GetBytes(text[..cut]), "application/json", $"cut at {cut}");
                }

            case 13:
                {
                    var (parent, key) = PickSlot(root, random);
                    var marker = $"@@{random.Next(1_000_000)}@@";
                    Set(parent, key, JsonValue.Create(marker));
                    var escape = Escapes[random.Next(Escapes.Length)];
                    return Raw(path, Encoding.UTF8.GetBytes(root.ToJsonString().Replace(marker, escape, StringComparison.Ordinal)), "application/json",
                        $"string escape {escape} at {Describe(key)}");
                }

            case 14:
                {
                    var body = WholeBodies[random.Next(WholeBodies.Length)];
                    return Raw(path, Encoding.UTF8.GetBytes(body), "application/json", "whole body replaced");
                }

            case 15:
                {
                    var text = root.ToJsonString();
                    var duplicate = text.Insert(1, random.Next(2) == 0 ? "\"model\":{\"x\":1}," : "\"messages\":7,");
                    return Raw(path, Encoding.UTF8.GetBytes(duplicate), "application/json", "duplicate field");
                }

            case 16:
                {
                    var contentType = random.Next(WrongContentTypes.Length + 1) is var i && i == WrongContentTypes.Length ? null : WrongContentTypes[i];
                    return Raw(path, Encoding.UTF8.GetBytes(root.ToJsonString()), contentType, $"content type {contentType ?? "missing"}");
                }

            default:
                {
                    var (parent, key) = PickSlot(root, random);
                    Set(parent, key, random.Next(2) == 0 ? new JsonArray() : new JsonObject());
                    return Json(path, root, $"empty container at {Describe(key)}");
                }
        }
    }

    private static CorpusCase MutateTranscription(Random random)
    {
        List<(string Name, byte[] Value, string? FileName, string? ContentType)> parts =
        [
            ("file", TestAudio.Wav(1), "speech.wav", "audio/wav"),
            ("model", Encoding.UTF8.GetBytes("openai/whisper-1"), null, null),
            ("response_format", Encoding.UTF8.GetBytes("json"), null, null),
            ("temperature", Encoding.UTF8.GetBytes("0"), null, null),
            ("language", Encoding.UTF8.GetBytes("tr"), null, null),
            ("prompt", Encoding.UTF8.GetBytes("Merhaba"), null, null),
        ];
        var index = random.Next(parts.Count);
        var name = parts[index].Name;
        switch (random.Next(10))
        {
            case 0:
                parts.RemoveAt(index);
                return Transcription(parts, $"missing part {name}");
            case 1:
                {
                    var odd = random.Next(3) == 0 ? HugeNumbers[random.Next(HugeNumbers.Length)] : Oddities[random.Next(Oddities.Length)];
                    parts[index] = parts[index] with { Value = Encoding.UTF8.GetBytes(odd) };
                    return Transcription(parts, $"odd value {odd} in {name}");
                }

            case 2:
                parts[index] = parts[index] with { Value = [0xFF, 0xC3, 0x28, 0xED, 0xA0, 0x80] };
                return Transcription(parts, $"invalid UTF-8 in {name}");
            case 3:
                parts.Add((parts[index].Name, parts[index].Value, parts[index].FileName, parts[index].ContentType));
                return Transcription(parts, $"duplicate part {name}");
            case 4:
                parts[0] = parts[0] with { Value = random.Next(2) == 0 ? [] : RandomBytes(random, random.Next(1, 2_000)), FileName = random.Next(2) == 0 ? "x.wav" : "notes.txt" };
                return Transcription(parts, "file not audio");
            case 5:
                {
                    var body = MultipartBody(parts);
                    var cut = random.Next(body.Length);
                    return Raw("/v1/audio/transcriptions", body[..cut], $"multipart/form-data; boundary={Boundary}", $"multipart cut at {cut}");
                }

            case 6:
                {
                    var contentType = MultipartContentTypes[random.Next(MultipartContentTypes.Length)];
                    return Raw("/v1/audio/transcriptions", MultipartBody(parts), contentType, $"multipart with content type {contentType ?? "missing"}");
                }

            case 7:
                {
                    var garbage = MultipartGarbage[random.Next(MultipartGarbage.Length)];
                    return Raw("/v1/audio/transcriptions", Encoding.UTF8.GetBytes(garbage), $"multipart/form-data; boundary={Boundary}", "multipart without proper parts");
                }

            case 8:
                parts[index] = parts[index] with { Name = random.Next(2) == 0 ? "" : "x\"y" + new string('n', random.Next(1, 300)) };
                return Transcription(parts, $"odd part name instead of {name}");
            default:
                parts.Add(($"timestamp_granularities[]", Encoding.UTF8.GetBytes(Oddities[random.Next(Oddities.Length)]), null, null));
                parts[2] = parts[2] with { Value = Encoding.UTF8.GetBytes(TranscriptFormats[random.Next(TranscriptFormats.Length)]) };
                return Transcription(parts, "odd format options");
        }
    }

    private static CorpusCase Transcription(List<(string Name, byte[] Value, string? FileName, string? ContentType)> parts, string mutation) =>
        Raw("/v1/audio/transcriptions", MultipartBody(parts), $"multipart/form-data; boundary={Boundary}", mutation);

    private static byte[] MultipartBody(List<(string Name, byte[] Value, string? FileName, string? ContentType)> parts)
    {
        using var body = new MemoryStream();
        foreach (var (name, value, fileName, contentType) in parts)
        {
            var head = new StringBuilder($"--{Boundary}\r\nContent-Disposition: form-data; name=\"{name}\"");
            if (fileName is not null)
            {
                head.Append(CultureInfo.InvariantCulture, $"; filename=\"{fileName}\"");
            }

            head.Append("\r\n");
            if (contentType is not null)
            {
                head.Append(CultureInfo.InvariantCulture, $"Content-Type: {contentType}\r\n");
            }

            head.Append("\r\n");
            body.Write(Encoding.UTF8.GetBytes(head.ToString()));
            body.Write(value);
            body.Write("\r\n"u8);
        }

        body.Write(Encoding.UTF8.GetBytes($"--{Boundary}--\r\n"));
        return body.ToArray();
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static JsonNode? WrongType(Random random) => random.Next(12) switch
    {
        0 => JsonValue.Create("x"),
        1 => JsonValue.Create(42),
        2 => JsonValue.Create(-1),
        3 => JsonValue.Create(1.5),
        4 => JsonValue.Create(true),
        5 => null,
        6 => new JsonArray(),
        7 => new JsonObject(),
        8 => new JsonArray(1, "a", null, new JsonObject()),
        9 => new JsonObject { ["a"] = 1, ["type"] = "text" },
        10 => JsonValue.Create(new string('z', random.Next(1, 70_000))),
        _ => new JsonArray(new JsonArray(new JsonArray())),
    };

    /// <summary>A random place in the document: a property of an object or an element of an array.</summary>
    private static (JsonNode Parent, object Key) PickSlot(JsonNode root, Random random)
    {
        var slots = new List<(JsonNode, object)>();
        foreach (var node in Nodes(root))
        {
            switch (node)
            {
                case JsonObject obj:
                    slots.AddRange(obj.Select(p => ((JsonNode)obj, (object)p.Key)));
                    break;
                case JsonArray array:
                    slots.AddRange(Enumerable.Range(0, array.Count).Select(i => ((JsonNode)array, (object)i)));
                    break;
            }
        }

        return slots[random.Next(slots.Count)];
    }

    /// <summary>Every place in the document, in document order, with its path for messages (<c>messages[1].content[0].type</c>).</summary>
    private static List<(JsonNode Parent, object Key, string Name)> Slots(JsonNode root)
    {
        var slots = new List<(JsonNode, object, string)>();
        void Walk(JsonNode node, string at)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (name, child) in obj.ToList())
                    {
                        var path = at.Length == 0 ? name : $"{at}.{name}";
                        slots.Add((obj, name, path));
                        if (child is not null)
                        {
                            Walk(child, path);
                        }
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        var path = $"{at}[{i}]";
                        slots.Add((array, i, path));
                        if (array[i] is { } child)
                        {
                            Walk(child, path);
                        }
                    }

                    break;
            }
        }

        Walk(root, "");
        return slots;
    }

    private static JsonNode? Get(JsonNode parent, object key) => parent is JsonObject obj ? obj[(string)key] : ((JsonArray)parent)[(int)key];

    private static JsonValueKind Kind(JsonNode? node) => node switch
    {
        null => JsonValueKind.Null,
        JsonObject => JsonValueKind.Object,
        JsonArray => JsonValueKind.Array,
        _ => node.GetValueKind() is JsonValueKind.False ? JsonValueKind.True : node.GetValueKind(),
    };

    private static IEnumerable<JsonNode> Nodes(JsonNode root)
    {
        yield return root;
        var children = root switch
        {
            JsonObject obj => obj.Select(p => p.Value),
            JsonArray array => array.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children)
        {
            if (child is not null)
            {
                foreach (var node in Nodes(child))
                {
                    yield return node;
                }
            }
        }
    }

    private static void Set(JsonNode parent, object key, JsonNode? value)
    {
        if (parent is JsonObject obj)
        {
            obj[(string)key] = value;
        }
        else
        {
            ((JsonArray)parent)[(int)key] = value;
        }
    }

    private static void Remove(JsonNode parent, object key)
    {
        if (parent is JsonObject obj)
        {
            obj.Remove((string)key);
        }
        else
        {
            ((JsonArray)parent).RemoveAt((int)key);
        }
    }

    private static string Describe(object key) => key is string name ? $"'{name}'" : $"[{key}]";

    private static CorpusCase Json(string path, JsonNode root, string mutation) =>
        Raw(path, Encoding.UTF8.GetBytes(root.ToJsonString()), "application/json", mutation);

    private static CorpusCase Raw(string path, byte[] body, string? contentType, string mutation) => new(path, body, contentType, mutation);
}

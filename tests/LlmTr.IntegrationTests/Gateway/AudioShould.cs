using System.ClientModel;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmTr.Testing.Upstreams;
using Microsoft.AspNetCore.Http;
using OpenAI.Audio;

namespace LlmTr.IntegrationTests.Gateway;

/// <summary>POST /v1/audio/speech and /v1/audio/transcriptions through the official SDK, billed per request and per audio minute.</summary>
public sealed class AudioShould(MediaFixture fixture) : IClassFixture<MediaFixture>
{
    [Fact]
    public async Task RelaySpeechAudioAndBillTheRequest()
    {
        var audio = TestAudio.Wav(seconds: 1);
        fixture.OpenAi.Respond = async (_, context) =>
        {
            context.Response.ContentType = "audio/wav";
            await context.Response.Body.WriteAsync(audio);
        };
        var (userId, _, client) = await fixture.ClientAsync();

        var speech = (await client.GetAudioClient("openai/gpt-4o-mini-tts").GenerateSpeechAsync("Merhaba dünya!", GeneratedSpeechVoice.Alloy,
            new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Wav, SpeedRatio = 1.25f })).Value;

        Assert.Equal(audio, speech.ToArray());
        var received = fixture.OpenAi.Last;
        Assert.Equal("/v1/audio/speech", received.PathAndQuery);
        Assert.Equal($"Bearer {GatewayHost.UpstreamKey("openai")}", received.Header("Authorization"));
        Assert.Equal("gpt-4o-mini-tts", received.Json.GetProperty("model").GetString());
        Assert.Equal("Merhaba dünya!", received.Json.GetProperty("input").GetString());
        Assert.Equal("alloy", received.Json.GetProperty("voice").GetString());
        Assert.Equal("wav", received.Json.GetProperty("response_format").GetString());
        var usage = await fixture.UsageAsync(userId);
        Assert.Equal(4, usage.Prompt); // 14 characters at about four a token, rounded up
        Assert.Equal(0.001m + (4 * 0.60m / 1_000_000m), usage.Cost);
    }

    [Fact]
    public async Task SendTheCostOfSpeechInAHeader()
    {
        fixture.OpenAi.Respond = async (_, context) =>
        {
            context.Response.ContentType = "audio/mpeg";
            await context.Response.Body.WriteAsync(new byte[] { 0xFF, 0xFB, 0x90, 0x00 });
        };
        var (_, key, _) = await fixture.ClientAsync();

        using var response = await SendAsync(key, "/v1/audio/speech", new StringContent("""{"model":"openai/gpt-4o-mini-tts","input":"Hi","voice":"alloy"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/mpeg", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(0.001m + (1 * 0.60m / 1_000_000m), decimal.Parse(Assert.Single(response.Headers.GetValues("x-llmtr-cost")), CultureInfo.InvariantCulture));
        Assert.Equal("USD", Assert.Single(response.Headers.GetValues("x-llmtr-cost-currency")));
    }

    [Fact]
    public async Task UploadTheAudioForTranscriptionAndBillTheProvidersMinutes()
    {
        var audio = TestAudio.Wav(seconds: 2);
        fixture.OpenAi.Respond = (_, context) => Sse.JsonAsync(context, 200, """{"text":"Merhaba dünya","usage":{"type":"duration","seconds":90}}""");
        var (userId, _, client) = await fixture.ClientAsync();

        using var file = new MemoryStream(audio);
        var transcription = (await client.GetAudioClient("openai/whisper-1").TranscribeAudioAsync(file, "greeting.wav",
            new AudioTranscriptionOptions { Language = "tr", Temperature = 0.2f })).Value;

        Assert.Equal("Merhaba dünya", transcription.Text);
        var received = fixture.OpenAi.Last;
        Assert.Equal("/v1/audio/transcriptions", received.PathAndQuery);
        Assert.Equal($"Bearer {GatewayHost.UpstreamKey("openai")}", received.Header("Authorization"));
        var parts = await MediaFixture.PartsAsync(received);
        Assert.Equal("whisper-1", parts["model"].Text);
        Assert.Equal("tr", parts["language"].Text);
        Assert.Equal(audio, parts["file"].Bytes);
        Assert.Equal("greeting.wav", parts["file"].FileName);
        var usage = await fixture.UsageAsync(userId);
        Assert.Equal(1.5m, usage.AudioMinutes);
        Assert.Equal(1.5m * 0.006m, usage.Cost);
    }

    [Fact]
    public async Task AnswerPlainTextButAskTheProviderForJsonAndBillTheWavLength()
    {
        var audio = TestAudio.Wav(seconds: 3);
        fixture.OpenAi.Respond = (_, context) => Sse.JsonAsync(context, 200, """{"text":"Üç saniye."}""");
        var (userId, key, _) = await fixture.ClientAsync();

        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(audio), "file", "three.wav" },
            { new StringContent("openai/whisper-1"), "model" },
            { new StringContent("text"), "response_format" },
        };
        using var response = await SendAsync(key, "/v1/audio/transcriptions", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Üç saniye.\n", await response.Content.ReadAsStringAsync());
        Assert.Equal("json", (await MediaFixture.PartsAsync(fixture.OpenAi.Last))["response_format"].Text);
        var usage = await fixture.UsageAsync(userId);
        Assert.Equal(0.05m, usage.AudioMinutes);
        Assert.Equal(0.05m * 0.006m, usage.Cost);
    }

    [Fact]
    public async Task BillSubtitlesByTheirLastCue()
    {
        fixture.OpenAi.Respond = async (_, context) =>
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("1\n00:00:00,000 --> 00:00:04,000\nMerhaba\n\n2\n00:00:04,000 --> 00:01:12,000\ndünya\n");
        };
        var (userId, _, client) = await fixture.ClientAsync();

        using var file = new MemoryStream(new byte[] { 0xFF, 0xFB, 0x90, 0x00 });
        var transcription = await client.GetAudioClient("openai/whisper-1").TranscribeAudioAsync(file, "talk.mp3",
            new AudioTranscriptionOptions { ResponseFormat = AudioTranscriptionFormat.Srt });

        Assert.Contains("00:01:12,000", transcription.GetRawResponse().Content.ToString(), StringComparison.Ordinal);
        Assert.Equal(1.2m, (await fixture.UsageAsync(userId)).AudioMinutes);
    }

    [Fact]
    public async Task RefuseAFileAboveTheUploadLimitWith413()
    {
        var before = fixture.OpenAi.Server.Received.Count;
        var (_, key, _) = await fixture.ClientAsync();

        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(new byte[MediaFixture.MaxUploadBytes + 1]), "file", "long.wav" },
            { new StringContent("openai/whisper-1"), "model" },
        };
        using var response = await SendAsync(key, "/v1/audio/transcriptions", form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var error = await ErrorAsync(response);
        Assert.Equal(("file_too_large", "file"), (error.Code, error.Param));
        Assert.Equal(before, fixture.OpenAi.Server.Received.Count);
    }

    public static TheoryData<string, Func<HttpContent>, string, string> BadUploads => new()
    {
        { "JSON instead of a form", () => new StringContent("""{"model":"openai/whisper-1"}""", Encoding.UTF8, "application/json"), "file", "This endpoint takes 'multipart/form-data'" },
        { "a broken multipart body", () => Broken(), "file", "The multipart body could not be read" },
        { "no file", () => new MultipartFormDataContent { { new StringContent("openai/whisper-1"), "model" } }, "file", "'file' is required" },
        { "no model", () => new MultipartFormDataContent { { new ByteArrayContent(TestAudio.Wav(1)), "file", "a.wav" } }, "model", "'model' is required" },
        { "not audio", () => new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "file", "notes.txt" }, { new StringContent("openai/whisper-1"), "model" } }, "file", "'file' must be audio" },
        { "a bad format", () => Form(("response_format", "docx")), "response_format", "'response_format' must be one of" },
        { "a bad temperature", () => Form(("temperature", "7")), "temperature", "'temperature' must be a number from 0 to 1." },
        { "a chat model", () => Form(("model", "openai/gpt-4o")), "model", "The model 'openai/gpt-4o' does not support transcription" },
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task RefuseABadUploadWith400NamingTheField(string upload, Func<HttpContent> content, string param, string message)
    {
        _ = upload;
        var before = fixture.OpenAi.Server.Received.Count;
        var (_, key, _) = await fixture.ClientAsync();

        using var body = content();
        using var response = await SendAsync(key, "/v1/audio/transcriptions", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorAsync(response);
        Assert.Equal(("invalid_request_error", param), (error.Type, error.Param));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, fixture.OpenAi.Server.Received.Count);
    }

    [Theory]
    [InlineData("""{"model":"openai/gpt-4o-mini-tts","voice":"alloy"}""", "input")]
    [InlineData("""{"model":"openai/gpt-4o-mini-tts","input":"Hi"}""", "voice")]
    [InlineData("""{"model":"openai/gpt-4o-mini-tts","input":"Hi","voice":"alloy","speed":9}""", "speed")]
    [InlineData("""{"model":"openai/gpt-4o-mini-tts","input":"Hi","voice":"alloy","response_format":"mid"}""", "response_format")]
    [InlineData("""{"model":"openai/whisper-1","input":"Hi","voice":"alloy"}""", "model")]
    public async Task RefuseABadSpeechRequestWith400NamingTheField(string body, string param)
    {
        var before = fixture.OpenAi.Server.Received.Count;
        var (_, key, _) = await fixture.ClientAsync();

        using var response = await SendAsync(key, "/v1/audio/speech", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(param, (await ErrorAsync(response)).Param);
        Assert.Equal(before, fixture.OpenAi.Server.Received.Count);
    }

    private static MultipartFormDataContent Form(params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(TestAudio.Wav(1)), "file", "a.wav" } };
        if (fields.All(f => f.Name != "model"))
        {
            form.Add(new StringContent("openai/whisper-1"), "model");
        }

        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return form;
    }

    private static ByteArrayContent Broken()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("--xyz\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nopenai/whisper-1\r\n--xyz\r\nContent-Disp"));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");
        return content;
    }

    private async Task<HttpResponseMessage> SendAsync(string key, string path, HttpContent content)
    {
        using var client = fixture.Gateway.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await client.SendAsync(request);
    }

    private static async Task<(string Type, string? Code, string? Param, string Message)> ErrorAsync(HttpResponseMessage response)
    {
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        return (error.GetProperty("type").GetString()!, error.GetProperty("code").GetString(), error.GetProperty("param").GetString(), error.GetProperty("message").GetString()!);
    }
}

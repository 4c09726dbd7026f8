using System.ClientModel;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LlmTr.Testing.Upstreams;
using OpenAI.Chat;

// The SDK marks audio parts, file parts and audio output as evaluation APIs; they are exactly what these tests exercise.
#pragma warning disable OPENAI001

namespace LlmTr.IntegrationTests.Gateway;

/// <summary>Image, audio and file parts and audio output in chat, through the official SDK, as each provider protocol received them.</summary>
public sealed class ChatMediaPartsShould(MediaFixture fixture) : IClassFixture<MediaFixture>
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] WavClip = [0x52, 0x49, 0x46, 0x46, 0x24, 0x00, 0x00, 0x00, 0x57, 0x41, 0x56, 0x45];
    private static readonly byte[] Pdf = [0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37];

    [Fact]
    public async Task PassImagePartsToAnOpenAiCompatibleProviderUntouched()
    {
        fixture.OpenAi.Respond = (_, context) => Sse.JsonAsync(context, 200, FakeOpenAi.Completion("Two cats."));
        var chat = await ChatAsync("openai/gpt-4o");

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("What is in these?"),
            ChatMessageContentPart.CreateImagePart(new Uri("https://images.example.com/cat.jpg"), ChatImageDetailLevel.Low),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(Png), "image/png"))]);

        Assert.Equal("Two cats.", completion.Content[0].Text);
        var content = fixture.OpenAi.Last.Json.GetProperty("messages")[0].GetProperty("content");
        Assert.Equal("https://images.example.com/cat.jpg", content[1].GetProperty("image_url").GetProperty("url").GetString());
        Assert.Equal("low", content[1].GetProperty("image_url").GetProperty("detail").GetString());
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(Png), content[2].GetProperty("image_url").GetProperty("url").GetString());
    }

    [Fact]
    public async Task PassAudioInputAndAudioOutputToAnOpenAiCompatibleProvider()
    {
        fixture.OpenAi.Respond = (_, context) => Sse.JsonAsync(context, 200, JsonSerializer.Serialize(new
        {
            id = "chatcmpl-upstream-1",
            @object = "chat.completion",
            created = 1_739_200_000,
            model = "gpt-4o-audio-preview",
            choices = new[]
            {
                new
                {
                    index = 0,
                    message = new { role = "assistant", content = (string?)null, refusal = (string?)null, audio = new { id = "audio_1", data = Convert.ToBase64String(WavClip), expires_at = 1_739_203_600, transcript = "Merhaba!" } },
                    finish_reason = "stop",
                },
            },
            usage = FakeOpenAi.Usage(40, 25),
        }));
        var chat = await ChatAsync("openai/gpt-4o-audio-preview");

        ChatCompletion completion = await chat.CompleteChatAsync(
            [new UserChatMessage(ChatMessageContentPart.CreateInputAudioPart(BinaryData.FromBytes(WavClip), ChatInputAudioFormat.Wav))],
            new ChatCompletionOptions
            {
                ResponseModalities = ChatResponseModalities.Text | ChatResponseModalities.Audio,
                AudioOptions = new ChatAudioOptions(ChatOutputAudioVoice.Alloy, ChatOutputAudioFormat.Wav),
            });

        Assert.Equal(WavClip, completion.OutputAudio.AudioBytes.ToArray());
        Assert.Equal("Merhaba!", completion.OutputAudio.Transcript);
        var body = fixture.OpenAi.Last.Json;
        var audio = body.GetProperty("messages")[0].GetProperty("content")[0].GetProperty("input_audio");
        Assert.Equal((Convert.ToBase64String(WavClip), "wav"), (audio.GetProperty("data").GetString(), audio.GetProperty("format").GetString()));
        Assert.Equal(["text", "audio"], body.GetProperty("modalities").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(("alloy", "wav"), (body.GetProperty("audio").GetProperty("voice").GetString(), body.GetProperty("audio").GetProperty("format").GetString()));
    }

    [Fact]
    public async Task TranslateAFilePartToAnAnthropicDocument()
    {
        fixture.Anthropic.AnswerWith(FakeAnthropic.Message(FakeAnthropic.Text("A one-page report.")));
        var chat = await ChatAsync("anthropic/claude-sonnet-4.5");

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("Summarise this."),
            ChatMessageContentPart.CreateFilePart(BinaryData.FromBytes(Pdf), "application/pdf", "report.pdf"))]);

        Assert.Equal("A one-page report.", completion.Content[0].Text);
        var document = fixture.Anthropic.Last.Json.GetProperty("messages")[0].GetProperty("content")[1];
        Assert.Equal("document", document.GetProperty("type").GetString());
        Assert.Equal(("base64", "application/pdf"), (document.GetProperty("source").GetProperty("type").GetString(), document.GetProperty("source").GetProperty("media_type").GetString()));
        Assert.Equal(Pdf, Convert.FromBase64String(document.GetProperty("source").GetProperty("data").GetString()!));
        Assert.Equal("report.pdf", document.GetProperty("title").GetString());
    }

    [Fact]
    public async Task TranslateAudioAndFilePartsToGeminiInlineData()
    {
        var gemini = fixture.Gemini.Reset();
        gemini.Then(FakeGemini.Json(FakeGemini.Text("A greeting and a report.")));
        var chat = await ChatAsync("google/gemini-2.5-flash");

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage(
            ChatMessageContentPart.CreateInputAudioPart(BinaryData.FromBytes(WavClip), ChatInputAudioFormat.Wav),
            ChatMessageContentPart.CreateFilePart(BinaryData.FromBytes(Pdf), "application/pdf", "report.pdf"))]);

        Assert.Equal("A greeting and a report.", completion.Content[0].Text);
        var parts = gemini.OnlyRequest().Json.GetProperty("contents")[0].GetProperty("parts");
        Assert.Equal("audio/wav", parts[0].GetProperty("inlineData").GetProperty("mimeType").GetString());
        Assert.Equal(WavClip, Convert.FromBase64String(parts[0].GetProperty("inlineData").GetProperty("data").GetString()!));
        Assert.Equal("application/pdf", parts[1].GetProperty("inlineData").GetProperty("mimeType").GetString());
        Assert.Equal(Pdf, Convert.FromBase64String(parts[1].GetProperty("inlineData").GetProperty("data").GetString()!));
    }

    public static TheoryData<string, Func<ChatMessage>, ChatCompletionOptions?, string, string> Unsupported => new()
    {
        { "openai/gpt-4o", () => new UserChatMessage(ChatMessageContentPart.CreateTextPart("Listen:"), ChatMessageContentPart.CreateInputAudioPart(BinaryData.FromBytes(WavClip), ChatInputAudioFormat.Wav)), null, "messages[0].content[1]", "The model 'openai/gpt-4o' does not support audio input." },
        { "openai/gpt-4o", () => new UserChatMessage(ChatMessageContentPart.CreateFilePart(BinaryData.FromBytes(Pdf), "application/pdf", "r.pdf")), null, "messages[0].content[0]", "The model 'openai/gpt-4o' does not support file input." },
        { "openai/gpt-4o-audio-preview", () => new UserChatMessage(ChatMessageContentPart.CreateImagePart(new Uri("https://images.example.com/cat.jpg"))), null, "messages[0].content[0]", "The model 'openai/gpt-4o-audio-preview' does not support image input." },
        { "openai/gpt-4o", () => new UserChatMessage("Say hi"), new ChatCompletionOptions { ResponseModalities = ChatResponseModalities.Text | ChatResponseModalities.Audio, AudioOptions = new ChatAudioOptions(ChatOutputAudioVoice.Alloy, ChatOutputAudioFormat.Wav) }, "modalities", "The model 'openai/gpt-4o' does not support audio output." },
        { "openai/text-embedding-3-small", () => new UserChatMessage("Hi"), null, "model", "The model 'openai/text-embedding-3-small' does not support chat completions." },
    };

    [Theory]
    [MemberData(nameof(Unsupported))]
    public async Task RefuseAPartOrOutputTheModelLacksBeforeAnyUpstreamCall(string model, Func<ChatMessage> message, ChatCompletionOptions? options, string param, string text)
    {
        var before = fixture.OpenAi.Server.Received.Count;
        var chat = await ChatAsync(model);

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([message()], options));

        Assert.Equal(400, failure.Status);
        var error = JsonDocument.Parse(failure.GetRawResponse()!.Content).RootElement.GetProperty("error");
        Assert.Equal(("invalid_request_error", "unsupported_feature", param), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString(), error.GetProperty("param").GetString()));
        Assert.StartsWith(text, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, fixture.OpenAi.Server.Received.Count);
    }

    [Fact]
    public async Task RefuseAnInlineImageAboveTheItemLimitWith413()
    {
        var before = fixture.OpenAi.Server.Received.Count;
        var chat = await ChatAsync("openai/gpt-4o");

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("What is this?"),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(new byte[MediaFixture.MaxInlineBytes]), "image/png"))]));

        Assert.Equal(413, failure.Status);
        var error = JsonDocument.Parse(failure.GetRawResponse()!.Content).RootElement.GetProperty("error");
        Assert.Equal(("file_too_large", "messages[0].content[1]"), (error.GetProperty("code").GetString(), error.GetProperty("param").GetString()));
        Assert.Equal(before, fixture.OpenAi.Server.Received.Count);
    }

    [Fact]
    public async Task NeverFetchAUsersImageUrlItselfButHandItToTheProvider()
    {
        // A listener on this machine's loopback stands for an internal address (metadata service, admin port): the
        // gateway must pass the URL on to the provider, never open a connection to it from the inside.
        var inside = new TcpListener(IPAddress.Loopback, 0);
        inside.Start();
        try
        {
            var url = $"http://127.0.0.1:{((IPEndPoint)inside.LocalEndpoint).Port}/latest/meta-data/cat.jpg";
            fixture.OpenAi.Respond = (_, context) => Sse.JsonAsync(context, 200, FakeOpenAi.Completion("A cat."));
            fixture.Anthropic.AnswerWith(FakeAnthropic.Message(FakeAnthropic.Text("A cat.")));
            var gemini = fixture.Gemini.Reset();
            gemini.Then(FakeGemini.Json(FakeGemini.Text("A cat.")));

            foreach (var model in new[] { "openai/gpt-4o", "anthropic/claude-sonnet-4.5", "google/gemini-2.5-flash" })
            {
                var chat = await ChatAsync(model);
                await chat.CompleteChatAsync([new UserChatMessage(
                    ChatMessageContentPart.CreateTextPart("What is this?"), ChatMessageContentPart.CreateImagePart(new Uri(url)))]);
            }

            Assert.Equal(url, fixture.OpenAi.Last.Json.GetProperty("messages")[0].GetProperty("content")[1].GetProperty("image_url").GetProperty("url").GetString());
            Assert.Equal(url, fixture.Anthropic.Last.Json.GetProperty("messages")[0].GetProperty("content")[1].GetProperty("source").GetProperty("url").GetString());
            Assert.Equal(url, gemini.OnlyRequest().Json.GetProperty("contents")[0].GetProperty("parts")[1].GetProperty("fileData").GetProperty("fileUri").GetString());
            Assert.False(inside.Pending(), "the gateway connected to the user's image URL");
        }
        finally
        {
            inside.Stop();
        }
    }

    private async Task<ChatClient> ChatAsync(string model)
    {
        var (_, key) = await fixture.Gateway.FundedKeyAsync();
        return fixture.Gateway.Chat(key.RawKey, model);
    }
}

namespace LlmTr.Modules.Catalog.Contracts;

/// <summary>How the gateway talks to a provider.</summary>
public enum ApiProtocol
{
    OpenAi,
    AnthropicMessages,
    Gemini,
}

public enum ProviderStatus
{
    Active,
    Disabled,
}

public enum ModelStatus
{
    Active,
    Preview,
    Deprecated,
    Disabled,
}

public enum ModelVisibility
{
    Public,
    Private,
}

/// <summary>What a price is per. Token prices are per one million tokens.</summary>
public enum PriceUnit
{
    InputTokensPerMillion,
    OutputTokensPerMillion,
    CachedInputTokensPerMillion,
    Image,
    AudioMinute,
    Request,
}

public static class Modalities
{
    public const string Text = "text";
    public const string Image = "image";
    public const string Audio = "audio";
    public const string File = "file";
    public const string Embedding = "embedding";

    public static IReadOnlySet<string> Input { get; } = new HashSet<string>(StringComparer.Ordinal) { Text, Image, Audio, File };

    public static IReadOnlySet<string> Output { get; } = new HashSet<string>(StringComparer.Ordinal) { Text, Image, Audio, Embedding };
}

public static class Operations
{
    public const string Chat = "chat";
    public const string Streaming = "streaming";
    public const string Tools = "tools";
    public const string JsonMode = "json_mode";
    public const string StructuredOutput = "structured_output";
    public const string Embeddings = "embeddings";
    public const string ImageGeneration = "image_generation";
    public const string Speech = "speech";
    public const string Transcription = "transcription";
    public const string WebSearch = "web_search";
    public const string Reasoning = "reasoning";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        Chat, Streaming, Tools, JsonMode, StructuredOutput, Embeddings, ImageGeneration, Speech, Transcription, WebSearch, Reasoning,
    };
}

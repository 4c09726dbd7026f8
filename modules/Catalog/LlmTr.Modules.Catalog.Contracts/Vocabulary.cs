namespace LlmTr.Modules.Catalog.Contracts;

/// <summary>How the gateway talks to a provider.</summary>
public enum ApiProtocol
{
    OpenAi,
    AnthropicMessages,
    Gemini,

    /// <summary>
    /// Azure OpenAI's OpenAI-compatible endpoint (<c>https://{resource}.openai.azure.com/openai/v1</c>): OpenAI's wire
    /// format, with the credential in an <c>api-key</c> header. A deployment's protocol only: providers speak the others.
    /// </summary>
    AzureOpenAi,
}

/// <summary>Whether a deployment takes traffic.</summary>
public enum DeploymentStatus
{
    /// <summary>Takes its share of the model's traffic.</summary>
    Active,

    /// <summary>Kept in the catalog, sent nothing: its data path no longer counts for the model either.</summary>
    Disabled,
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

/// <summary>
/// What a price is per: the units of a provider's bill. Token prices are per one million tokens. A part of the prompt
/// or of the output with a unit of its own (cache reads and writes, audio, images, reasoning) is charged at that unit's
/// price when the model has one, and at the plain input or output price when it has not: a provider that prices a part
/// like the rest needs no row for it. The order is the order prices are shown in.
/// </summary>
public enum PriceUnit
{
    /// <summary>Prompt tokens not counted under another unit.</summary>
    InputTokensPerMillion,

    /// <summary>Prompt tokens read from the provider's prompt cache (OpenAI <c>cached_tokens</c>, Anthropic <c>cache_read_input_tokens</c>, Gemini <c>cachedContentTokenCount</c>).</summary>
    CachedInputTokensPerMillion,

    /// <summary>Prompt tokens written to a cache that lives five minutes (Anthropic's default <c>cache_control</c>).</summary>
    CacheWrite5mTokensPerMillion,

    /// <summary>Prompt tokens written to a cache that lives one hour (Anthropic's <c>ttl: "1h"</c>).</summary>
    CacheWrite1hTokensPerMillion,

    /// <summary>Audio in the prompt, in tokens (<c>prompt_tokens_details.audio_tokens</c>, Gemini's AUDIO modality).</summary>
    AudioInputTokensPerMillion,

    /// <summary>Images in the prompt, in tokens (image edits' <c>input_tokens_details.image_tokens</c>, Gemini's IMAGE modality).</summary>
    ImageInputTokensPerMillion,

    /// <summary>Output tokens not counted under another unit.</summary>
    OutputTokensPerMillion,

    /// <summary>Reasoning (thinking) tokens, for a provider that prices them apart from the rest of the output.</summary>
    ReasoningTokensPerMillion,

    /// <summary>Spoken output, in tokens (<c>completion_tokens_details.audio_tokens</c>).</summary>
    AudioOutputTokensPerMillion,

    /// <summary>Generated images, in tokens (GPT Image's <c>output_tokens</c>, Gemini's IMAGE output modality).</summary>
    ImageOutputTokensPerMillion,

    /// <summary>One generated image; a price may name a variant (<c>1024x1024/high</c>) and then applies to that size and quality only.</summary>
    Image,

    /// <summary>One minute of audio (transcription), counted to the second.</summary>
    AudioMinute,

    /// <summary>One second of audio, for a provider that bills by the second.</summary>
    AudioSecond,

    /// <summary>One web search the provider ran for the request.</summary>
    WebSearch,

    /// <summary>One call of a tool the provider runs itself (file search, code execution), web search aside.</summary>
    ToolCall,

    /// <summary>One request that consumed something or succeeded.</summary>
    Request,
}

/// <summary>What each price unit is per, in the API's words and in people's (English and Turkish): one vocabulary for
/// <c>/api/models</c>, the model pages and the docs.</summary>
public static class PriceUnits
{
    /// <summary>Units whose price is per one million tokens.</summary>
    public static bool IsPerMillionTokens(PriceUnit unit) => unit is PriceUnit.InputTokensPerMillion or PriceUnit.CachedInputTokensPerMillion
        or PriceUnit.CacheWrite5mTokensPerMillion or PriceUnit.CacheWrite1hTokensPerMillion or PriceUnit.AudioInputTokensPerMillion
        or PriceUnit.ImageInputTokensPerMillion or PriceUnit.OutputTokensPerMillion or PriceUnit.ReasoningTokensPerMillion
        or PriceUnit.AudioOutputTokensPerMillion or PriceUnit.ImageOutputTokensPerMillion;

    /// <summary>The unit's name in <c>/api/models</c> (snake case; stable once published).</summary>
    public static string ApiName(PriceUnit unit) => unit switch
    {
        PriceUnit.InputTokensPerMillion => "input_tokens_per_million",
        PriceUnit.CachedInputTokensPerMillion => "cached_input_tokens_per_million",
        PriceUnit.CacheWrite5mTokensPerMillion => "cache_write_5m_tokens_per_million",
        PriceUnit.CacheWrite1hTokensPerMillion => "cache_write_1h_tokens_per_million",
        PriceUnit.AudioInputTokensPerMillion => "audio_input_tokens_per_million",
        PriceUnit.ImageInputTokensPerMillion => "image_input_tokens_per_million",
        PriceUnit.OutputTokensPerMillion => "output_tokens_per_million",
        PriceUnit.ReasoningTokensPerMillion => "reasoning_tokens_per_million",
        PriceUnit.AudioOutputTokensPerMillion => "audio_output_tokens_per_million",
        PriceUnit.ImageOutputTokensPerMillion => "image_output_tokens_per_million",
        PriceUnit.Image => "image",
        PriceUnit.AudioMinute => "audio_minute",
        PriceUnit.AudioSecond => "audio_second",
        PriceUnit.WebSearch => "web_search",
        PriceUnit.ToolCall => "tool_call",
        PriceUnit.Request => "request",
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "A price unit without an API name."),
    };

    /// <summary>The unit named <paramref name="apiName"/> in <c>/api/models</c> (a cost line names its unit so).</summary>
    public static PriceUnit FromApiName(string apiName) =>
        Enum.GetValues<PriceUnit>().First(unit => string.Equals(ApiName(unit), apiName, StringComparison.Ordinal));

    /// <summary>What the unit counts, in English and Turkish.</summary>
    public static LocalizedText Meaning(PriceUnit unit) => unit switch
    {
        PriceUnit.InputTokensPerMillion => new("Prompt tokens not priced under another unit", "Başka bir birimle fiyatlanmayan istem token'ları"),
        PriceUnit.CachedInputTokensPerMillion => new("Prompt tokens read from the provider's prompt cache", "Sağlayıcının istem önbelleğinden okunan istem token'ları"),
        PriceUnit.CacheWrite5mTokensPerMillion => new("Prompt tokens written to a cache that lives 5 minutes", "5 dakika yaşayan önbelleğe yazılan istem token'ları"),
        PriceUnit.CacheWrite1hTokensPerMillion => new("Prompt tokens written to a cache that lives 1 hour", "1 saat yaşayan önbelleğe yazılan istem token'ları"),
        PriceUnit.AudioInputTokensPerMillion => new("Audio in the prompt, in tokens", "İstemdeki ses, token olarak"),
        PriceUnit.ImageInputTokensPerMillion => new("Images in the prompt, in tokens", "İstemdeki görseller, token olarak"),
        PriceUnit.OutputTokensPerMillion => new("Output tokens not priced under another unit", "Başka bir birimle fiyatlanmayan çıktı token'ları"),
        PriceUnit.ReasoningTokensPerMillion => new("Reasoning (thinking) tokens, where priced apart from the output", "Çıktıdan ayrı fiyatlandığında akıl yürütme (düşünme) token'ları"),
        PriceUnit.AudioOutputTokensPerMillion => new("Spoken output, in tokens", "Sesli çıktı, token olarak"),
        PriceUnit.ImageOutputTokensPerMillion => new("Generated images, in tokens", "Üretilen görseller, token olarak"),
        PriceUnit.Image => new("One generated image (a price may name its size and quality)", "Üretilen bir görsel (fiyat boyut ve kalite belirtebilir)"),
        PriceUnit.AudioMinute => new("One minute of audio, counted to the second", "Bir dakika ses, saniyesine kadar sayılır"),
        PriceUnit.AudioSecond => new("One second of audio", "Bir saniye ses"),
        PriceUnit.WebSearch => new("One web search the provider ran", "Sağlayıcının yaptığı bir web araması"),
        PriceUnit.ToolCall => new("One call of a tool the provider runs itself (file search, code execution)", "Sağlayıcının kendisinin çalıştırdığı bir araç çağrısı (dosya arama, kod çalıştırma)"),
        PriceUnit.Request => new("One request that succeeded or consumed something", "Başarılı olan ya da bir şey tüketen bir istek"),
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "A price unit without a meaning."),
    };

    /// <summary>What one price is for: "per 1M tokens", "per image", in English and Turkish.</summary>
    public static LocalizedText Per(PriceUnit unit) => unit switch
    {
        _ when IsPerMillionTokens(unit) => new("per 1M tokens", "1M token başına"),
        PriceUnit.Image => new("per image", "görsel başına"),
        PriceUnit.AudioMinute => new("per audio minute", "ses dakikası başına"),
        PriceUnit.AudioSecond => new("per audio second", "ses saniyesi başına"),
        PriceUnit.WebSearch => new("per web search", "web araması başına"),
        PriceUnit.ToolCall => new("per tool call", "araç çağrısı başına"),
        PriceUnit.Request => new("per request", "istek başına"),
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "A price unit without a quantity."),
    };
}

/// <summary>Price variants: what an image price may be narrowed to.</summary>
public static class PriceVariants
{
    /// <summary>Image qualities providers price apart.</summary>
    public static IReadOnlySet<string> ImageQualities { get; } = new HashSet<string>(StringComparer.Ordinal) { "low", "medium", "high", "standard", "hd" };

    /// <summary>The variant an image of <paramref name="size"/> and <paramref name="quality"/> is priced under: <c>1024x1024/high</c>, or null without a size.</summary>
    public static string? OfImage(string? size, string? quality) =>
        string.IsNullOrEmpty(size) ? null : string.IsNullOrEmpty(quality) ? size : $"{size}/{quality}";

    /// <summary>Whether <paramref name="variant"/> is a well-formed image variant: <c>WIDTHxHEIGHT</c>, optionally <c>/quality</c>.</summary>
    public static bool IsImageVariant(string variant)
    {
        var slash = variant.IndexOf('/', StringComparison.Ordinal);
        var size = slash < 0 ? variant : variant[..slash];
        if (slash >= 0 && !ImageQualities.Contains(variant[(slash + 1)..]))
        {
            return false;
        }

        var x = size.IndexOf('x', StringComparison.Ordinal);
        return x > 0 && x < size.Length - 1 && IsDimension(size[..x]) && IsDimension(size[(x + 1)..]);
    }

    private static bool IsDimension(string text) =>
        text.Length is > 0 and <= 5 && text[0] != '0' && text.All(char.IsAsciiDigit);
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

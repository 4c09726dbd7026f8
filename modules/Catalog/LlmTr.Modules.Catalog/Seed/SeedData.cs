using LlmTr.Modules.Catalog.Contracts;
using static LlmTr.Modules.Catalog.Contracts.PriceUnit;

namespace LlmTr.Modules.Catalog.Seed;

/// <summary>The seed catalog's content. Prices are in the platform currency per the unit named beside each.</summary>
internal static class SeedData
{
    public static readonly DateTimeOffset PricesFrom = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// When the seed's second price list takes effect: the units of the providers' bills that the first list priced as
    /// plain input or output, or not at all (cache writes, audio tokens, image tokens, searches), with the amounts the
    /// providers' public price pages give for them on this date.
    /// </summary>
    public static readonly DateTimeOffset PricesRevised = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The second price list, added to seeded models whose prices are still the seed's own. GPT Image is billed as
    /// OpenAI bills it: by its tokens (text and image prompt tokens, image output tokens); its per-image prices by size
    /// and quality (OpenAI's published equivalents) apply only to an answer that reports no tokens, the plain one
    /// (1024×1024 at high quality) when the size is the provider's choice.
    /// </summary>
    public static IReadOnlyList<(string ModelId, (PriceUnit Unit, decimal Amount, string? Variant)[] Prices)> PriceRevision { get; } =
    [
        ("anthropic/claude-sonnet-4.5", [(CacheWrite5mTokensPerMillion, 3.75m, null), (CacheWrite1hTokensPerMillion, 6.00m, null), (WebSearch, 0.01m, null)]),
        ("openai/gpt-4o-audio-preview", [(AudioInputTokensPerMillion, 40.00m, null), (AudioOutputTokensPerMillion, 80.00m, null)]),
        ("google/gemini-2.5-flash", [(CachedInputTokensPerMillion, 0.03m, null), (AudioInputTokensPerMillion, 1.00m, null), (WebSearch, 0.035m, null)]),
        ("openai/gpt-image-1", [(InputTokensPerMillion, 5.00m, null), (CachedInputTokensPerMillion, 1.25m, null), (ImageInputTokensPerMillion, 10.00m, null),
            (ImageOutputTokensPerMillion, 40.00m, null), (Image, 0.167m, null),
            (Image, 0.011m, "1024x1024/low"), (Image, 0.042m, "1024x1024/medium"), (Image, 0.167m, "1024x1024/high"),
            (Image, 0.016m, "1024x1536/low"), (Image, 0.063m, "1024x1536/medium"), (Image, 0.25m, "1024x1536/high"),
            (Image, 0.016m, "1536x1024/low"), (Image, 0.063m, "1536x1024/medium"), (Image, 0.25m, "1536x1024/high")]),
        ("xai/grok-4", [(CachedInputTokensPerMillion, 0.75m, null)]),
        // Xiaomi's overseas platform bills its web search plugin at 5 USD per 1,000 calls.
        ("mimo/mimo-v2-pro", [(WebSearch, 0.005m, null)]),
        ("mimo/mimo-v2-omni", [(WebSearch, 0.005m, null)]),
        ("mimo/mimo-v2-flash", [(WebSearch, 0.005m, null)]),
    ];

    private static readonly DataPathHop Gateway = new(
        "LLMTR gateway", "TR", "Istanbul", "Authenticates, routes and meters the request",
        "Metadata only (key, model, token counts, cost, latency, status); prompts and outputs are not stored", UsedForTraining: false,
        HopRetention.MetadataOnly,
        PurposeTr: "İsteğin kimliğini doğrular, yönlendirir ve ölçer",
        RetentionTr: "Yalnızca üst veri (anahtar, model, token sayıları, maliyet, gecikme, durum); istemler ve çıktılar saklanmaz");

    /// <summary>The Turkish text of every purpose and retention statement the seed's hops use.</summary>
    private static readonly Dictionary<string, string> Turkish = new(StringComparer.Ordinal)
    {
        ["Runs the model"] = "Modeli çalıştırır",
        ["Not retained after the response"] = "Yanıttan sonra saklanmaz",
        ["Up to 30 days for abuse monitoring"] = "Kötüye kullanım denetimi için 30 güne kadar",
        ["Up to 30 days"] = "30 güne kadar",
        ["Kept for a limited period for trust and safety"] = "Güven ve güvenlik amacıyla sınırlı bir süre saklanır",
        ["Logged for a limited period for abuse monitoring"] = "Kötüye kullanım denetimi için sınırlı bir süre kaydedilir",
        ["Per DeepSeek's terms"] = "DeepSeek'in koşullarına göre",
        ["Per Xiaomi MiMo's terms"] = "Xiaomi MiMo'nun koşullarına göre",
        ["Per Alibaba Cloud Model Studio's terms"] = "Alibaba Cloud Model Studio'nun koşullarına göre",
    };

    private static readonly string[] ChatParameters =
        ["temperature", "top_p", "max_tokens", "stop", "frequency_penalty", "presence_penalty", "response_format", "tools", "tool_choice", "seed"];

    public static IReadOnlyList<ProviderInput> Providers { get; } =
    [
        Provider("llmtr", "LLMTR", "https://inference.llmtr.local/v1", "TR", "Istanbul",
            "Runs on LLMTR's own servers in Istanbul. Requests are processed in memory and not retained; nothing is used for training. No sub-processors.",
            "LLMTR'nin İstanbul'daki kendi sunucularında çalışır. İstekler bellekte işlenir ve saklanmaz; hiçbiri eğitimde kullanılmaz. Alt işleyici yoktur."),
        Provider("openai", "OpenAI", "https://api.openai.com/v1", "US", null,
            "Processed by OpenAI in the United States. API data may be kept up to 30 days for abuse monitoring and is not used for training by default.",
            "OpenAI tarafından ABD'de işlenir. API verileri kötüye kullanım denetimi için 30 güne kadar saklanabilir; varsayılan olarak eğitimde kullanılmaz.",
            speaksResponsesApi: true),
        Provider("anthropic", "Anthropic", "https://api.anthropic.com", "US", null,
            "Processed by Anthropic in the United States. API inputs and outputs are kept for a limited period for safety and are not used for training by default.",
            "Anthropic tarafından ABD'de işlenir. API girdi ve çıktıları güvenlik amacıyla sınırlı süre saklanır; varsayılan olarak eğitimde kullanılmaz.", ApiProtocol.AnthropicMessages),
        Provider("google", "Google", "https://generativelanguage.googleapis.com", "US", null,
            "Processed by Google. Paid-tier API data is not used to improve products; it may be logged for a limited period for abuse monitoring.",
            "Google tarafından işlenir. Ücretli katman API verileri ürün geliştirmede kullanılmaz; kötüye kullanım denetimi için sınırlı süre kaydedilebilir.", ApiProtocol.Gemini),
        Provider("mistral", "Mistral AI", "https://api.mistral.ai/v1", "FR", "EU",
            "Processed by Mistral AI in the European Union. API data is kept up to 30 days for abuse monitoring and not used for training.",
            "Mistral AI tarafından Avrupa Birliği'nde işlenir. API verileri kötüye kullanım denetimi için 30 güne kadar saklanır; eğitimde kullanılmaz."),
        Provider("xai", "xAI", "https://api.x.ai/v1", "US", null,
            "Processed by xAI in the United States. API data may be kept up to 30 days and is not used for training under API terms.",
            "xAI tarafından ABD'de işlenir. API verileri 30 güne kadar saklanabilir; API koşullarına göre eğitimde kullanılmaz.",
            speaksResponsesApi: true),
        Provider("qwen", "Qwen (Alibaba Cloud)", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1", "SG", "Singapore",
            "Processed by Alibaba Cloud's international service in Singapore. Retention follows Alibaba Cloud Model Studio's terms.",
            "Alibaba Cloud'un Singapur'daki uluslararası hizmetinde işlenir. Saklama, Alibaba Cloud Model Studio koşullarına tabidir."),
        Provider("deepseek", "DeepSeek", "https://api.deepseek.com/v1", "CN", null,
            "Processed by DeepSeek in China. Review DeepSeek's terms before sending personal or regulated data.",
            "DeepSeek tarafından Çin'de işlenir. Kişisel veya düzenlemeye tabi veri göndermeden önce DeepSeek koşullarını inceleyin."),
        Provider("mimo", "Xiaomi MiMo", "https://api.xiaomimimo.com/v1", "CN", null,
            "Processed by Xiaomi in China. Web search requests are also sent to Xiaomi's search partners.",
            "Xiaomi tarafından Çin'de işlenir. Web araması istekleri Xiaomi'nin arama ortaklarına da iletilir."),
    ];

    /// <summary>
    /// Models whose seed entry changed, each with how an earlier seed wrote it: an installation seeded before gets the
    /// current entry while its stored one is still that earlier one. The demo model's entry describes what the gateway's
    /// own code does, so it has to follow that code (tools, JSON output and a context that fits agents came later).
    /// </summary>
    public static IReadOnlyList<(string Id, Func<Data.ModelRecord, bool> Earlier)> Revisions { get; } =
    [
        ("llmtr/demo", m => m.ContextLength == 8_192 && m.MaxOutputTokens == 1_024 && m.Operations.Order(StringComparer.Ordinal).SequenceEqual(["chat", "streaming"])),
    ];

    /// <summary>
    /// The catalog fallbacks of the seeded chat models: a model of another provider with the same kind of abilities
    /// (a Turkey-hosted one for LLMTR's own, so a residency demand still finds one). A fallback serves only where it can
    /// (the request's features, the key's scope, residency, a credential for its provider); embeddings and images have
    /// none, as another model's vectors or pictures are not the same answer.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> Fallbacks { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["llmtr/llama-3.3-70b"] = ["llmtr/gemma-3-27b"],
        ["llmtr/gemma-3-27b"] = ["llmtr/llama-3.3-70b"],
        ["openai/gpt-4o"] = ["anthropic/claude-sonnet-4.5", "google/gemini-2.5-flash"],
        ["anthropic/claude-sonnet-4.5"] = ["openai/gpt-4o", "google/gemini-2.5-flash"],
        ["google/gemini-2.5-flash"] = ["openai/gpt-4o", "anthropic/claude-sonnet-4.5"],
        ["mistral/mistral-large-latest"] = ["anthropic/claude-sonnet-4.5", "openai/gpt-4o"],
        ["xai/grok-4"] = ["openai/gpt-4o", "anthropic/claude-sonnet-4.5"],
        ["deepseek/deepseek-v4-flash"] = ["qwen/qwen3-max", "mimo/mimo-v2-flash"],
        ["qwen/qwen3-max"] = ["deepseek/deepseek-v4-flash", "mimo/mimo-v2-pro"],
        ["mimo/mimo-v2-pro"] = ["qwen/qwen3-max", "deepseek/deepseek-v4-flash"],
        ["mimo/mimo-v2-omni"] = ["google/gemini-2.5-flash"],
        ["mimo/mimo-v2-flash"] = ["deepseek/deepseek-v4-flash", "qwen/qwen3-max"],
    };

    public static IReadOnlyList<(ModelInput Model, (PriceUnit Unit, decimal Amount)[] Prices)> Models { get; } =
    [
        (Model("llmtr/demo", "demo", "LLMTR Demo", 200_000, 8_192, ["text"], ["text"], ["chat", "streaming", "tools", "json_mode", "structured_output"],
            "A built-in model the gateway answers itself, with no upstream: try the API without any provider account.",
            "Gateway'in kendisinin yanıtladığı yerleşik model: hiçbir sağlayıcı hesabı olmadan API'yi deneyin.",
            [Gateway with { Purpose = "Answers the request itself (no upstream)", PurposeTr = "İsteği kendisi yanıtlar (üst sağlayıcı yok)" }]),
            [(InputTokensPerMillion, 0m), (OutputTokensPerMillion, 0m)]),
        (Model("llmtr/llama-3.3-70b", "llama-3.3-70b-instruct", "Llama 3.3 70B (Turkey)", 131_072, 8_192, ["text"], ["text"],
            ["chat", "streaming", "tools", "json_mode"],
            "Meta's Llama 3.3 70B served from Istanbul: data never leaves Turkey.",
            "Meta Llama 3.3 70B, İstanbul'dan sunulur: veri Türkiye dışına çıkmaz.",
            [Gateway, InTurkey("LLMTR inference", "Runs the model")]),
            [(InputTokensPerMillion, 0.60m), (OutputTokensPerMillion, 0.80m)]),
        (Model("llmtr/gemma-3-27b", "gemma-3-27b-it", "Gemma 3 27B (Turkey)", 131_072, 8_192, ["text", "image"], ["text"],
            ["chat", "streaming", "json_mode"],
            "Google's open Gemma 3 27B with image input, served from Istanbul.",
            "Görsel girdi destekli açık Gemma 3 27B, İstanbul'dan sunulur.",
            [Gateway, InTurkey("LLMTR inference", "Runs the model")]),
            [(InputTokensPerMillion, 0.20m), (OutputTokensPerMillion, 0.40m)]),
        (Model("openai/gpt-4o", "gpt-4o", "GPT-4o", 128_000, 16_384, ["text", "image"], ["text"],
            ["chat", "streaming", "tools", "json_mode", "structured_output"],
            "OpenAI's multimodal flagship for text and image input.", "OpenAI'nin metin ve görsel girdili çok kipli amiral gemisi modeli.",
            [Gateway, Abroad("OpenAI", "US", "Up to 30 days for abuse monitoring")]),
            [(InputTokensPerMillion, 2.50m), (OutputTokensPerMillion, 10.00m), (CachedInputTokensPerMillion, 1.25m)]),
        (Model("anthropic/claude-sonnet-4.5", "claude-sonnet-4-5", "Claude Sonnet 4.5", 200_000, 64_000, ["text", "image", "file"], ["text"],
            ["chat", "streaming", "tools", "json_mode", "structured_output", "reasoning"],
            "Anthropic's balanced model for coding, agents and long documents.", "Anthropic'in kodlama, ajanlar ve uzun belgeler için dengeli modeli.",
            [Gateway, Abroad("Anthropic", "US", "Kept for a limited period for trust and safety")]),
            [(InputTokensPerMillion, 3.00m), (OutputTokensPerMillion, 15.00m), (CachedInputTokensPerMillion, 0.30m)]),
        (Model("google/gemini-2.5-flash", "gemini-2.5-flash", "Gemini 2.5 Flash", 1_048_576, 65_536, ["text", "image", "audio", "file"], ["text"],
            ["chat", "streaming", "tools", "json_mode", "structured_output", "reasoning"],
            "Google's fast multimodal model with a one-million-token context.", "Google'ın bir milyon token bağlamlı hızlı çok kipli modeli.",
            [Gateway, Abroad("Google", "US", "Logged for a limited period for abuse monitoring")]),
            [(InputTokensPerMillion, 0.30m), (OutputTokensPerMillion, 2.50m), (CachedInputTokensPerMillion, 0.075m)]),
        (Model("deepseek/deepseek-v4-flash", "deepseek-v4-flash", "DeepSeek V4 Flash", 128_000, 8_192, ["text"], ["text"],
            ["chat", "streaming", "tools", "json_mode"],
            "DeepSeek's fast, low-cost general model.", "DeepSeek'in hızlı ve düşük maliyetli genel modeli.",
            [Gateway, Abroad("DeepSeek", "CN", "Per DeepSeek's terms")]),
            [(InputTokensPerMillion, 0.27m), (OutputTokensPerMillion, 1.10m), (CachedInputTokensPerMillion, 0.07m)]),
        (Model("mistral/mistral-large-latest", "mistral-large-latest", "Mistral Large", 131_072, 8_192, ["text"], ["text"],
            ["chat", "streaming", "tools", "json_mode"],
            "Mistral's flagship model, processed in the EU.", "Mistral'in AB'de işlenen amiral gemisi modeli.",
            [Gateway, Abroad("Mistral AI", "FR", "Up to 30 days for abuse monitoring", "EU")]),
            [(InputTokensPerMillion, 2.00m), (OutputTokensPerMillion, 6.00m)]),
        (Model("mimo/mimo-v2-pro", "mimo-v2-pro", "MiMo V2 Pro", 262_144, 32_768, ["text"], ["text"],
            ["chat", "streaming", "tools", "web_search", "reasoning"],
            "Xiaomi's strongest MiMo model; supports web search (webSearchEnabled) and thinking control.",
            "Xiaomi'nin en güçlü MiMo modeli; web araması (webSearchEnabled) ve düşünme kontrolü destekler.",
            [Gateway, Abroad("Xiaomi", "CN", "Per Xiaomi MiMo's terms")], ["webSearchEnabled", "thinking"]),
            [(InputTokensPerMillion, 1.00m), (OutputTokensPerMillion, 3.00m)]),
        (Model("mimo/mimo-v2-omni", "mimo-v2-omni", "MiMo V2 Omni", 131_072, 16_384, ["text", "image", "audio"], ["text"],
            ["chat", "streaming", "tools", "web_search"],
            "Xiaomi's multimodal MiMo model with image and audio input.", "Görsel ve ses girdili çok kipli MiMo modeli.",
            [Gateway, Abroad("Xiaomi", "CN", "Per Xiaomi MiMo's terms")], ["webSearchEnabled", "thinking"]),
            [(InputTokensPerMillion, 0.40m), (OutputTokensPerMillion, 2.00m)]),
        (Model("mimo/mimo-v2-flash", "mimo-v2-flash", "MiMo V2 Flash", 131_072, 16_384, ["text"], ["text"],
            ["chat", "streaming", "tools", "web_search"],
            "Xiaomi's fast, low-cost MiMo model.", "Xiaomi'nin hızlı ve düşük maliyetli MiMo modeli.",
            [Gateway, Abroad("Xiaomi", "CN", "Per Xiaomi MiMo's terms")], ["webSearchEnabled", "thinking"]),
            [(InputTokensPerMillion, 0.10m), (OutputTokensPerMillion, 0.30m)]),
        (Model("xai/grok-4", "grok-4", "Grok 4", 256_000, 32_768, ["text", "image"], ["text"],
            ["chat", "streaming", "tools", "structured_output", "reasoning"],
            "xAI's reasoning model.", "xAI'nin akıl yürütme modeli.",
            [Gateway, Abroad("xAI", "US", "Up to 30 days")]),
            [(InputTokensPerMillion, 3.00m), (OutputTokensPerMillion, 15.00m)]),
        (Model("qwen/qwen3-max", "qwen3-max", "Qwen3 Max", 262_144, 32_768, ["text"], ["text"],
            ["chat", "streaming", "tools", "json_mode"],
            "Alibaba's largest Qwen3 model.", "Alibaba'nın en büyük Qwen3 modeli.",
            [Gateway, Abroad("Alibaba Cloud", "SG", "Per Alibaba Cloud Model Studio's terms", "Singapore")]),
            [(InputTokensPerMillion, 1.20m), (OutputTokensPerMillion, 6.00m)]),
        (Model("openai/gpt-4o-audio-preview", "gpt-4o-audio-preview", "GPT-4o Audio", 128_000, 16_384, ["text", "audio"], ["text", "audio"],
            ["chat", "streaming", "tools"],
            "GPT-4o that listens and speaks: audio input parts and spoken answers (modalities and audio).",
            "Dinleyen ve konuşan GPT-4o: ses girdisi ve sesli yanıt (modalities ve audio).",
            [Gateway, Abroad("OpenAI", "US", "Up to 30 days for abuse monitoring")], ["modalities", "audio"]),
            [(InputTokensPerMillion, 2.50m), (OutputTokensPerMillion, 10.00m)]),
        (Media("openai/text-embedding-3-small", "text-embedding-3-small", "Text Embedding 3 Small", 8_191, ["text"], ["embedding"], "embeddings",
            "OpenAI's small, low-cost text embedding model.", "OpenAI'nin küçük ve düşük maliyetli metin embedding modeli.",
            Abroad("OpenAI", "US", "Up to 30 days for abuse monitoring"), ["encoding_format", "dimensions"]),
            [(InputTokensPerMillion, 0.02m)]),
        (Media("google/gemini-embedding-001", "gemini-embedding-001", "Gemini Embedding", 2_048, ["text"], ["embedding"], "embeddings",
            "Google's multilingual text embedding model.", "Google'ın çok dilli metin embedding modeli.",
            Abroad("Google", "US", "Logged for a limited period for abuse monitoring"), ["encoding_format", "dimensions"]),
            [(InputTokensPerMillion, 0.15m)]),
        (Media("openai/gpt-image-1", "gpt-image-1", "GPT Image 1", 32_000, ["text"], ["image"], "image_generation",
            "OpenAI's image generation model, billed per image.", "OpenAI'nin görsel üretim modeli; görsel başına ücretlendirilir.",
            Abroad("OpenAI", "US", "Up to 30 days for abuse monitoring"), ["n", "size", "quality", "response_format", "background", "output_format"]),
            [(Image, 0.04m)]),
        (Media("google/gemini-2.5-flash-image", "gemini-2.5-flash-image", "Gemini 2.5 Flash Image", 32_768, ["text"], ["image"], "image_generation",
            "Google's image generation model (one image per request), billed per image and for the prompt.",
            "Google'ın görsel üretim modeli (istek başına bir görsel); görsel başına ve istem için ücretlendirilir.",
            Abroad("Google", "US", "Logged for a limited period for abuse monitoring"), ["size"]),
            [(Image, 0.039m), (InputTokensPerMillion, 0.30m)]),
        (Media("openai/gpt-4o-mini-tts", "gpt-4o-mini-tts", "GPT-4o mini TTS", 2_000, ["text"], ["audio"], "speech",
            "OpenAI's text-to-speech model with steerable voices.", "OpenAI'nin yönlendirilebilir seslere sahip metinden konuşmaya modeli.",
            Abroad("OpenAI", "US", "Up to 30 days for abuse monitoring"), ["voice", "response_format", "speed", "instructions"]),
            [(Request, 0.001m), (InputTokensPerMillion, 0.60m)]),
        (Media("openai/whisper-1", "whisper-1", "Whisper", 1, ["audio"], ["text"], "transcription",
            "OpenAI's speech-to-text model, billed per minute of audio.", "OpenAI'nin konuşmadan metne modeli; ses dakikası başına ücretlendirilir.",
            Abroad("OpenAI", "US", "Up to 30 days for abuse monitoring"), ["language", "prompt", "response_format", "temperature"]),
            [(AudioMinute, 0.006m)]),
    ];

    private static ProviderInput Provider(string id, string name, string baseUrl, string country, string? region, string en, string tr,
        ApiProtocol protocol = ApiProtocol.OpenAi, bool speaksResponsesApi = false) =>
        new(id, name, protocol.ToString(), baseUrl, country, region, en, tr, nameof(ProviderStatus.Active), speaksResponsesApi);

    private static ModelInput Model(string id, string upstream, string name, int context, int maxOutput, string[] input, string[] output,
        string[] operations, string en, string tr, DataPathHop[] path, string[]? extraParameters = null) =>
        new(id, upstream, name, en, tr, context, maxOutput, input, output, operations, [.. ChatParameters, .. extraParameters ?? []],
            nameof(ModelStatus.Active), nameof(ModelVisibility.Public), [], new DateOnly(2025, 1, 1), path);

    /// <summary>A model for one non-chat operation (embeddings, image generation, speech, transcription): no chat parameters, no output-token limit.</summary>
    private static ModelInput Media(string id, string upstream, string name, int context, string[] input, string[] output, string operation,
        string en, string tr, DataPathHop runsAt, string[] parameters) =>
        new(id, upstream, name, en, tr, context, null, input, output, [operation], parameters,
            nameof(ModelStatus.Active), nameof(ModelVisibility.Public), [], new DateOnly(2025, 1, 1), [Gateway, runsAt]);

    // Declared after the hops and texts they use: static fields initialise in order.
    /// <summary>Provider accounts beside the providers' own (every provider id is an account already).</summary>
    public static IReadOnlyList<AccountInput> Accounts { get; } =
    [
        new("azure-sweden", "Microsoft Azure (Sweden Central)"),
    ];

    /// <summary>
    /// The models served from more than their provider's default deployment: OpenAI's and Anthropic's from Microsoft
    /// Azure in Sweden Central too (Azure OpenAI, and Claude in Microsoft Foundry), an EU region for the same model. Each
    /// takes traffic only once its account has a credential.
    /// </summary>
    public static IReadOnlyList<DeploymentInput> Deployments { get; } =
    [
        Default("openai/gpt-4o", "openai"),
        InSweden("openai/gpt-4o", nameof(ApiProtocol.AzureOpenAi), "https://llmtr-sweden.openai.azure.com/openai/v1", "gpt-4o", "Microsoft Azure OpenAI", speaksResponsesApi: true),
        Default("openai/text-embedding-3-small", "openai"),
        InSweden("openai/text-embedding-3-small", nameof(ApiProtocol.AzureOpenAi), "https://llmtr-sweden.openai.azure.com/openai/v1", "text-embedding-3-small", "Microsoft Azure OpenAI"),
        Default("anthropic/claude-sonnet-4.5", "anthropic"),
        InSweden("anthropic/claude-sonnet-4.5", nameof(ApiProtocol.AnthropicMessages), "https://llmtr-sweden.services.ai.azure.com/anthropic", "claude-sonnet-4-5", "Microsoft Foundry"),
    ];

    private static DeploymentInput Default(string modelId, string provider) =>
        new(modelId, provider, provider, "", "", "", null, [], 100, nameof(DeploymentStatus.Active), Position: 0);

    private static DeploymentInput InSweden(string modelId, string protocol, string baseUrl, string upstream, string operatorName, bool speaksResponsesApi = false) =>
        new(modelId, "azure-sweden", "azure-sweden", protocol, baseUrl, upstream, "Sweden Central",
            [Gateway, Abroad(operatorName, "SE", "Up to 30 days for abuse monitoring", "Sweden Central")], 100, nameof(DeploymentStatus.Active), speaksResponsesApi, Position: 1);

    private static DataPathHop InTurkey(string operatorName, string purpose) =>
        Translated(new(operatorName, "TR", "Istanbul", purpose, "Not retained after the response", UsedForTraining: false, HopRetention.Nothing));

    private static DataPathHop Abroad(string operatorName, string country, string retention, string? region = null) =>
        Translated(new(operatorName, country, region, "Runs the model", retention, UsedForTraining: false, HopRetention.Content));

    /// <summary>The hop with its Turkish text; a seed hop without one is a mistake in this file, caught on first use.</summary>
    private static DataPathHop Translated(DataPathHop hop) => hop with
    {
        PurposeTr = Turkish.TryGetValue(hop.Purpose, out var purpose) ? purpose : throw new InvalidOperationException($"No Turkish text for the seed purpose '{hop.Purpose}'."),
        RetentionTr = Turkish.TryGetValue(hop.Retention, out var retention) ? retention : throw new InvalidOperationException($"No Turkish text for the seed retention '{hop.Retention}'."),
    };
}

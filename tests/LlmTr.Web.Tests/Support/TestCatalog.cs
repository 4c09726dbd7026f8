using LlmTr.Modules.Catalog.Contracts;

namespace LlmTr.Web.Tests.Support;

/// <summary>A small real catalog snapshot: Turkey-hosted, abroad, free and unlisted models, with past and future prices.</summary>
public sealed class TestCatalog : IModelCatalog
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset LastYear = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ThisYear = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NextYear = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly DataPathHop Gateway = new("LLMTR gateway", "TR", "Istanbul", "Authenticates and routes", "Metadata only", false, HopRetention.MetadataOnly);

    public CatalogSnapshot Current { get; } = new(1,
        [
            Provider("llmtr", "LLMTR", "TR", "Runs in Istanbul; nothing is retained.", "İstanbul'da çalışır; hiçbir şey saklanmaz."),
            Provider("openai", "OpenAI", "US", "Processed by OpenAI in the United States for up to 30 days.", "OpenAI tarafından ABD'de işlenir."),
            Provider("deepseek", "DeepSeek", "CN", "Processed by DeepSeek in China.", "DeepSeek tarafından Çin'de işlenir."),
            Provider("mistral", "Mistral AI", "FR", "Processed in the EU.", "AB'de işlenir."),
        ],
        [
            Model("llmtr/llama-70b", "Llama 70B (Turkey)", "Llama served from Istanbul.", "İstanbul'dan sunulan Llama.", 131_072, ["text"],
                ["chat", "streaming", "tools"],
                [Gateway, new("LLMTR inference", "TR", "Ankara", "Runs the model", "Not retained", false, HopRetention.Nothing)],
                [
                    new(PriceUnit.InputTokensPerMillion, 0.90m, "USD", LastYear),
                    new(PriceUnit.InputTokensPerMillion, 0.60m, "USD", ThisYear),
                    new(PriceUnit.OutputTokensPerMillion, 0.80m, "USD", ThisYear),
                    new(PriceUnit.InputTokensPerMillion, 0.50m, "USD", NextYear),
                ]),
            Model("openai/gpt-4o", "GPT-4o", "OpenAI's multimodal flagship.", "OpenAI'nin çok kipli modeli.", 128_000, ["text", "image"],
                ["chat", "streaming", "tools", "structured_output"],
                [Gateway, new("OpenAI", "US", null, "Runs the model", "Up to 30 days", false)],
                [
                    new(PriceUnit.InputTokensPerMillion, 2.50m, "USD", ThisYear),
                    new(PriceUnit.OutputTokensPerMillion, 10m, "USD", ThisYear),
                    new(PriceUnit.CachedInputTokensPerMillion, 1.25m, "USD", ThisYear),
                ]),
            Model("deepseek/deepseek-v4-flash", "DeepSeek V4 Flash", "A fast, low-cost general model.", "Hızlı, düşük maliyetli model.", 64_000, ["text"],
                ["chat", "json_mode"],
                [Gateway, new("DeepSeek", "CN", null, "Runs the model", "Per DeepSeek's terms", false)],
                [new(PriceUnit.InputTokensPerMillion, 0.27m, "USD", ThisYear), new(PriceUnit.OutputTokensPerMillion, 1.10m, "USD", ThisYear)]),
            Model("llmtr/demo", "LLMTR Demo", "A built-in model that answers itself.", "Kendi yanıtlayan yerleşik model.", 8_192, ["text"],
                ["chat"], [Gateway],
                [new(PriceUnit.InputTokensPerMillion, 0m, "USD", ThisYear), new(PriceUnit.OutputTokensPerMillion, 0m, "USD", ThisYear)]),
            Model("llmtr/private-model", "Private Model", "Only for one customer.", "Yalnızca bir müşteri için.", 8_192, ["text"], ["chat"], [Gateway], [],
                visibility: ModelVisibility.Private),
            Model("mistral/mistral-old", "Mistral Old", "Retired.", "Kullanımdan kalktı.", 32_000, ["text"], ["chat"], [Gateway], [],
                status: ModelStatus.Deprecated),
        ]);

    private static CatalogProvider Provider(string id, string name, string country, string en, string tr) =>
        new(id, name, ApiProtocol.OpenAi, $"https://{id}.example/v1", country, null, new LocalizedText(en, tr), ProviderStatus.Active);

    private static CatalogModel Model(string id, string name, string en, string tr, int context, string[] input, string[] operations,
        DataPathHop[] path, ModelPrice[] prices, ModelStatus status = ModelStatus.Active, ModelVisibility visibility = ModelVisibility.Public) =>
        new(id, id.Split('/')[0], id.Split('/')[1], name, new LocalizedText(en, tr), context, 4_096, input, ["text"], operations,
            ["temperature", "max_tokens"], status, visibility, [], null, path, prices);
}

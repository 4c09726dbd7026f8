using LlmTr.Modules.Catalog.Contracts;

namespace LlmTr.Web.Pages.Admin.Catalog;

/// <summary>The model editor's state: mutable for binding, turned into the catalog's input record on save.</summary>
internal sealed class ModelForm
{
    public string Id { get; set; } = "";

    public string UpstreamName { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string DescriptionEn { get; set; } = "";

    public string DescriptionTr { get; set; } = "";

    public int ContextLength { get; set; } = 8_192;

    public int? MaxOutputTokens { get; set; }

    public IReadOnlyCollection<string> InputModalities { get; set; } = [Modalities.Text];

    public IReadOnlyCollection<string> OutputModalities { get; set; } = [Modalities.Text];

    public IReadOnlyCollection<string> Operations { get; set; } = [LlmTr.Modules.Catalog.Contracts.Operations.Chat];

    public string Parameters { get; set; } = "";

    public string Status { get; set; } = nameof(ModelStatus.Preview);

    public string Visibility { get; set; } = nameof(ModelVisibility.Private);

    public string FallbackModelIds { get; set; } = "";

    public DateTime? ReleaseDate { get; set; }

    public List<HopForm> DataPath { get; set; } = [HopForm.Gateway()];

    public static ModelForm From(CatalogModel model) => new()
    {
        Id = model.Id,
        UpstreamName = model.UpstreamName,
        DisplayName = model.DisplayName,
        DescriptionEn = model.Description.En,
        DescriptionTr = model.Description.Tr,
        ContextLength = model.ContextLength,
        MaxOutputTokens = model.MaxOutputTokens,
        InputModalities = model.InputModalities.ToList(),
        OutputModalities = model.OutputModalities.ToList(),
        Operations = model.Operations.ToList(),
        Parameters = string.Join(", ", model.Parameters),
        Status = model.Status.ToString(),
        Visibility = model.Visibility.ToString(),
        FallbackModelIds = string.Join(", ", model.FallbackModelIds),
        ReleaseDate = model.ReleaseDate?.ToDateTime(TimeOnly.MinValue),
        DataPath = model.DataPath.Select(HopForm.From).ToList(),
    };

    public ModelInput ToInput() => new(
        Id.Trim(),
        UpstreamName,
        DisplayName,
        DescriptionEn,
        DescriptionTr,
        ContextLength,
        MaxOutputTokens,
        InputModalities.ToList(),
        OutputModalities.ToList(),
        Operations.ToList(),
        SplitList(Parameters),
        Status,
        Visibility,
        SplitList(FallbackModelIds),
        ReleaseDate is { } date ? DateOnly.FromDateTime(date) : null,
        DataPath.Select(h => h.ToHop()).ToList());

    private static List<string> SplitList(string text) =>
        text.Split([',', '\n', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}

public sealed class HopForm
{
    public string Operator { get; set; } = "";

    public string Country { get; set; } = "";

    public string? Region { get; set; }

    public string Purpose { get; set; } = "";

    public string Retention { get; set; } = "";

    public string PurposeTr { get; set; } = "";

    public string RetentionTr { get; set; } = "";

    public HopRetention Keeps { get; set; } = HopRetention.Content;

    public bool UsedForTraining { get; set; }

    public static HopForm Gateway() => new()
    {
        Operator = "LLMTR gateway",
        Country = DataPathHop.Turkey,
        Region = "Istanbul",
        Purpose = "Authenticates, routes and meters the request",
        Retention = "Metadata only; prompts and outputs are not stored",
        PurposeTr = "İsteğin kimliğini doğrular, yönlendirir ve ölçer",
        RetentionTr = "Yalnızca üst veri; istemler ve çıktılar saklanmaz",
        Keeps = HopRetention.MetadataOnly,
    };

    public static HopForm From(DataPathHop hop) => new()
    {
        Operator = hop.Operator,
        Country = hop.Country,
        Region = hop.Region,
        Purpose = hop.Purpose,
        Retention = hop.Retention,
        PurposeTr = hop.PurposeTr,
        RetentionTr = hop.RetentionTr,
        Keeps = hop.Keeps,
        UsedForTraining = hop.UsedForTraining,
    };

    public DataPathHop ToHop() => new(
        Operator, Country.Trim().ToUpperInvariant(), string.IsNullOrWhiteSpace(Region) ? null : Region.Trim(), Purpose, Retention, UsedForTraining, Keeps,
        PurposeTr ?? "", RetentionTr ?? "");
}

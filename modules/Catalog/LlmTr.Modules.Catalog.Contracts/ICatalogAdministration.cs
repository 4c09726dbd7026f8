namespace LlmTr.Modules.Catalog.Contracts;

/// <summary>
/// Curating the catalog: every change is validated, recorded with who made it, and reaches every host's snapshot
/// within seconds. Enumerations arrive as text (as forms send them) and are validated by name.
/// </summary>
public interface ICatalogAdministration
{
    Task<CatalogCommandResult> SaveProviderAsync(ProviderInput input, string actor, CancellationToken cancellationToken = default);

    Task<CatalogCommandResult> SaveModelAsync(ModelInput input, string actor, CancellationToken cancellationToken = default);

    /// <summary>Adds a price effective from its own time; earlier prices stay as they were.</summary>
    Task<CatalogCommandResult> SetPriceAsync(PriceInput input, string actor, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CatalogChangeEntry>> HistoryAsync(int take, CancellationToken cancellationToken = default);
}

public sealed record ProviderInput(
    string Id,
    string DisplayName,
    string Protocol,
    string BaseUrl,
    string Country,
    string? Region,
    string DataHandlingEn,
    string DataHandlingTr,
    string Status,
    bool SpeaksResponsesApi = false);

public sealed record ModelInput(
    string Id,
    string UpstreamName,
    string DisplayName,
    string DescriptionEn,
    string DescriptionTr,
    int ContextLength,
    int? MaxOutputTokens,
    IReadOnlyList<string> InputModalities,
    IReadOnlyList<string> OutputModalities,
    IReadOnlyList<string> Operations,
    IReadOnlyList<string> Parameters,
    string Status,
    string Visibility,
    IReadOnlyList<string> FallbackModelIds,
    DateOnly? ReleaseDate,
    IReadOnlyList<DataPathHop> DataPath);

/// <param name="Variant">Only for an image price: the size and quality it applies to (<c>1024x1024/high</c>, or a size alone); empty for the unit's price whatever the variant.</param>
public sealed record PriceInput(string ModelId, string Unit, decimal Amount, DateTimeOffset EffectiveFrom, string? Variant = null);

/// <summary>Success, or the problems per field (the input's property name) in words a form can show.</summary>
public sealed record CatalogCommandResult(IReadOnlyDictionary<string, string[]> Errors)
{
    public static CatalogCommandResult Ok { get; } = new(new Dictionary<string, string[]>());

    public bool Succeeded => Errors.Count == 0;
}

/// <summary>One recorded change: <paramref name="Details"/> is what was saved, <see cref="Fields"/> what it changed.</summary>
public sealed record CatalogChangeEntry(long Id, DateTimeOffset At, string Actor, string Subject, string Action, string Details)
{
    /// <summary>
    /// The fields this change set, each with its value before and after, against the subject's previous change of the same
    /// kind (a save of the same model or provider; a price for the same unit). Everything the change set, for a first one.
    /// </summary>
    public IReadOnlyList<CatalogFieldChange> Fields { get; init; } = [];
}

/// <summary>One field of a change: its path in the saved input (<c>DataPath[2].PurposeTr</c>), before and after; empty for none.</summary>
public sealed record CatalogFieldChange(string Field, string Before, string After);

using LlmTr.Modules.Catalog.Contracts;

namespace LlmTr.Modules.Catalog.Data;

internal sealed class ProviderRecord
{
    public required string Id { get; init; }

    public required string DisplayName { get; set; }

    public ApiProtocol Protocol { get; set; }

    public required string BaseUrl { get; set; }

    public required string Country { get; set; }

    public string? Region { get; set; }

    public required string DataHandlingEn { get; set; }

    public required string DataHandlingTr { get; set; }

    public ProviderStatus Status { get; set; }

    /// <summary>The provider serves OpenAI's Responses API itself (see <see cref="CatalogProvider.SpeaksResponsesApi"/>).</summary>
    public bool SpeaksResponsesApi { get; set; }
}

internal sealed class ModelRecord
{
    public required string Id { get; init; }

    public required string ProviderId { get; init; }

    public required string UpstreamName { get; set; }

    public required string DisplayName { get; set; }

    public required string DescriptionEn { get; set; }

    public required string DescriptionTr { get; set; }

    public int ContextLength { get; set; }

    public int? MaxOutputTokens { get; set; }

    public List<string> InputModalities { get; set; } = [];

    public List<string> OutputModalities { get; set; } = [];

    public List<string> Operations { get; set; } = [];

    public List<string> Parameters { get; set; } = [];

    public ModelStatus Status { get; set; }

    public ModelVisibility Visibility { get; set; }

    public List<string> FallbackModelIds { get; set; } = [];

    public DateOnly? ReleaseDate { get; set; }

    /// <summary>Ordered hops, stored as one JSON document: a path is read and edited as a whole.</summary>
    public List<HopRecord> DataPath { get; set; } = [];
}

internal sealed class HopRecord
{
    public required string Operator { get; set; }

    public required string Country { get; set; }

    public string? Region { get; set; }

    public required string Purpose { get; set; }

    public required string Retention { get; set; }

    /// <summary>The purpose in Turkish; empty until written (the English one shows then).</summary>
    public string PurposeTr { get; set; } = "";

    /// <summary>The retention statement in Turkish; empty until written (the English one shows then).</summary>
    public string RetentionTr { get; set; } = "";

    /// <summary>Absent in paths written before it existed: those read as <see cref="HopRetention.Content"/>, the safe side.</summary>
    public HopRetention Keeps { get; set; }

    public bool UsedForTraining { get; set; }
}

/// <summary>
/// One place a model is served from (see <see cref="CatalogDeployment"/>). A model with no rows here is served by its
/// provider's default deployment, made from the provider and the model when the snapshot loads.
/// </summary>
internal sealed class DeploymentRecord
{
    public required string ModelId { get; init; }

    public required string Name { get; init; }

    public required string AccountId { get; set; }

    /// <summary>Null: the provider's protocol.</summary>
    public ApiProtocol? Protocol { get; set; }

    /// <summary>Null: the provider's address (and whatever overrides it).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Null: the model's upstream name.</summary>
    public string? UpstreamName { get; set; }

    public string? Region { get; set; }

    /// <summary>Empty: the model's published data path.</summary>
    public List<HopRecord> DataPath { get; set; } = [];

    public int Weight { get; set; }

    public DeploymentStatus Status { get; set; }

    /// <summary>Whether it serves OpenAI's Responses API; with no protocol of its own, the provider says.</summary>
    public bool SpeaksResponsesApi { get; set; }

    /// <summary>Where it is listed among its model's deployments (the first is the default).</summary>
    public int Position { get; set; }
}

/// <summary>
/// A provider account: the holder of one credential, which deployments name. Provider ids are accounts too (their
/// default deployments use them) without a row; a row exists for other accounts and for any whose credential was set in
/// the console. The credential is stored only encrypted, and shown again only as its last four characters.
/// </summary>
internal sealed class AccountRecord
{
    public required string Id { get; init; }

    public required string DisplayName { get; set; }

    /// <summary>The credential, encrypted with the host's data protection keys; null when none is stored.</summary>
    public string? ProtectedCredential { get; set; }

    /// <summary>The credential's last four characters, to tell credentials apart.</summary>
    public string? CredentialHint { get; set; }

    public DateTimeOffset? CredentialSetAt { get; set; }

    public string? CredentialSetBy { get; set; }
}

/// <summary>A price is never edited: a change is a new row effective from its own time, so history stays queryable.</summary>
internal sealed class PriceRecord
{
    public long Id { get; init; }

    public required string ModelId { get; init; }

    public PriceUnit Unit { get; init; }

    /// <summary>For an image price, the size and quality it is narrowed to (<c>1024x1024/high</c>); null otherwise.</summary>
    public string? Variant { get; init; }

    public decimal Amount { get; init; }

    public required string Currency { get; init; }

    public DateTimeOffset EffectiveFrom { get; init; }

    public DateTimeOffset RecordedAt { get; init; }
}

/// <summary>Who changed what and when; its id is also the catalog's version.</summary>
internal sealed class ChangeRecord
{
    public long Id { get; init; }

    public DateTimeOffset At { get; init; }

    public required string Actor { get; init; }

    public required string Subject { get; init; }

    public required string Action { get; init; }

    public required string Details { get; init; }
}

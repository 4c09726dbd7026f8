namespace LlmTr.Modules.Keys.Data;

/// <summary>An organisation's policy (no row: no policy).</summary>
internal sealed class OrganisationPolicyRecord
{
    public required string AccountId { get; init; }

    public bool TurkeyOnly { get; set; }

    public bool NoRetention { get; set; }

    public List<string> AllowedModels { get; set; } = [];

    public int? MaxRequestsPerMinute { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public required string UpdatedBy { get; set; }
}

/// <summary>A member's budget in an organisation (no row: unlimited).</summary>
internal sealed class MemberBudgetRecord
{
    public required string AccountId { get; init; }

    public required string UserId { get; init; }

    public decimal? SpendLimit { get; set; }

    public decimal? MonthlySpendLimit { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public required string UpdatedBy { get; set; }
}

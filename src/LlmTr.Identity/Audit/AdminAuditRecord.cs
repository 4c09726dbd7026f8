namespace LlmTr.Identity.Audit;

/// <summary>One admin action, as written to <c>identity.admin_audit</c>; rows are only ever added.</summary>
internal sealed class AdminAuditRecord
{
    public long Id { get; init; }

    public DateTimeOffset At { get; init; }

    public required string Actor { get; init; }

    public required string Action { get; init; }

    public required string Target { get; init; }

    public string? Details { get; init; }
}

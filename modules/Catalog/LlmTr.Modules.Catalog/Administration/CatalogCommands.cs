using System.Text.Json;
using FluentValidation.Results;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Catalog.Data;
using LlmTr.SharedKernel;
using Microsoft.EntityFrameworkCore.Storage;

namespace LlmTr.Modules.Catalog.Administration;

/// <summary>What every catalog command does around its change: record it (which tells every host), audit it, answer with field problems.</summary>
internal static class CatalogCommands
{
    /// <summary>The change, with what was saved, in the caller's transaction.</summary>
    public static Task RecordAsync<TInput>(
        CatalogDbContext db, TimeProvider time, string actor, string subject, string action, TInput details, CancellationToken cancellationToken) =>
        db.RecordChangeAsync(new ChangeRecord
        {
            At = time.GetUtcNow(),
            Actor = actor,
            Subject = subject,
            Action = action,
            Details = JsonSerializer.Serialize(details),
        }, cancellationToken);

    /// <summary>The admin audit row, in the change's own transaction.</summary>
    public static Task AuditAsync(IAdminAudit audit, CatalogDbContext db, AdminAction action, CancellationToken cancellationToken) =>
        audit.RecordAsync(action, db.Database.CurrentTransaction?.GetDbTransaction(), cancellationToken);

    public static CatalogCommandResult Failed(ValidationResult validation) => new(validation.Errors
        .GroupBy(e => e.PropertyName)
        .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray()));

    public static CatalogCommandResult Failed(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}

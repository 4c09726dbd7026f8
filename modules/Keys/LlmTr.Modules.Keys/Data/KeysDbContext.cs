using LlmTr.SharedKernel;
using Microsoft.EntityFrameworkCore;

namespace LlmTr.Modules.Keys.Data;

internal sealed class KeysDbContext(DbContextOptions<KeysDbContext> options) : DbContext(options)
{
    /// <summary>Every host listens here; the payload is the changed key's id, so a host reloads that key alone.</summary>
    public const string ChangeChannel = "llmtr_keys_changed";

    public DbSet<ApiKeyRecord> ApiKeys => Set<ApiKeyRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(ModuleSchemas.Keys);
        modelBuilder.Entity<ApiKeyRecord>(key =>
        {
            key.ToTable("api_keys");
            key.HasKey(k => k.Id);
            key.Property(k => k.OwnerUserId).HasMaxLength(450);
            key.Property(k => k.Name).HasMaxLength(100);
            key.Property(k => k.Hash).HasMaxLength(32);
            key.HasIndex(k => k.Hash).IsUnique();
            key.HasIndex(k => k.OwnerUserId);
            key.Property(k => k.Preview).HasMaxLength(40);
            key.Property(k => k.SpendLimit).HasPrecision(18, 8);
            key.Property(k => k.MonthlySpendLimit).HasPrecision(18, 8);
            key.Property(k => k.RevokedBy).HasMaxLength(450);
            key.Ignore(k => k.Scope);
        });
    }

    public Task NotifyChangedAsync(Guid keyId, CancellationToken cancellationToken) =>
        Database.ExecuteSqlAsync($"SELECT pg_notify({ChangeChannel}, {keyId.ToString()})", cancellationToken);
}

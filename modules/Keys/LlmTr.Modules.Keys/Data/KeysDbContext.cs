using LlmTr.SharedKernel;
using Microsoft.EntityFrameworkCore;

namespace LlmTr.Modules.Keys.Data;

internal sealed class KeysDbContext(DbContextOptions<KeysDbContext> options) : DbContext(options)
{
    /// <summary>
    /// Every host listens here. The payload is the changed key's id, so a host reloads that key alone, or
    /// <c>account:</c> and an organisation's id when its policy or member budgets changed (its keys are rebuilt).
    /// </summary>
    public const string ChangeChannel = "llmtr_keys_changed";

    public const string AccountPrefix = "account:";

    public DbSet<ApiKeyRecord> ApiKeys => Set<ApiKeyRecord>();

    public DbSet<OrganisationPolicyRecord> Policies => Set<OrganisationPolicyRecord>();

    public DbSet<MemberBudgetRecord> MemberBudgets => Set<MemberBudgetRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(ModuleSchemas.Keys);
        modelBuilder.Entity<ApiKeyRecord>(key =>
        {
            key.ToTable("api_keys");
            key.HasKey(k => k.Id);
            key.Property(k => k.AccountId).HasMaxLength(450);
            key.Property(k => k.MemberUserId).HasMaxLength(450);
            key.HasIndex(k => k.MemberUserId);
            key.Property(k => k.Name).HasMaxLength(100);
            key.Property(k => k.Hash).HasMaxLength(32);
            key.HasIndex(k => k.Hash).IsUnique();
            key.HasIndex(k => k.AccountId);
            key.Property(k => k.Preview).HasMaxLength(40);
            key.Property(k => k.SpendLimit).HasPrecision(18, 8);
            key.Property(k => k.MonthlySpendLimit).HasPrecision(18, 8);
            key.Property(k => k.RevokedBy).HasMaxLength(450);
            key.Ignore(k => k.Scope);
        });
        modelBuilder.Entity<OrganisationPolicyRecord>(policy =>
        {
            policy.ToTable("organisation_policies");
            policy.HasKey(p => p.AccountId);
            policy.Property(p => p.AccountId).HasMaxLength(450);
            policy.Property(p => p.UpdatedBy).HasMaxLength(450);
        });
        modelBuilder.Entity<MemberBudgetRecord>(budget =>
        {
            budget.ToTable("member_budgets");
            budget.HasKey(b => new { b.AccountId, b.UserId });
            budget.Property(b => b.AccountId).HasMaxLength(450);
            budget.Property(b => b.UserId).HasMaxLength(450);
            budget.Property(b => b.SpendLimit).HasPrecision(18, 8);
            budget.Property(b => b.MonthlySpendLimit).HasPrecision(18, 8);
            budget.Property(b => b.UpdatedBy).HasMaxLength(450);
        });
    }

    public Task NotifyChangedAsync(Guid keyId, CancellationToken cancellationToken) =>
        Database.ExecuteSqlAsync($"SELECT pg_notify({ChangeChannel}, {keyId.ToString()})", cancellationToken);

    public Task NotifyAccountChangedAsync(string accountId, CancellationToken cancellationToken) =>
        Database.ExecuteSqlAsync($"SELECT pg_notify({ChangeChannel}, {AccountPrefix + accountId})", cancellationToken);
}

using LlmTr.SharedKernel;
using Microsoft.EntityFrameworkCore;

namespace LlmTr.Modules.Catalog.Data;

internal sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
{
    /// <summary>The PostgreSQL channel every host listens on to reload its catalog snapshot.</summary>
    public const string ChangeChannel = "llmtr_catalog_changed";

    public DbSet<ProviderRecord> Providers => Set<ProviderRecord>();

    public DbSet<ModelRecord> Models => Set<ModelRecord>();

    public DbSet<PriceRecord> Prices => Set<PriceRecord>();

    public DbSet<DeploymentRecord> Deployments => Set<DeploymentRecord>();

    public DbSet<AccountRecord> Accounts => Set<AccountRecord>();

    public DbSet<ChangeRecord> Changes => Set<ChangeRecord>();

    /// <summary>Records a change and tells every host, in the caller's transaction: the notice goes out only if it commits.</summary>
    public async Task RecordChangeAsync(ChangeRecord change, CancellationToken cancellationToken)
    {
        Changes.Add(change);
        await SaveChangesAsync(cancellationToken);
        await Database.ExecuteSqlAsync($"SELECT pg_notify({ChangeChannel}, {change.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)})", cancellationToken);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(ModuleSchemas.Catalog);

        modelBuilder.Entity<ProviderRecord>(provider =>
        {
            provider.ToTable("providers");
            provider.HasKey(p => p.Id);
            provider.Property(p => p.Id).HasMaxLength(40);
            provider.Property(p => p.Protocol).HasConversion<string>().HasMaxLength(40);
            provider.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
            provider.Property(p => p.Country).HasMaxLength(2);
        });

        modelBuilder.Entity<ModelRecord>(model =>
        {
            model.ToTable("models");
            model.HasKey(m => m.Id);
            model.Property(m => m.Id).HasMaxLength(120);
            model.HasIndex(m => m.ProviderId);
            model.HasOne<ProviderRecord>().WithMany().HasForeignKey(m => m.ProviderId).OnDelete(DeleteBehavior.Restrict);
            model.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
            model.Property(m => m.Visibility).HasConversion<string>().HasMaxLength(20);
            model.OwnsMany(m => m.DataPath, hop =>
            {
                hop.ToJson("data_path");
                hop.Property(h => h.Keeps).HasConversion<string>();
            });
        });

        modelBuilder.Entity<PriceRecord>(price =>
        {
            price.ToTable("prices");
            price.HasKey(p => p.Id);
            price.Property(p => p.Unit).HasConversion<string>().HasMaxLength(40);
            price.Property(p => p.Amount).HasPrecision(18, 8);
            price.Property(p => p.Currency).HasMaxLength(3);
            price.Property(p => p.Variant).HasMaxLength(40);
            price.HasIndex(p => new { p.ModelId, p.Unit, p.Variant, p.EffectiveFrom }).IsUnique().AreNullsDistinct(false);
            price.HasOne<ModelRecord>().WithMany().HasForeignKey(p => p.ModelId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<AccountRecord>(account =>
        {
            account.ToTable("accounts");
            account.HasKey(a => a.Id);
            account.Property(a => a.Id).HasMaxLength(40);
            account.Property(a => a.DisplayName).HasMaxLength(100);
            account.Property(a => a.CredentialHint).HasMaxLength(4);
            account.Property(a => a.CredentialSetBy).HasMaxLength(256);
        });

        modelBuilder.Entity<DeploymentRecord>(deployment =>
        {
            deployment.ToTable("deployments");
            deployment.HasKey(d => new { d.ModelId, d.Name });
            deployment.Property(d => d.Name).HasMaxLength(40);
            deployment.Property(d => d.AccountId).HasMaxLength(40);
            deployment.HasIndex(d => d.AccountId);
            deployment.HasOne<ModelRecord>().WithMany().HasForeignKey(d => d.ModelId).OnDelete(DeleteBehavior.Cascade);
            deployment.Property(d => d.Protocol).HasConversion<string>().HasMaxLength(40);
            deployment.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
            deployment.Property(d => d.UpstreamName).HasMaxLength(120);
            deployment.Property(d => d.Region).HasMaxLength(60);
            deployment.ToTable(t => t.HasCheckConstraint("ck_deployments_weight", "\"Weight\" >= 0 AND \"Weight\" <= 1000"));
            deployment.OwnsMany(d => d.DataPath, hop =>
            {
                hop.ToJson("data_path");
                hop.Property(h => h.Keeps).HasConversion<string>();
            });
        });

        modelBuilder.Entity<ChangeRecord>(change =>
        {
            change.ToTable("changes");
            change.HasKey(c => c.Id);
            change.Property(c => c.Details).HasColumnType("jsonb");
            change.HasIndex(c => c.At);
        });
    }
}

using LlmTr.Identity.Audit;
using LlmTr.Identity.DataProtection;
using LlmTr.Identity.Sessions;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace LlmTr.Identity;

internal sealed class LlmTrIdentityDbContext(DbContextOptions<LlmTrIdentityDbContext> options)
    : IdentityDbContext<ApplicationUser>(options)
{
    public DbSet<UserSession> Sessions => Set<UserSession>();

    public DbSet<DataProtectionKeyRecord> DataProtectionKeys => Set<DataProtectionKeyRecord>();

    public DbSet<AdminAuditRecord> AdminAudit => Set<AdminAuditRecord>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasDefaultSchema(ModuleSchemas.Identity);
        builder.Entity<IdentityRole>().HasData(LlmTrRoles.Seed());

        builder.Entity<ApplicationUser>(user =>
        {
            user.Property(u => u.PreferredCulture).HasMaxLength(8);
            user.Property(u => u.PreferredTheme).HasMaxLength(8);
        });

        builder.Entity<UserSession>(session =>
        {
            session.ToTable("sessions");
            session.HasKey(s => s.Id);
            session.Property(s => s.Id).HasMaxLength(64);
            session.Property(s => s.UserId).HasMaxLength(450);
            session.HasIndex(s => s.UserId);
            session.HasIndex(s => s.ExpiresAt);
        });

        builder.Entity<DataProtectionKeyRecord>(key =>
        {
            key.ToTable("data_protection_keys");
            key.HasKey(k => k.Id);
            key.Property(k => k.FriendlyName).HasMaxLength(200);
        });

        // Written with plain SQL by AdminAuditWriter (inside other modules' transactions): keep the names in step.
        builder.Entity<AdminAuditRecord>(audit =>
        {
            audit.ToTable("admin_audit");
            audit.HasKey(a => a.Id);
            audit.Property(a => a.Actor).HasMaxLength(256);
            audit.Property(a => a.Action).HasMaxLength(64);
            audit.Property(a => a.Target).HasMaxLength(300);
            audit.Property(a => a.Details).HasMaxLength(AdminAuditWriter.MaxDetails);
            audit.HasIndex(a => a.At);
            audit.HasIndex(a => new { a.Action, a.Id });
        });
    }
}

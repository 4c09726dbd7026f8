using LlmTr.Identity.Audit;
using LlmTr.Identity.DataProtection;
using LlmTr.Identity.Organisations;
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

    public DbSet<OrganisationRecord> Organisations => Set<OrganisationRecord>();

    public DbSet<MembershipRecord> OrganisationMembers => Set<MembershipRecord>();

    public DbSet<InvitationRecord> OrganisationInvitations => Set<InvitationRecord>();

    public DbSet<OrganisationAuditRecord> OrganisationAudit => Set<OrganisationAuditRecord>();

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

        builder.Entity<OrganisationRecord>(organisation =>
        {
            organisation.ToTable("organisations");
            organisation.HasKey(o => o.Id);
            organisation.Property(o => o.Id).HasMaxLength(450);
            organisation.Property(o => o.Name).HasMaxLength(OrganisationOptions.MaxNameLength);
            organisation.HasIndex(o => o.CreatedAt);
        });

        builder.Entity<MembershipRecord>(member =>
        {
            member.ToTable("organisation_members");
            member.HasKey(m => new { m.OrganisationId, m.UserId });
            member.Property(m => m.OrganisationId).HasMaxLength(450);
            member.Property(m => m.UserId).HasMaxLength(450);
            member.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
            member.HasIndex(m => m.UserId);
            member.HasOne<OrganisationRecord>().WithMany().HasForeignKey(m => m.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<InvitationRecord>(invitation =>
        {
            invitation.ToTable("organisation_invitations");
            invitation.HasKey(i => i.Id);
            invitation.Property(i => i.OrganisationId).HasMaxLength(450);
            invitation.Property(i => i.Email).HasMaxLength(256);
            invitation.Property(i => i.NormalizedEmail).HasMaxLength(256);
            invitation.Property(i => i.Role).HasConversion<string>().HasMaxLength(16);
            invitation.Property(i => i.TokenHash).HasMaxLength(32);
            invitation.HasIndex(i => i.TokenHash).IsUnique();
            invitation.HasIndex(i => new { i.OrganisationId, i.CreatedAt });
            invitation.Property(i => i.InvitedBy).HasMaxLength(450);
            invitation.Property(i => i.AcceptedBy).HasMaxLength(450);
            invitation.HasOne<OrganisationRecord>().WithMany().HasForeignKey(i => i.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        });

        // Written with plain SQL by OrganisationAuditWriter (inside other modules' transactions): keep the names in step.
        builder.Entity<OrganisationAuditRecord>(audit =>
        {
            audit.ToTable("organisation_audit");
            audit.HasKey(a => a.Id);
            audit.Property(a => a.OrganisationId).HasMaxLength(450);
            audit.Property(a => a.ActorUserId).HasMaxLength(450);
            audit.Property(a => a.Action).HasMaxLength(64);
            audit.Property(a => a.Target).HasMaxLength(300);
            audit.Property(a => a.Details).HasMaxLength(OrganisationAuditWriter.MaxDetails);
            audit.HasIndex(a => new { a.OrganisationId, a.Id });
        });
    }
}

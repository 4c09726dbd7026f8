using System.Net.Mail;
using System.Security.Cryptography;
using LlmTr.Identity.Mail;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmTr.Identity.Organisations;

internal sealed class OrganisationService(
    IDbContextFactory<LlmTrIdentityDbContext> contexts,
    ILookupNormalizer normalizer,
    IOrganisationAudit audit,
    IMailQueue mail,
    ISiteAddress site,
    IServiceScopeFactory scopes,
    IOptions<OrganisationOptions> options,
    TimeProvider time) : IOrganisations
{
    private const int TokenBytes = 32;

    public async Task<IReadOnlyList<Membership>> MembershipsAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var memberships = await ReadWithPersonalAsync(db, userId, null, cancellationToken);
        return memberships.OrderBy(m => m.Organisation.Personal ? 0 : 1).ThenBy(m => m.Organisation.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
    }

    public async Task<Membership?> MembershipAsync(string organisationId, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await ReadWithPersonalAsync(db, userId, organisationId, cancellationToken)).SingleOrDefault();
    }

    public async Task<Membership?> SelectAsync(string userId, string? chosenOrganisationId, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrEmpty(chosenOrganisationId) && chosenOrganisationId.Length <= 450
            && await MembershipAsync(chosenOrganisationId, userId, cancellationToken) is { } chosen)
        {
            return chosen;
        }

        return await MembershipAsync(userId, userId, cancellationToken);
    }

    public async Task<Organisation?> FindAsync(string organisationId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var found = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organisationId, cancellationToken);
        return found is null ? null : ToContract(found);
    }

    public async Task<(Organisation? Organisation, IReadOnlyDictionary<string, string[]> Errors)> CreateAsync(
        string userId, string name, CancellationToken cancellationToken = default)
    {
        name = name?.Trim() ?? "";
        if (NameProblem(name) is { } problem)
        {
            return (null, new Dictionary<string, string[]> { ["Name"] = [problem] });
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await LockAsync(db, $"user:{userId}", cancellationToken);
        var owned = await db.OrganisationMembers.CountAsync(
            m => m.UserId == userId && m.Role == OrganisationRole.Owner && db.Organisations.Any(o => o.Id == m.OrganisationId && !o.Personal), cancellationToken);
        if (owned >= options.Value.MaxOrganisationsPerUser)
        {
            return (null, new Dictionary<string, string[]>
            {
                ["Name"] = [$"You already own {owned} organisations, the most one account may create ({options.Value.MaxOrganisationsPerUser})."],
            });
        }

        var now = time.GetUtcNow();
        var organisation = new OrganisationRecord { Id = $"org_{Guid.CreateVersion7(now):N}", Name = name, Personal = false, CreatedAt = now };
        db.Organisations.Add(organisation);
        db.OrganisationMembers.Add(new MembershipRecord { OrganisationId = organisation.Id, UserId = userId, Role = OrganisationRole.Owner, JoinedAt = now });
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new OrganisationAuditEvent(organisation.Id, userId, OrganisationActions.Created, null, name), transaction.GetDbTransaction(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (ToContract(organisation), new Dictionary<string, string[]>());
    }

    public async Task<OrganisationChange> RenameAsync(string organisationId, string actorUserId, string name, CancellationToken cancellationToken = default)
    {
        name = name?.Trim() ?? "";
        if (NameProblem(name) is { } problem)
        {
            return OrganisationChange.Invalid("Name", problem);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await AuthorizeAsync(db, organisationId, actorUserId, OrganisationPermission.Own, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        var organisation = await db.Organisations.SingleAsync(o => o.Id == organisationId, cancellationToken);
        var before = organisation.Name;
        organisation.Name = name;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new OrganisationAuditEvent(organisationId, actorUserId, OrganisationActions.Renamed, null, $"{before} → {name}"),
            transaction.GetDbTransaction(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return OrganisationChange.Done;
    }

    public async Task<IReadOnlyList<OrganisationMember>> MembersAsync(string organisationId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var members = await (
            from m in db.OrganisationMembers.AsNoTracking()
            join u in db.Users.AsNoTracking() on m.UserId equals u.Id
            where m.OrganisationId == organisationId
            select new { m.UserId, u.Email, m.Role, m.JoinedAt }).ToListAsync(cancellationToken);
        return members
            .Select(m => new OrganisationMember(m.UserId, m.Email ?? m.UserId, m.Role, m.JoinedAt))
            .OrderBy(m => m.Role).ThenBy(m => m.Email, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    public async Task<IReadOnlyList<OrganisationInvitation>> InvitationsAsync(string organisationId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pending = await (
            from i in db.OrganisationInvitations.AsNoTracking()
            join u in db.Users.AsNoTracking() on i.InvitedBy equals u.Id into inviters
            from u in inviters.DefaultIfEmpty()
            where i.OrganisationId == organisationId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now
            orderby i.CreatedAt descending
            select new { i.Id, i.Email, i.Role, i.CreatedAt, i.ExpiresAt, Inviter = u == null ? i.InvitedBy : u.Email }).ToListAsync(cancellationToken);
        return pending.Select(i => new OrganisationInvitation(i.Id, i.Email, i.Role, i.CreatedAt, i.ExpiresAt, i.Inviter ?? "")).ToList();
    }

    public async Task<OrganisationChange> InviteAsync(
        string organisationId, string actorUserId, string email, OrganisationRole role, CancellationToken cancellationToken = default)
    {
        email = email?.Trim() ?? "";
        if (EmailProblem(email) is { } problem)
        {
            return OrganisationChange.Invalid("Email", problem);
        }

        if (!Enum.IsDefined(role))
        {
            return OrganisationChange.Invalid("Role", "Choose a role: owner, admin, billing or member.");
        }

        var normalized = normalizer.NormalizeEmail(email);
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await LockAsync(db, $"org:{organisationId}", cancellationToken);
        if (await AuthorizeAsync(db, organisationId, actorUserId, OrganisationPermission.ManageMembers, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        var organisation = await db.Organisations.SingleAsync(o => o.Id == organisationId, cancellationToken);
        if (organisation.Personal)
        {
            return OrganisationChange.Of(OrganisationChangeStatus.Personal);
        }

        if (role == OrganisationRole.Owner && !await HasRoleAsync(db, organisationId, actorUserId, OrganisationRole.Owner, cancellationToken))
        {
            return OrganisationChange.Invalid("Role", "Only an owner can invite another owner.");
        }

        var alreadyMember = await (
            from m in db.OrganisationMembers
            join u in db.Users on m.UserId equals u.Id
            where m.OrganisationId == organisationId && u.NormalizedEmail == normalized
            select m).AnyAsync(cancellationToken);
        if (alreadyMember)
        {
            return OrganisationChange.Invalid("Email", $"{email} is already a member of this organisation.");
        }

        var open = db.OrganisationInvitations.Where(i => i.OrganisationId == organisationId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now);
        if (await open.AnyAsync(i => i.NormalizedEmail == normalized, cancellationToken))
        {
            return OrganisationChange.Invalid("Email", $"{email} already has an invitation waiting; revoke it first to send a new one.");
        }

        var size = await db.OrganisationMembers.CountAsync(m => m.OrganisationId == organisationId, cancellationToken) + await open.CountAsync(cancellationToken);
        if (size >= options.Value.MaxMembers)
        {
            return OrganisationChange.Invalid("Email", $"An organisation can have at most {options.Value.MaxMembers} members and invitations together.");
        }

        var token = RandomNumberGenerator.GetBytes(TokenBytes);
        var invitation = new InvitationRecord
        {
            Id = Guid.CreateVersion7(now),
            OrganisationId = organisationId,
            Email = email,
            NormalizedEmail = normalized,
            Role = role,
            TokenHash = SHA256.HashData(token),
            CreatedAt = now,
            ExpiresAt = now + options.Value.InvitationLifetime,
            InvitedBy = actorUserId,
        };
        db.OrganisationInvitations.Add(invitation);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new OrganisationAuditEvent(organisationId, actorUserId, OrganisationActions.MemberInvited, $"invitation:{invitation.Id}", $"{email} as {role.Name()}"),
            transaction.GetDbTransaction(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var inviter = await db.Users.AsNoTracking().Where(u => u.Id == actorUserId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken) ?? "";
        mail.Enqueue(InvitationMail(email, organisation.Name, inviter, role, Base64Url(token), invitation.ExpiresAt));
        return OrganisationChange.Done;
    }

    public async Task<OrganisationChange> RevokeInvitationAsync(string organisationId, string actorUserId, Guid invitationId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await AuthorizeAsync(db, organisationId, actorUserId, OrganisationPermission.ManageMembers, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        var invitation = await db.OrganisationInvitations.SingleOrDefaultAsync(
            i => i.Id == invitationId && i.OrganisationId == organisationId && i.AcceptedAt == null && i.RevokedAt == null, cancellationToken);
        if (invitation is null)
        {
            return OrganisationChange.Of(OrganisationChangeStatus.NotFound);
        }

        invitation.RevokedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new OrganisationAuditEvent(organisationId, actorUserId, OrganisationActions.InvitationRevoked, $"invitation:{invitation.Id}", invitation.Email),
            transaction.GetDbTransaction(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return OrganisationChange.Done;
    }

    public async Task<InvitationPreview?> PreviewAsync(string token, CancellationToken cancellationToken = default)
    {
        if (HashOf(token) is not { } hash)
        {
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var found = await (
            from i in db.OrganisationInvitations.AsNoTracking()
            join o in db.Organisations.AsNoTracking() on i.OrganisationId equals o.Id
            where i.TokenHash == hash
            select new { Invitation = i, o.Name }).SingleOrDefaultAsync(cancellationToken);
        return found is null ? null : new InvitationPreview(found.Invitation.OrganisationId, found.Name, found.Invitation.Email, found.Invitation.Role, StateOf(found.Invitation));
    }

    public async Task<(Membership? Membership, OrganisationChange Change)> AcceptAsync(string token, string userId, CancellationToken cancellationToken = default)
    {
        if (HashOf(token) is not { } hash)
        {
            return (null, OrganisationChange.Of(OrganisationChangeStatus.NotFound));
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var invitation = await db.OrganisationInvitations.SingleOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
        if (invitation is null)
        {
            return (null, OrganisationChange.Of(OrganisationChangeStatus.NotFound));
        }

        await LockAsync(db, $"org:{invitation.OrganisationId}", cancellationToken);
        await db.Entry(invitation).ReloadAsync(cancellationToken);
        switch (StateOf(invitation))
        {
            case InvitationState.Accepted when invitation.AcceptedBy == userId:
                return ((await ReadMembershipsAsync(db, userId, invitation.OrganisationId, cancellationToken)).SingleOrDefault(), OrganisationChange.Done);
            case InvitationState.Accepted:
                return (null, OrganisationChange.Invalid("Token", "This invitation has already been accepted."));
            case InvitationState.Expired:
                return (null, OrganisationChange.Invalid("Token", "This invitation has expired: ask for a new one."));
            case InvitationState.Revoked:
                return (null, OrganisationChange.Invalid("Token", "This invitation was withdrawn."));
        }

        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return (null, OrganisationChange.Of(OrganisationChangeStatus.NotFound));
        }

        if (user.NormalizedEmail != invitation.NormalizedEmail)
        {
            return (null, OrganisationChange.Invalid("Token", $"This invitation is for {invitation.Email}; sign in with that address to accept it."));
        }

        var now = time.GetUtcNow();
        user.EmailConfirmed = true; // the link reached this mailbox
        invitation.AcceptedAt = now;
        invitation.AcceptedBy = userId;
        var joined = !await db.OrganisationMembers.AnyAsync(m => m.OrganisationId == invitation.OrganisationId && m.UserId == userId, cancellationToken);
        if (joined)
        {
            db.OrganisationMembers.Add(new MembershipRecord { OrganisationId = invitation.OrganisationId, UserId = userId, Role = invitation.Role, JoinedAt = now });
        }

        await db.SaveChangesAsync(cancellationToken);
        if (joined)
        {
            await audit.RecordAsync(new OrganisationAuditEvent(invitation.OrganisationId, userId, OrganisationActions.MemberJoined, $"member:{userId}", $"{invitation.Email} as {invitation.Role.Name()}"),
                transaction.GetDbTransaction(), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return ((await ReadMembershipsAsync(db, userId, invitation.OrganisationId, cancellationToken)).Single(), OrganisationChange.Done);
    }

    public async Task<OrganisationChange> ChangeRoleAsync(
        string organisationId, string actorUserId, string memberUserId, OrganisationRole role, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(role))
        {
            return OrganisationChange.Invalid("Role", "Choose a role: owner, admin, billing or member.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await LockAsync(db, $"org:{organisationId}", cancellationToken);
        if (await AuthorizeAsync(db, organisationId, actorUserId, OrganisationPermission.ManageMembers, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        var member = await db.OrganisationMembers.SingleOrDefaultAsync(m => m.OrganisationId == organisationId && m.UserId == memberUserId, cancellationToken);
        if (member is null)
        {
            return OrganisationChange.Of(OrganisationChangeStatus.NotFound);
        }

        if (member.Role == role)
        {
            return OrganisationChange.Done;
        }

        if ((member.Role == OrganisationRole.Owner || role == OrganisationRole.Owner)
            && !await HasRoleAsync(db, organisationId, actorUserId, OrganisationRole.Owner, cancellationToken))
        {
            return OrganisationChange.Of(OrganisationChangeStatus.Forbidden);
        }

        if (member.Role == OrganisationRole.Owner && await OwnersAsync(db, organisationId, cancellationToken) == 1)
        {
            return OrganisationChange.Of(OrganisationChangeStatus.LastOwner);
        }

        var before = member.Role;
        member.Role = role;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new OrganisationAuditEvent(organisationId, actorUserId, OrganisationActions.RoleChanged, $"member:{memberUserId}", $"{before.Name()} → {role.Name()}"),
            transaction.GetDbTransaction(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return OrganisationChange.Done;
    }

    public async Task<OrganisationChange> RemoveAsync(string organisationId, string actorUserId, string memberUserId, CancellationToken cancellationToken = default)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await LockAsync(db, $"org:{organisationId}", cancellationToken);
            var leaving = actorUserId == memberUserId;
            if (!leaving && await AuthorizeAsync(db, organisationId, actorUserId, OrganisationPermission.ManageMembers, cancellationToken) is { } refusal)
            {
                return refusal;
            }

            var member = await db.OrganisationMembers.SingleOrDefaultAsync(m => m.OrganisationId == organisationId && m.UserId == memberUserId, cancellationToken);
            if (member is null)
            {
                return OrganisationChange.Of(OrganisationChangeStatus.NotFound);
            }

            if (await db.Organisations.AnyAsync(o => o.Id == organisationId && o.Personal, cancellationToken))
            {
                return OrganisationChange.Of(OrganisationChangeStatus.Personal);
            }

            if (member.Role == OrganisationRole.Owner)
            {
                if (!leaving && !await HasRoleAsync(db, organisationId, actorUserId, OrganisationRole.Owner, cancellationToken))
                {
                    return OrganisationChange.Of(OrganisationChangeStatus.Forbidden);
                }

                if (await OwnersAsync(db, organisationId, cancellationToken) == 1)
                {
                    return OrganisationChange.Of(OrganisationChangeStatus.LastOwner);
                }
            }

            db.OrganisationMembers.Remove(member);
            await db.SaveChangesAsync(cancellationToken);
            await audit.RecordAsync(
                new OrganisationAuditEvent(organisationId, actorUserId, leaving ? OrganisationActions.MemberLeft : OrganisationActions.MemberRemoved, $"member:{memberUserId}", member.Role.Name()),
                transaction.GetDbTransaction(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await using (var scope = scopes.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IEventPublisher>()
                .PublishAsync(new OrganisationMemberRemoved(organisationId, memberUserId, actorUserId), cancellationToken);
        }

        return OrganisationChange.Done;
    }

    public async Task<IReadOnlyList<string>> BillingContactsAsync(string organisationId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var contacts = await (
            from m in db.OrganisationMembers.AsNoTracking()
            join u in db.Users.AsNoTracking() on m.UserId equals u.Id
            where m.OrganisationId == organisationId && (m.Role == OrganisationRole.Owner || m.Role == OrganisationRole.Billing) && u.Email != null
            orderby u.Email
            select u.Email!).ToListAsync(cancellationToken);
        if (contacts.Count == 0 && await db.Users.AsNoTracking().Where(u => u.Id == organisationId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken) is { } personal)
        {
            contacts.Add(personal); // a personal organisation whose row is not made yet: its account
        }

        return contacts;
    }

    public async Task<IReadOnlyList<OrganisationSummary>> ListAsync(string? search, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organisations = db.Organisations.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            var normalized = normalizer.NormalizeEmail(term);
            organisations = organisations.Where(o => EF.Functions.ILike(o.Name, "%" + term.Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%")
                || db.OrganisationMembers.Any(m => m.OrganisationId == o.Id && db.Users.Any(u => u.Id == m.UserId && u.NormalizedEmail!.Contains(normalized))));
        }

        var page = await organisations.OrderByDescending(o => o.CreatedAt).Take(Math.Clamp(limit, 1, 500)).ToListAsync(cancellationToken);
        var ids = page.Select(o => o.Id).ToList();
        var members = await (
            from m in db.OrganisationMembers.AsNoTracking()
            join u in db.Users.AsNoTracking() on m.UserId equals u.Id
            where ids.Contains(m.OrganisationId)
            select new { m.OrganisationId, m.Role, u.Email }).ToListAsync(cancellationToken);
        var byOrganisation = members.ToLookup(m => m.OrganisationId);
        return page.Select(o => new OrganisationSummary(
            ToContract(o),
            byOrganisation[o.Id].Count(),
            byOrganisation[o.Id].Where(m => m.Role == OrganisationRole.Owner).Select(m => m.Email ?? "").Order(StringComparer.OrdinalIgnoreCase).ToList())).ToList();
    }

    public async Task<IReadOnlyList<OrganisationAuditEntry>> AuditAsync(string organisationId, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await (
            from a in db.OrganisationAudit.AsNoTracking()
            join u in db.Users.AsNoTracking() on a.ActorUserId equals u.Id into actors
            from u in actors.DefaultIfEmpty()
            where a.OrganisationId == organisationId
            orderby a.Id descending
            select new { a.Id, a.At, Actor = u == null ? a.ActorUserId : u.Email, a.Action, a.Target, a.Details })
            .Take(Math.Clamp(limit, 1, 1000)).ToListAsync(cancellationToken);
        return rows.Select(a => new OrganisationAuditEntry(a.Id, a.At, a.Actor ?? "", a.Action, a.Target, a.Details)).ToList();
    }

    /// <summary>Creates the personal organisation of an account that has none yet (an account from before organisations, or whose row was lost); safe to race.</summary>
    internal static async Task EnsurePersonalAsync(LlmTrIdentityDbContext db, string userId, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO identity.organisations ("Id", "Name", "Personal", "CreatedAt")
            SELECT u."Id", coalesce(u."Email", u."Id"), TRUE, u."CreatedAt" FROM identity."AspNetUsers" u WHERE u."Id" = {userId}
            ON CONFLICT ("Id") DO NOTHING
            """, cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO identity.organisation_members ("OrganisationId", "UserId", "Role", "JoinedAt")
            SELECT o."Id", o."Id", 'Owner', o."CreatedAt" FROM identity.organisations o WHERE o."Id" = {userId} AND o."Personal"
            ON CONFLICT ("OrganisationId", "UserId") DO NOTHING
            """, cancellationToken);
    }

    /// <summary>
    /// <see cref="ReadMembershipsAsync"/>, first making the user's personal organisation when the read asked for it (all
    /// memberships, or the personal one) and the user has none yet.
    /// </summary>
    private static async Task<List<Membership>> ReadWithPersonalAsync(
        LlmTrIdentityDbContext db, string userId, string? organisationId, CancellationToken cancellationToken)
    {
        var memberships = await ReadMembershipsAsync(db, userId, organisationId, cancellationToken);
        if ((organisationId is null || organisationId == userId) && !memberships.Exists(m => m.Organisation.Personal && m.OrganisationId == userId)
            && await db.Users.AnyAsync(u => u.Id == userId, cancellationToken))
        {
            await EnsurePersonalAsync(db, userId, cancellationToken);
            memberships = await ReadMembershipsAsync(db, userId, organisationId, cancellationToken);
        }

        return memberships;
    }

    /// <summary>The user's memberships (of one organisation only, when given), read into contract records.</summary>
    private static async Task<List<Membership>> ReadMembershipsAsync(
        LlmTrIdentityDbContext db, string userId, string? organisationId, CancellationToken cancellationToken)
    {
        var rows = await (
            from m in db.OrganisationMembers.AsNoTracking()
            join o in db.Organisations.AsNoTracking() on m.OrganisationId equals o.Id
            where m.UserId == userId && (organisationId == null || m.OrganisationId == organisationId)
            select new { o.Id, o.Name, o.Personal, o.CreatedAt, m.Role }).ToListAsync(cancellationToken);
        return rows.Select(r => new Membership(new Organisation(r.Id, r.Name, r.Personal, r.CreatedAt), userId, r.Role)).ToList();
    }

    private static async Task<OrganisationChange?> AuthorizeAsync(
        LlmTrIdentityDbContext db, string organisationId, string actorUserId, OrganisationPermission permission, CancellationToken cancellationToken)
    {
        var role = await db.OrganisationMembers
            .Where(m => m.OrganisationId == organisationId && m.UserId == actorUserId)
            .Select(m => (OrganisationRole?)m.Role)
            .SingleOrDefaultAsync(cancellationToken);
        return role switch
        {
            null => OrganisationChange.Of(OrganisationChangeStatus.NotFound),
            { } r when !r.Can(permission) => OrganisationChange.Of(OrganisationChangeStatus.Forbidden),
            _ => null,
        };
    }

    private static Task<bool> HasRoleAsync(LlmTrIdentityDbContext db, string organisationId, string userId, OrganisationRole role, CancellationToken cancellationToken) =>
        db.OrganisationMembers.AnyAsync(m => m.OrganisationId == organisationId && m.UserId == userId && m.Role == role, cancellationToken);

    private static Task<int> OwnersAsync(LlmTrIdentityDbContext db, string organisationId, CancellationToken cancellationToken) =>
        db.OrganisationMembers.CountAsync(m => m.OrganisationId == organisationId && m.Role == OrganisationRole.Owner, cancellationToken);

    /// <summary>Serializes changes to one organisation's members (last-owner and size checks) across hosts, until the transaction ends.</summary>
    private static Task<int> LockAsync(LlmTrIdentityDbContext db, string name, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"organisation:" + name}, 0))", cancellationToken);

    private InvitationState StateOf(InvitationRecord invitation) =>
        invitation.AcceptedAt is not null ? InvitationState.Accepted
        : invitation.RevokedAt is not null ? InvitationState.Revoked
        : invitation.ExpiresAt <= time.GetUtcNow() ? InvitationState.Expired
        : InvitationState.Pending;

    private OutgoingMail InvitationMail(string to, string organisation, string inviter, OrganisationRole role, string token, DateTimeOffset expires)
    {
        var link = site.For($"/organisations/invitations/{token}");
        var until = expires.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        return new OutgoingMail(
            to,
            $"LLMTR: {organisation} / davet — invitation",
            $"""
            {inviter} sizi LLMTR'de "{organisation}" organizasyonuna {RoleTr(role)} olarak davet etti.
            Daveti kabul etmek için bu adresle giriş yapın ya da kaydolun ve bağlantıyı açın ({until} tarihine kadar geçerli):

            {inviter} invited you to the organisation "{organisation}" on LLMTR as {role.Name()}.
            To accept, sign in or sign up with this address and open the link (valid until {until}):

            {link}

            Bu daveti beklemiyorsanız bu e-postayı yok sayın. / If you did not expect this invitation, ignore this e-mail.
            """);
    }

    private static string RoleTr(OrganisationRole role) => role switch
    {
        OrganisationRole.Owner => "sahip",
        OrganisationRole.Admin => "yönetici",
        OrganisationRole.Billing => "faturalama üyesi",
        _ => "üye",
    };

    private static string? NameProblem(string name) =>
        name.Length == 0 ? "Give the organisation a name."
        : name.Length > OrganisationOptions.MaxNameLength ? $"A name has at most {OrganisationOptions.MaxNameLength} characters."
        : name.Any(char.IsControl) ? "A name cannot contain control characters."
        : null;

    private static string? EmailProblem(string email)
    {
        if (email.Length is 0 or > 256 || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || !email.Contains('.', StringComparison.Ordinal))
        {
            return "Enter an e-mail address such as name@example.com.";
        }

        return null;
    }

    private static byte[]? HashOf(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }

        try
        {
            var bytes = Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + new string('=', (4 - token.Length % 4) % 4));
            return bytes.Length == TokenBytes ? SHA256.HashData(bytes) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static Organisation ToContract(OrganisationRecord o) => new(o.Id, o.Name, o.Personal, o.CreatedAt);
}

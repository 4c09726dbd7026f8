using LlmTr.Identity.Organisations;
using LlmTr.Modules.Keys.Contracts;

namespace LlmTr.Web.Organisations;

/// <summary>What a page may do in the organisation its user acts in.</summary>
public static class OrganisationAccess
{
    /// <summary>The member's keys in the organisation: all of them for owners and admins, their own for the rest.</summary>
    public static KeyHolder Keys(this Membership membership) =>
        new(membership.OrganisationId, membership.UserId, membership.Can(OrganisationPermission.ManageKeys));

    /// <summary>The resource key of a role's name, for pages.</summary>
    public static string RoleKey(OrganisationRole role) => $"Org_Role_{role}";
}

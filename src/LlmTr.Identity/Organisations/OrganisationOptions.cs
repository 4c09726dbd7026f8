namespace LlmTr.Identity.Organisations;

/// <summary>Limits of organisations (<c>Organisations</c> in configuration).</summary>
public sealed class OrganisationOptions
{
    public const string Section = "Organisations";

    public const int MaxNameLength = 100;

    /// <summary>How long an invitation link can be accepted.</summary>
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Organisations one user may create (the personal one not counted).</summary>
    public int MaxOrganisationsPerUser { get; set; } = 20;

    /// <summary>Members and pending invitations of one organisation together.</summary>
    public int MaxMembers { get; set; } = 500;
}

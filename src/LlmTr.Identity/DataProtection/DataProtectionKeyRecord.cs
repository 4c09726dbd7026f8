namespace LlmTr.Identity.DataProtection;

/// <summary>One key of the ASP.NET Core data protection key ring, shared by every host through the database.</summary>
internal sealed class DataProtectionKeyRecord
{
    public int Id { get; init; }

    public string? FriendlyName { get; init; }

    public required string Xml { get; init; }
}

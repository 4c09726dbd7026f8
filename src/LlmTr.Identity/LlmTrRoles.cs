namespace LlmTr.Identity;

public static class LlmTrRoles
{
    public const string Admin = "Admin";
    public const string Developer = "Developer";

    public static IReadOnlyList<string> All { get; } = [Admin, Developer];
}

namespace LlmTr.Identity;

/// <summary>The password rules, in one place: Identity enforces them and the forms say them before submitting.</summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 10;
}

namespace LlmTr.Web.Account;

internal static class PasswordRules
{
    /// <summary>
    /// Mirrors IdentityOptions.Password.RequiredLength set in AddLlmTrIdentity: the form says it before
    /// Identity would, and attributes need a constant.
    /// </summary>
    public const int MinimumLength = 10;
}

using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace LlmTr.Web.Account;

/// <summary>
/// Identity describes its errors in English only; the UI shows its own wording, in the visitor's language,
/// for the codes a person can cause, and Identity's description for anything else.
/// </summary>
internal static class IdentityErrorMessages
{
    /// <param name="passwordMinimumLength">The configured length (SignIn:PasswordMinimumLength), named by the too-short message.</param>
    public static IReadOnlyList<string> Describe(IEnumerable<IdentityError> errors, IStringLocalizer localizer, int passwordMinimumLength = LlmTr.Identity.PasswordPolicy.MinimumLength) =>
        errors.Select(error => Describe(error, localizer, passwordMinimumLength)).Distinct(StringComparer.Ordinal).ToList();

    private static string Describe(IdentityError error, IStringLocalizer localizer, int passwordMinimumLength)
    {
        var text = localizer["IdentityError_" + error.Code, passwordMinimumLength];
        return text.ResourceNotFound ? error.Description : text.Value;
    }
}

using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace LlmTr.Web.Account;

/// <summary>
/// Identity describes its errors in English only; the UI shows its own wording, in the visitor's language,
/// for the codes a person can cause, and Identity's description for anything else.
/// </summary>
internal static class IdentityErrorMessages
{
    public static IReadOnlyList<string> Describe(IEnumerable<IdentityError> errors, IStringLocalizer localizer) =>
        errors.Select(error => Describe(error, localizer)).Distinct(StringComparer.Ordinal).ToList();

    private static string Describe(IdentityError error, IStringLocalizer localizer)
    {
        var text = localizer["IdentityError_" + error.Code];
        return text.ResourceNotFound ? error.Description : text.Value;
    }
}

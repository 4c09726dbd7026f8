using System.Globalization;
using System.Resources;

namespace LlmTr.Web.Resources;

/// <summary>
/// Validation messages for DataAnnotations attributes, which can only read localized text through static
/// properties (<c>ErrorMessageResourceType</c>); they come from the same resx as the rest of the UI.
/// </summary>
internal static class ValidationText
{
    private static readonly ResourceManager Resources = new(typeof(SharedResource).FullName!, typeof(SharedResource).Assembly);

    public static string EmailRequired => Get(nameof(EmailRequired));

    public static string EmailInvalid => Get(nameof(EmailInvalid));

    public static string PasswordRequired => Get(nameof(PasswordRequired));

    public static string PasswordTooShort => Get(nameof(PasswordTooShort));

    public static string ConfirmPasswordRequired => Get(nameof(ConfirmPasswordRequired));

    public static string PasswordsDoNotMatch => Get(nameof(PasswordsDoNotMatch));

    public static string CurrentPasswordRequired => Get(nameof(CurrentPasswordRequired));

    public static string NewPasswordRequired => Get(nameof(NewPasswordRequired));

    public static string CodeRequired => Get(nameof(CodeRequired));

    public static string CodeInvalid => Get(nameof(CodeInvalid));

    private static string Get(string name) =>
        Resources.GetString("Validation_" + name, CultureInfo.CurrentUICulture)
        ?? throw new InvalidOperationException($"Missing validation text '{name}'.");
}

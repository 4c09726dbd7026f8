using System.ComponentModel.DataAnnotations;
using LlmTr.Web.Resources;

namespace LlmTr.Web.Account;

/// <summary>The code asked for after the password when two-factor sign-in is on: the app's six digits or a recovery code.</summary>
internal sealed class TwoFactorCodeInput
{
    [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.CodeRequired))]
    [StringLength(40, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.CodeInvalid))]
    public string Code { get; set; } = "";

    public bool RememberMachine { get; set; }

    /// <summary>The code without the spaces and dashes apps and people put in.</summary>
    public string Normalized => Code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);

    /// <summary>Six digits come from the authenticator app; anything else is tried as a recovery code.</summary>
    public bool IsAuthenticatorCode => Normalized.Length == 6 && Normalized.All(char.IsAsciiDigit);
}

/// <summary>The authenticator app's code that confirms the setup.</summary>
internal sealed class EnableTwoFactorInput
{
    [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.CodeRequired))]
    [RegularExpression(@"^\s*\d{3}\s?-?\d{3}\s*$", ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.CodeInvalid))]
    public string Code { get; set; } = "";
}

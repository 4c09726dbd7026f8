using System.ComponentModel.DataAnnotations;
using LlmTr.Web.Resources;

namespace LlmTr.Web.Account;

/// <summary>A new address for the account, with the current password so that an unattended session cannot move it.</summary>
internal sealed class ChangeEmailInput
{
    /// <summary>The longest address Identity stores.</summary>
    public const int MaxEmailLength = 256;

    [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.EmailRequired))]
    [EmailAddress(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.EmailInvalid))]
    public string NewEmail { get; set; } = "";

    [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.CurrentPasswordRequired))]
    public string CurrentPassword { get; set; } = "";
}

/// <summary>Deleting the account: the password, the two-factor code when two-factor sign-in is on, and an explicit yes.</summary>
internal sealed class DeleteAccountInput
{
    [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.CurrentPasswordRequired))]
    public string Password { get; set; } = "";

    /// <summary>The authenticator app's six digits or a recovery code; asked only when two-factor sign-in is on.</summary>
    public string? Code { get; set; }

    public bool Confirm { get; set; }

    /// <summary>The code without the spaces and dashes apps and people put in.</summary>
    public string NormalizedCode => (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
}

using System.ComponentModel.DataAnnotations;
using LlmTr.Identity;
using LlmTr.Web.Resources;

namespace LlmTr.Web.Account;

internal sealed class ChangePasswordInput
{
    [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.CurrentPasswordRequired))]
    public string CurrentPassword { get; set; } = "";

    [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.NewPasswordRequired))]
    [MinLength(PasswordPolicy.MinimumLength, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.PasswordTooShort))]
    public string NewPassword { get; set; } = "";

    [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.ConfirmPasswordRequired))]
    [Compare(nameof(NewPassword), ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.PasswordsDoNotMatch))]
    public string ConfirmPassword { get; set; } = "";
}

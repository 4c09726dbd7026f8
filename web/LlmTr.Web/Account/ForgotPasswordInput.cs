using System.ComponentModel.DataAnnotations;
using LlmTr.Web.Resources;

namespace LlmTr.Web.Account;

internal sealed class ForgotPasswordInput
{
    [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.EmailRequired))]
    [EmailAddress(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.EmailInvalid))]
    [MaxLength(256, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.EmailInvalid))]
    public string Email { get; set; } = "";
}

internal sealed class ResetPasswordInput
{
    [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.NewPasswordRequired))]
    [MinLength(LlmTr.Identity.PasswordPolicy.MinimumLength, ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.PasswordTooShort))]
    public string Password { get; set; } = "";

    [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.ConfirmPasswordRequired))]
    [Compare(nameof(Password), ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.PasswordsDoNotMatch))]
    public string ConfirmPassword { get; set; } = "";
}

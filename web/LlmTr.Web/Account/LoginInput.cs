using System.ComponentModel.DataAnnotations;
using LlmTr.Web.Resources;

namespace LlmTr.Web.Account;

internal sealed class LoginInput
{
    [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.EmailRequired))]
    [EmailAddress(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.EmailInvalid))]
    public string Email { get; set; } = "";

    [Required(ErrorMessageResourceType = typeof(ValidationText), ErrorMessageResourceName = nameof(ValidationText.PasswordRequired))]
    public string Password { get; set; } = "";

    public bool RememberMe { get; set; }
}

using System.ComponentModel.DataAnnotations;

namespace LlmTr.Identity;

/// <summary>
/// How hard guessing a password is made: the account lockout, the password's length, and how many sign-in, registration
/// and two-factor form posts one client address may make per minute.
/// </summary>
public sealed class SignInOptions
{
    public const string Section = "SignIn";

    /// <summary>Failed passwords or codes in a row that lock an account.</summary>
    [Range(1, 100)]
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The shortest password accepted; never below <see cref="PasswordPolicy.MinimumLength"/>, which the forms check first.</summary>
    [Range(PasswordPolicy.MinimumLength, 128)]
    public int PasswordMinimumLength { get; set; } = PasswordPolicy.MinimumLength;

    /// <summary>Sign-in, registration and two-factor posts one client address may make in a minute (counted per host).</summary>
    [Range(1, 100_000)]
    public int AttemptsPerMinute { get; set; } = 10;
}

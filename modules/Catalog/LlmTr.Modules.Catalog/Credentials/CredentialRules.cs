namespace LlmTr.Modules.Catalog.Credentials;

/// <summary>What a provider credential must look like to be stored, and the hint that tells stored ones apart.</summary>
internal static class CredentialRules
{
    /// <summary>The form's field the messages are keyed by.</summary>
    public const string Field = "Credential";

    public const int MinimumLength = 8;

    public const int MaximumLength = 4096;

    public const int HintLength = 4;

    /// <summary>Why the (trimmed) credential cannot be stored, or null when it can.</summary>
    /// <remarks>
    /// Providers issue keys as one token of visible ASCII; anything else (a space, a line break, a letter beyond ASCII)
    /// is a paste gone wrong, and could not travel in an HTTP header anyway. Anything shorter than eight characters
    /// is no real key, and would leave too little unseen once its last four are shown.
    /// </remarks>
    public static string? Problem(string credential)
    {
        if (credential.Length == 0)
        {
            return "Enter the credential the provider issued.";
        }

        if (credential.Length < MinimumLength)
        {
            return $"That is too short to be a provider's credential (at least {MinimumLength} characters).";
        }

        if (credential.Length > MaximumLength)
        {
            return $"That is too long to be a provider's credential (at most {MaximumLength} characters).";
        }

        foreach (var c in credential)
        {
            if (c is < '!' or > '~')
            {
                return "A credential is one line of visible ASCII characters, without spaces: paste it exactly as the provider shows it.";
            }
        }

        return null;
    }

    /// <summary>The last four characters, kept in clear to tell credentials apart; null for one too short to show any of.</summary>
    public static string? Hint(string? credential) =>
        credential is { Length: >= MinimumLength } ? credential[^HintLength..] : null;
}

namespace LlmTr.Modules.Catalog.Contracts;

/// <summary>
/// The credential each provider account's calls carry, from memory: asking costs no database call. A credential set on
/// any host reaches every host within seconds; <c>Providers:{account}:ApiKey</c> in configuration wins over a stored one,
/// for operators who keep secrets outside the database.
/// </summary>
public interface IProviderCredentials
{
    /// <summary>The account's credential, or null when it has none.</summary>
    string? For(string accountId);
}

using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Catalog.Credentials;

/// <summary>
/// Encrypts provider credentials for the catalog with the installation's data-protection key ring (shared by every
/// host through the database), under a purpose of their own so no other protected payload can be read as one.
/// </summary>
internal sealed class CredentialProtection(IDataProtectionProvider provider, IHostEnvironment environment, IOptions<KeyManagementOptions> keyManagement)
{
    public const string Purpose = "LlmTr.Catalog.ProviderCredentials.v1";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    /// <summary>
    /// Why this host must not store a credential, or null when it may. In Production the key ring must be encrypted
    /// at rest (<c>DataProtection:CertificatePath</c>): otherwise the keys that decrypt every credential would sit in the
    /// same database beside them, and a copy of the database would give away every provider account.
    /// </summary>
    public string? RefusalReason => environment.IsProduction() && keyManagement.Value.XmlEncryptor is null
        ? "Credentials cannot be stored here: the data-protection key ring is not encrypted to a certificate, so a copy of the database would reveal them. "
          + "Set DataProtection:CertificatePath on every host, or give the credential in configuration (Providers:<account>:ApiKey)."
        : null;

    public string Protect(string credential) => _protector.Protect(credential);

    /// <summary>The credential, or null when it cannot be decrypted (the key ring that encrypted it is gone or was replaced).</summary>
    public string? TryUnprotect(string protectedCredential)
    {
        try
        {
            return _protector.Unprotect(protectedCredential);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}

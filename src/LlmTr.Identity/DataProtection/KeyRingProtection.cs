using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LlmTr.Identity.DataProtection;

/// <summary>
/// Where the certificate that encrypts the data-protection key ring at rest is kept. The key ring (it signs session,
/// antiforgery and two-factor cookies) lives in the database that every host shares; without a certificate its keys are
/// stored as plain XML, so anyone who reads a database copy could forge sessions. With one, each key is encrypted to the
/// certificate before it is written, and only hosts holding the certificate's private key can use the ring.
/// </summary>
public sealed class KeyRingProtectionOptions
{
    public const string Section = "DataProtection";

    /// <summary>A PKCS#12 (.pfx) file holding the certificate and its private key; unset leaves the key ring unencrypted.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The file's password, when it has one.</summary>
    public string? CertificatePassword { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(CertificatePath);
}

/// <summary>
/// Encrypts the key ring with <see cref="KeyRingProtectionOptions"/>'s certificate when one is configured. The file is
/// read on first use, not while services are registered (settings can arrive after that), so a missing or unreadable
/// file is reported by the start-up validation, one line naming the setting, before any key could be written in the clear.
/// </summary>
internal static class KeyRingProtection
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KeyRingProtectionOptions>()
            .Bind(configuration.GetSection(KeyRingProtectionOptions.Section))
            .Validate(options => !options.IsConfigured || Problem(options) is null, "DataProtection:CertificatePath names a certificate that cannot protect the key ring: it must be a readable PKCS#12 (.pfx) file with an RSA private key, opened by DataProtection:CertificatePassword.")
            .ValidateOnStart();

        services.AddSingleton<KeyRingCertificate>();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(options =>
        {
            if (sp.GetRequiredService<KeyRingCertificate>().Certificate is { } certificate)
            {
                options.XmlEncryptor = new CertificateKeyEncryptor(certificate);
            }
        }));
    }

    /// <summary>Why the configured file cannot protect the key ring, or null when it can.</summary>
    internal static string? Problem(KeyRingProtectionOptions options)
    {
        try
        {
            using var certificate = Load(options);
            using var key = certificate.GetRSAPrivateKey();
            return key is null ? "the certificate has no RSA private key" : null;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return e.Message;
        }
    }

    internal static X509Certificate2 Load(KeyRingProtectionOptions options) =>
        X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath!, options.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
}

/// <summary>The key ring's certificate, read once per host (null when none is configured).</summary>
internal sealed class KeyRingCertificate(IOptions<KeyRingProtectionOptions> options) : IDisposable
{
    private readonly Lazy<X509Certificate2?> _certificate = new(() => options.Value.IsConfigured ? KeyRingProtection.Load(options.Value) : null);

    public X509Certificate2? Certificate => _certificate.Value;

    public void Dispose()
    {
        if (_certificate.IsValueCreated)
        {
            _certificate.Value?.Dispose();
        }
    }
}

/// <summary>
/// Encrypts each new key to the certificate (XML encryption: a fresh AES key for the key's XML, itself encrypted with the
/// certificate's RSA key), and names <see cref="CertificateKeyDecryptor"/> as the way back.
/// </summary>
internal sealed class CertificateKeyEncryptor(X509Certificate2 certificate) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var encrypted = new CertificateXmlEncryptor(certificate, NullLoggerFactory.Instance).Encrypt(plaintextElement);
        return new EncryptedXmlInfo(encrypted.EncryptedElement, typeof(CertificateKeyDecryptor));
    }
}

/// <summary>
/// Decrypts a key written by <see cref="CertificateKeyEncryptor"/> with the configured certificate's private key, taken
/// from this host's settings rather than an operating-system certificate store. Created by the key ring by type name
/// (it is written into every encrypted key), hence public.
/// </summary>
public sealed class CertificateKeyDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var certificate = services.GetRequiredService<KeyRingCertificate>().Certificate
            ?? throw new CryptographicException("The key ring is encrypted to a certificate, and DataProtection:CertificatePath is not set on this host.");

        // The encrypted element is replaced by its plaintext in place, so it needs a parent to be replaced within.
        var document = new XmlDocument { PreserveWhitespace = true };
        using (var reader = new XElement("keyRing", encryptedElement).CreateReader())
        {
            document.Load(reader);
        }

        new WithCertificate(document, certificate).DecryptDocument();
        return XElement.Load(document.DocumentElement!.FirstChild!.CreateNavigator()!.ReadSubtree());
    }

    /// <summary>XML decryption that takes the session key's RSA key from the given certificate.</summary>
    private sealed class WithCertificate(XmlDocument document, X509Certificate2 certificate) : EncryptedXml(document)
    {
        public override byte[]? DecryptEncryptedKey(EncryptedKey encryptedKey)
        {
            foreach (var clause in encryptedKey.KeyInfo)
            {
                if (clause is KeyInfoX509Data { Certificates: { } candidates } && candidates.OfType<X509Certificate2>().Any(c => c.Thumbprint == certificate.Thumbprint))
                {
                    using var rsa = certificate.GetRSAPrivateKey() ?? throw new CryptographicException("The key ring's certificate has no RSA private key.");
                    return DecryptKey(encryptedKey.CipherData.CipherValue!, rsa, encryptedKey.EncryptionMethod?.KeyAlgorithm == XmlEncRSAOAEPUrl);
                }
            }

            throw new CryptographicException("This key was encrypted to another certificate than DataProtection:CertificatePath's.");
        }
    }
}

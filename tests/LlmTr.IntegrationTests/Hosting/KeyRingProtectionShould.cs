using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LlmTr.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Hosting;

/// <summary>
/// The data-protection key ring (it signs session, antiforgery and two-factor cookies) lives in the shared database.
/// With <c>DataProtection:CertificatePath</c> set, its keys are stored encrypted to that certificate, and every host
/// holding the certificate can still use them.
/// </summary>
public sealed class KeyRingProtectionShould : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("llmtr-keyring-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Issue 18, finding 4 (key ring protection where configured).
    [Fact]
    public async Task StoreTheKeysEncryptedToTheCertificateAndShareThemWithAnotherHostHoldingIt()
    {
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        var settings = new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = WriteCertificate("key-ring.pfx", "a password"),
            ["DataProtection:CertificatePassword"] = "a password",
        };

        // A new installation: no key yet (the test template's own host already made one in the clear).
        await Sql.ExecuteAsync(database, "DELETE FROM identity.data_protection_keys");

        string protectedText;
        await using (var first = new LlmTrHostFactory(database, settings))
        {
            protectedText = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("a session");
        }

        var stored = await Sql.RowsAsync(database, "SELECT \"Xml\" FROM identity.data_protection_keys");
        Assert.NotEmpty(stored);
        Assert.All(stored, xml =>
        {
            Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        });

        await using var second = new LlmTrHostFactory(database, settings);
        Assert.Equal("a session", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedText));
    }

    // Without the setting the ring is stored as before (documented in SECURITY.md as the thing to configure in production).
    [Fact]
    public async Task StoreTheKeysAsPlainXmlWhenNoCertificateIsConfigured()
    {
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        await Sql.ExecuteAsync(database, "DELETE FROM identity.data_protection_keys");
        await using (var host = new LlmTrHostFactory(database))
        {
            host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("a session");
        }

        var stored = await Sql.RowsAsync(database, "SELECT \"Xml\" FROM identity.data_protection_keys");
        Assert.Contains(stored, xml => xml.Contains("<masterKey", StringComparison.Ordinal));
    }

    private string WriteCertificate(string name, string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=LLMTR key ring (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }
}

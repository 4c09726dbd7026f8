using LlmTr.Modules.Catalog.Credentials;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace LlmTr.UnitTests.Catalog;

/// <summary>What a provider credential must be to be stored, the hint kept of it, and how it is encrypted.</summary>
public sealed class CredentialRulesShould
{
    [Theory]
    [InlineData("sk-proj-abcdefgh1234wxyz", "wxyz")]
    [InlineData("12345678", "5678")]
    public void KeepTheLastFourCharactersAsTheHint(string credential, string hint) =>
        Assert.Equal(hint, CredentialRules.Hint(credential));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1234567")]
    public void KeepNoHintOfACredentialTooShortToShowAnyOf(string? credential) =>
        Assert.Null(CredentialRules.Hint(credential));

    [Theory]
    [InlineData("sk-proj-abcdefgh1234wxyz")]
    [InlineData("12345678")]
    [InlineData("AIzaSyA-0123456789_abcdefghijklmnopqrs")]
    public void AcceptAPlausibleCredential(string credential) => Assert.Null(CredentialRules.Problem(credential));

    [Theory]
    [InlineData("", "Enter the credential")]
    [InlineData("sk-1234", "too short")]
    [InlineData("sk-abc def-123456", "visible ASCII")]
    [InlineData("sk-abc\ndef-123456", "visible ASCII")]
    [InlineData("sk-anahtarım-123456", "visible ASCII")]
    public void RefuseAnImplausibleCredentialSayingWhy(string credential, string because)
    {
        var problem = CredentialRules.Problem(credential);

        Assert.NotNull(problem);
        Assert.Contains(because, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void RefuseACredentialLongerThanAnyProviderIssues()
    {
        Assert.Null(CredentialRules.Problem(new string('k', CredentialRules.MaximumLength)));
        Assert.Contains("too long", CredentialRules.Problem(new string('k', CredentialRules.MaximumLength + 1)), StringComparison.Ordinal);
    }

    [Fact]
    public void EncryptACredentialSoOnlyTheSameKeyRingReadsItBack()
    {
        var keyRing = new EphemeralDataProtectionProvider();
        var protection = Protection(keyRing, Environments.Development);

        var stored = protection.Protect("sk-proj-abcdefgh1234wxyz");

        Assert.DoesNotContain("abcdefgh1234wxyz", stored, StringComparison.Ordinal);
        Assert.Equal("sk-proj-abcdefgh1234wxyz", protection.TryUnprotect(stored));
        Assert.Null(Protection(new EphemeralDataProtectionProvider(), Environments.Development).TryUnprotect(stored)); // a lost key ring
        Assert.Null(protection.TryUnprotect("not a protected payload"));
    }

    [Theory]
    [InlineData("Production", false, true)]
    [InlineData("Production", true, false)]
    [InlineData("Staging", false, false)]
    [InlineData("Development", false, false)]
    public void RefuseToStoreInProductionOnlyWhenTheKeyRingIsNotEncrypted(string environment, bool encrypted, bool refused)
    {
        var keyManagement = new KeyManagementOptions { XmlEncryptor = encrypted ? new NullXmlEncryptor() : null };

        var reason = new CredentialProtection(new EphemeralDataProtectionProvider(), new HostingEnvironment { EnvironmentName = environment }, Options.Create(keyManagement))
            .RefusalReason;

        Assert.Equal(refused, reason is not null);
        if (refused)
        {
            Assert.Contains("DataProtection:CertificatePath", reason, StringComparison.Ordinal);
        }
    }

    private static CredentialProtection Protection(IDataProtectionProvider keyRing, string environment) =>
        new(keyRing, new HostingEnvironment { EnvironmentName = environment }, Options.Create(new KeyManagementOptions()));
}

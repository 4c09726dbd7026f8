using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LlmTr.IntegrationTests.Gateway;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.SharedKernel;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Admin;

/// <summary>
/// Credentials set in the admin console: stored encrypted, used by every host within moments of being set or cleared,
/// outranked by configuration, and never seen again in clear: not in a log, a page, an API answer or the database.
/// </summary>
public sealed class ProviderCredentialsShould(ProviderCredentialsFixture fixture) : IClassFixture<ProviderCredentialsFixture>
{
    private const string ConsoleSecret = "sk-console-Secret-0123456789-wxyz";
    private const string ReplacedSecret = "sk-console-Replaced-98765-abcd";
    private const string ShadowedSecret = "sk-deepseek-stored-but-shadowed-9999";
    private const string Mistral = "mistral/mistral-large-latest";
    private const string DeepSeek = "deepseek/deepseek-v4-flash";

    [Fact]
    public async Task ReachASecondHostWithinTwoSecondsAndStopWhenCleared()
    {
        var administration = fixture.First.Host.Services.GetRequiredService<IDeploymentAdministration>();
        using var client = fixture.Second.Host.CreateClient();
        Assert.NotEqual(HttpStatusCode.OK, await ChatAsync(client, Mistral)); // no credential yet: the provider refuses the call
        Assert.Null(LastAuthorization());

        Assert.True((await administration.SetCredentialAsync("mistral", $"  {ConsoleSecret}\n", "admin@llmtr.test")).Succeeded);
        await Poll.UntilAsync(async () => await ChatAsync(client, Mistral) == HttpStatusCode.OK && LastAuthorization() == $"Bearer {ConsoleSecret}",
            "the second host to send the credential set on the first", TimeSpan.FromSeconds(2));

        Assert.True((await administration.SetCredentialAsync("mistral", ReplacedSecret, "admin@llmtr.test")).Succeeded);
        await Poll.UntilAsync(async () => await ChatAsync(client, Mistral) == HttpStatusCode.OK && LastAuthorization() == $"Bearer {ReplacedSecret}",
            "the second host to send the replaced credential", TimeSpan.FromSeconds(2));

        Assert.True((await administration.ClearCredentialAsync("mistral", "admin@llmtr.test")).Succeeded);
        await Poll.UntilAsync(async () => await ChatAsync(client, Mistral) != HttpStatusCode.OK && LastAuthorization() is null,
            "the second host to stop sending the cleared credential", TimeSpan.FromSeconds(2));
        var view = (await administration.AccountsAsync()).Single(a => a.Id == "mistral");
        Assert.Equal((CredentialSource.None, null, true), (view.Source, view.Hint, view.IsProvider));
    }

    [Fact]
    public async Task LetConfigurationWinOverAStoredCredential()
    {
        var administration = fixture.First.Host.Services.GetRequiredService<IDeploymentAdministration>();
        using var client = fixture.Second.Host.CreateClient();

        Assert.True((await administration.SetCredentialAsync("deepseek", ShadowedSecret, "admin@llmtr.test")).Succeeded);
        // A credential set later reaching the second host proves it has read the stored ones past the shadowed one's change.
        Assert.True((await administration.SetCredentialAsync("mimo", "sk-mimo-set-later-5555", "admin@llmtr.test")).Succeeded);
        var secondCredentials = fixture.Second.Host.Services.GetRequiredService<IProviderCredentials>();
        await Poll.UntilAsync(() => Task.FromResult(secondCredentials.For("mimo") == "sk-mimo-set-later-5555"), "the second host to read the later credential");

        Assert.Equal(ProviderCredentialsFixture.ConfiguredSecret, secondCredentials.For("deepseek"));

        Assert.Equal(HttpStatusCode.OK, await ChatAsync(client, DeepSeek));
        Assert.Equal($"Bearer {ProviderCredentialsFixture.ConfiguredSecret}", LastAuthorization());
        var view = (await administration.AccountsAsync()).Single(a => a.Id == "deepseek");
        Assert.Equal((CredentialSource.Configuration, "0001", (DateTimeOffset?)null), (view.Source, view.Hint, view.SetAt));
    }

    [Fact]
    public async Task NeverShowTheCredentialInClearAnywhere()
    {
        var administration = fixture.First.Host.Services.GetRequiredService<IDeploymentAdministration>();
        Assert.True((await administration.SetCredentialAsync("xai", ConsoleSecret, "admin@llmtr.test")).Succeeded);
        Assert.True((await administration.SetCredentialAsync("qwen", "sk-too short", "admin@llmtr.test")).Errors.ContainsKey("Credential"));

        var view = (await administration.AccountsAsync()).Single(a => a.Id == "xai");
        Assert.Equal((CredentialSource.Console, "wxyz", "admin@llmtr.test"), (view.Source, view.Hint, view.SetBy));
        var (_, admin) = await TestAccounts.SignInAsync(fixture.First.Host, isAdmin: true);
        using var _ = admin;
        var page = await (await admin.GetAsync("/admin/accounts")).Content.ReadAsStringAsync();
        Assert.Contains("wxyz</code>", page, StringComparison.Ordinal); // the hint, however the ellipsis before it is encoded
        using var client = fixture.First.Host.CreateClient();
        var answers = new List<string>
        {
            page,
            await client.GetStringAsync(new Uri("/api/models", UriKind.Relative)),
            await (await admin.GetAsync("/admin/audit")).Content.ReadAsStringAsync(),
            await (await admin.GetAsync("/admin/catalog/history")).Content.ReadAsStringAsync(),
        };
        var connection = fixture.First.Host.ConnectionString;
        var stored = new List<string>();
        stored.AddRange(await Sql.RowsAsync(connection, "SELECT a::text FROM catalog.accounts a"));
        stored.AddRange(await Sql.RowsAsync(connection, "SELECT c::text FROM catalog.changes c"));
        stored.AddRange(await Sql.RowsAsync(connection, "SELECT a::text FROM identity.admin_audit a"));

        Assert.Contains(stored, row => row.Contains("credential set, ends …wxyz", StringComparison.Ordinal));
        Assert.Contains(stored, row => row.Contains(AdminActions.CredentialSet, StringComparison.Ordinal));
        foreach (var secret in new[] { "Secret-0123456789", "Replaced-98765", "stored-but-shadowed", "set-later-5555" })
        {
            Assert.All(answers.Concat(stored).Concat(fixture.First.Host.Logs.Entries).Concat(fixture.Second.Host.Logs.Entries),
                text => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task RefuseToStoreACredentialInProductionWithoutAnEncryptedKeyRing()
    {
        await using var production = new LlmTrHostFactory(fixture.First.Host.ConnectionString, new Dictionary<string, string?>(ProductionMail.Settings)
        {
            ["environment"] = "Production",
            ["Billing:TopUpsEnabled"] = "false",
        });
        var administration = production.Services.GetRequiredService<IDeploymentAdministration>();

        var result = await administration.SetCredentialAsync("google", ConsoleSecret, "admin@llmtr.test");

        Assert.False(result.Succeeded);
        Assert.Contains("DataProtection:CertificatePath", Assert.Single(result.Errors["Credential"]), StringComparison.Ordinal);
        Assert.Equal(0, await Sql.CountAsync(production.ConnectionString, "SELECT count(*) FROM catalog.accounts WHERE \"Id\" = 'google' AND \"ProtectedCredential\" IS NOT NULL"));
    }

    [Fact]
    public async Task AnswerFieldMessagesForBadInput()
    {
        var administration = fixture.First.Host.Services.GetRequiredService<IDeploymentAdministration>();

        Assert.Contains("short", (await administration.SetCredentialAsync("mistral", "abc", "a")).Errors["Credential"].Single(), StringComparison.Ordinal);
        Assert.Contains("ASCII", (await administration.SetCredentialAsync("mistral", "sk-with space-123", "a")).Errors["Credential"].Single(), StringComparison.Ordinal);
        Assert.True((await administration.SetCredentialAsync("no-such-account", ConsoleSecret, "a")).Errors.ContainsKey(nameof(AccountInput.Id)));
        Assert.True((await administration.ClearCredentialAsync("no-such-account", "a")).Errors.ContainsKey(nameof(AccountInput.Id)));
        Assert.True((await administration.ClearCredentialAsync("anthropic", "a")).Errors.ContainsKey("Credential"));
    }

    private async Task<HttpStatusCode> ChatAsync(HttpClient client, string model)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/chat/completions", UriKind.Relative))
        {
            Content = new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Key);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private string? LastAuthorization() => fixture.Upstream.Received.LastOrDefault()?.Header("Authorization");
}

/// <summary>Two hosts on one database, whose Mistral and DeepSeek are one fake; DeepSeek has a credential in configuration.</summary>
public sealed class ProviderCredentialsFixture : IAsyncLifetime
{
    public const string ConfiguredSecret = "sk-deepseek-from-configuration-0001";

    public FakeUpstream Upstream { get; private set; } = null!;

    public GatewayHost First { get; private set; } = null!;

    public GatewayHost Second { get; private set; } = null!;

    public string Key { get; private set; } = "";

    public async Task InitializeAsync()
    {
        // Like a provider, it refuses a call without a credential (the gateway still tries a model none of whose deployments has one).
        Upstream = await FakeUpstream.StartAsync((request, context) => request.Header("Authorization") is null
            ? Sse.JsonAsync(context, 401, FakeOpenAi.Error("You did not provide an API key.", "invalid_request_error"))
            : Sse.JsonAsync(context, 200, FakeOpenAi.Completion("hello")));
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Providers:mistral:BaseUrl"] = new Uri(Upstream.BaseAddress, "/v1").ToString(),
            ["Providers:deepseek:BaseUrl"] = new Uri(Upstream.BaseAddress, "/v1").ToString(),
            ["Providers:deepseek:ApiKey"] = ConfiguredSecret,
        };
        First = await GatewayHost.StartAsync([], settings, connectionString: database);
        Second = await GatewayHost.StartAsync([], settings, connectionString: database);
        Key = (await Second.FundedKeyAsync(key: new NewApiKey("credentials", RequestsPerMinute: 100_000))).Key.RawKey;
    }

    public async Task DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmTr.IntegrationTests.Gateway;
using LlmTr.Identity.Organisations;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Organisations;

/// <summary>
/// An organisation's policy applies to every key of it, the keys made before it too, before any upstream call; a
/// key's own scope narrows it and never widens it; and lifting it gives access back within seconds.
/// </summary>
public sealed class OrganisationPolicyShould : IAsyncLifetime
{
    private const string Global = "openai/gpt-4o";
    private const string Turkish = "llmtr/demo";

    private FakeUpstream upstream = null!;
    private GatewayHost gateway = null!;

    private LlmTrHostFactory Host => gateway.Host;

    public async Task InitializeAsync()
    {
        upstream = await FakeUpstream.StartAsync((_, context) => Sse.JsonAsync(context, 200, FakeOpenAi.Completion("from abroad")));
        gateway = await GatewayHost.StartAsync([("openai", upstream, "/v1")]);
        await gateway.WithoutFallbacksAsync(Global);
    }

    public async Task DisposeAsync()
    {
        await gateway.DisposeAsync();
        await upstream.DisposeAsync();
    }

    [Fact]
    public async Task RefuseAGlobalModelForEveryKeyWithoutCallingTheProviderAndServeATurkishOne()
    {
        Assert.False(gateway.Catalog.FindModel(Global)!.HostedInTurkey);
        Assert.True(gateway.Catalog.FindModel(Turkish)!.HostedInTurkey);
        var (owner, organisation, keys) = await OrganisationWithTwoMembersKeysAsync();
        foreach (var key in keys)
        {
            Assert.Equal(HttpStatusCode.OK, (await ChatAsync(key, Global)).Status); // before the policy, the provider answers
        }

        Assert.Equal(keys.Length, upstream.Received.Count);

        await SetPolicyAsync(organisation, owner, new OrganisationPolicy(TurkeyOnly: true, NoRetention: false, [], null), keys);
        var before = upstream.Received.Count;

        foreach (var key in keys)
        {
            var (status, error) = await ChatAsync(key, Global);
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.StartsWith($"Your organisation's policy 'residency: Turkey only' forbids '{Global}'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal("model_not_allowed", error.GetProperty("code").GetString());
            Assert.Equal(HttpStatusCode.OK, (await ChatAsync(key, Turkish)).Status);

            var listed = await ModelIdsAsync(key);
            Assert.Contains(Turkish, listed);
            Assert.DoesNotContain(Global, listed);
            Assert.All(listed, id => Assert.True(gateway.Catalog.FindModel(id)!.HostedInTurkey, $"{id} is listed under a Turkey-only policy."));
        }

        Assert.Equal(before, upstream.Received.Count);
    }

    [Fact]
    public async Task NotLetAKeysOwnScopeWidenThePolicy()
    {
        var (owner, organisation, keys) = await OrganisationWithTwoMembersKeysAsync();
        await SetPolicyAsync(organisation, owner, new OrganisationPolicy(TurkeyOnly: true, NoRetention: false, [], null), keys);
        var member = (await Host.Organisations().MembersAsync(organisation)).First(m => m.Role == OrganisationRole.Member).UserId;
        var wide = await OrganisationTesting.MemberKeyAsync(Host, organisation, member, new NewApiKey("wide", AllowedModels: ["openai/*", "llmtr/*"]));
        var narrow = await OrganisationTesting.MemberKeyAsync(Host, organisation, member, new NewApiKey("narrow", AllowedModels: ["llmtr/gemma-3-27b"]));

        var (status, error) = await ChatAsync(wide.RawKey, Global);
        var narrowed = await ChatAsync(narrow.RawKey, Turkish);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.StartsWith("Your organisation's policy 'residency: Turkey only'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, narrowed.Status); // the key's own narrower scope still applies under the policy
        Assert.StartsWith("This API key may not call", narrowed.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Global, await ModelIdsAsync(wide.RawKey));
        Assert.Empty(upstream.Received);

        // A key of the same member in another organisation (their personal one) is not bound by this policy.
        var personal = (await Host.Services.GetRequiredService<IApiKeys>().CreateAsync(member, new NewApiKey("personal"))).Key!;
        await Poll.UntilAsync(() => Task.FromResult(Host.Services.GetRequiredService<IApiKeyAuthenticator>().Authenticate(personal.RawKey).Identity is not null), "the personal key");
        await BillingFor(member);
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(personal.RawKey, Global)).Status);
    }

    [Fact]
    public async Task RefuseModelsOutsideTheAllowedListAndCapEachKeysRate()
    {
        var (owner, organisation, keys) = await OrganisationWithTwoMembersKeysAsync();
        await SetPolicyAsync(organisation, owner, new OrganisationPolicy(TurkeyOnly: false, NoRetention: false, ["llmtr/*"], MaxRequestsPerMinute: 2), keys);
        var authenticator = Host.Services.GetRequiredService<IApiKeyAuthenticator>();

        var (status, error) = await ChatAsync(keys[0], Global);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.StartsWith($"Your organisation's policy 'allowed models' forbids '{Global}'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.All(keys, key => Assert.Equal(2, authenticator.Authenticate(key).Identity!.RequestsPerMinute));
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(keys[1], Turkish)).Status);
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(keys[1], Turkish)).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ChatAsync(keys[1], Turkish)).Status);
        Assert.Empty(upstream.Received);
    }

    [Fact]
    public async Task GiveAccessBackWithinSecondsOfThePolicyBeingLifted()
    {
        var (owner, organisation, keys) = await OrganisationWithTwoMembersKeysAsync();
        await SetPolicyAsync(organisation, owner, new OrganisationPolicy(TurkeyOnly: true, NoRetention: false, [], null), keys);
        Assert.Equal(HttpStatusCode.Forbidden, (await ChatAsync(keys[0], Global)).Status);

        var clock = Stopwatch.StartNew();
        var errors = await Host.Services.GetRequiredService<IKeyPolicies>().SetPolicyAsync(organisation, OrganisationPolicy.None, owner);
        Assert.Empty(errors);
        foreach (var key in keys)
        {
            await Poll.UntilAsync(async () => (await ChatAsync(key, Global)).Status == HttpStatusCode.OK, "the lifted policy to reach the key", TimeSpan.FromSeconds(5));
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"Access came back after {clock.Elapsed}.");
        Assert.Contains(Global, await ModelIdsAsync(keys[0]));
        Assert.True((await Host.Services.GetRequiredService<IKeyPolicies>().PolicyAsync(organisation)).IsEmpty);
        Assert.Contains(await Host.Organisations().AuditAsync(organisation, 20), a => a.Target == "policy" && a.Details!.Contains("residency any", StringComparison.Ordinal));
    }

    /// <summary>An organisation with credit, a plain member and an admin, and one key of each made before any policy.</summary>
    private async Task<(string Owner, string Organisation, string[] Keys)> OrganisationWithTwoMembersKeysAsync()
    {
        var owner = await TestAccounts.CreateUserAsync(Host);
        var organisation = await OrganisationTesting.CreateOrganisationAsync(Host, owner);
        var member = await OrganisationTesting.AddMemberAsync(Host, organisation, owner, OrganisationRole.Member);
        var admin = await OrganisationTesting.AddMemberAsync(Host, organisation, owner, OrganisationRole.Admin);
        await OrganisationTesting.FundAsync(Host, organisation, 50m);
        var keys = new[]
        {
            (await OrganisationTesting.MemberKeyAsync(Host, organisation, member)).RawKey,
            (await OrganisationTesting.MemberKeyAsync(Host, organisation, admin)).RawKey,
        };
        return (owner, organisation, keys);
    }

    /// <summary>Sets the policy as an owner does and waits until this host's key directory applies it to every key.</summary>
    private async Task SetPolicyAsync(string organisation, string actor, OrganisationPolicy policy, IEnumerable<string> keys)
    {
        var errors = await Host.Services.GetRequiredService<IKeyPolicies>().SetPolicyAsync(organisation, policy, actor);
        Assert.Empty(errors);
        var authenticator = Host.Services.GetRequiredService<IApiKeyAuthenticator>();
        foreach (var key in keys)
        {
            await Poll.UntilAsync(() => Task.FromResult(Same(authenticator.Authenticate(key).Identity?.Policy, policy)), "the policy to reach the key", TimeSpan.FromSeconds(10));
        }
    }

    private static bool Same(OrganisationPolicy? applied, OrganisationPolicy policy) =>
        applied is not null && (applied.TurkeyOnly, applied.NoRetention, applied.MaxRequestsPerMinute) == (policy.TurkeyOnly, policy.NoRetention, policy.MaxRequestsPerMinute)
        && applied.AllowedModels.SequenceEqual(policy.AllowedModels);

    private async Task BillingFor(string userId) => await Billing.BillingTesting.GrantAsync(Host, userId, 10m);

    private async Task<(HttpStatusCode Status, JsonElement Error)> ChatAsync(string key, string model)
    {
        using var client = Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { model, messages = new[] { new { role = "user", content = "hello" } } }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var error = response.IsSuccessStatusCode ? default : JsonDocument.Parse(body).RootElement.GetProperty("error").Clone();
        return (response.StatusCode, error);
    }

    private async Task<List<string>> ModelIdsAsync(string key)
    {
        using var client = Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var body = JsonDocument.Parse(await client.GetStringAsync(new Uri("/v1/models", UriKind.Relative))).RootElement;
        return body.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).ToList();
    }
}

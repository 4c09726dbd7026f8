using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using LlmTr.Identity.Organisations;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Organisations;

/// <summary>
/// Removing a member revokes the keys they hold in that organisation on every host: the removal is made on one host,
/// and another host on the same database refuses the member's key within two seconds.
/// </summary>
public sealed class MemberRemovalAcrossHostsShould
{
    [Fact]
    public async Task StopTheRemovedMembersKeysOnASecondHostWithinTwoSeconds()
    {
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        await using var first = new LlmTrHostFactory(database);
        await using var second = new LlmTrHostFactory(database);
        _ = second.Services;

        var owner = await TestAccounts.CreateUserAsync(first);
        var organisation = await OrganisationTesting.CreateOrganisationAsync(first, owner);
        var leaving = await OrganisationTesting.AddMemberAsync(first, organisation, owner, OrganisationRole.Member);
        var staying = await OrganisationTesting.AddMemberAsync(first, organisation, owner, OrganisationRole.Member);
        var removedKeys = new[]
        {
            await OrganisationTesting.MemberKeyAsync(first, organisation, leaving, new NewApiKey("one")),
            await OrganisationTesting.MemberKeyAsync(first, organisation, leaving, new NewApiKey("two")),
        };
        var personalKey = (await first.Services.GetRequiredService<IApiKeys>().CreateAsync(leaving, new NewApiKey("personal"))).Key!;
        var stayingKey = await OrganisationTesting.MemberKeyAsync(first, organisation, staying);
        using var client = second.CreateClient();
        foreach (var key in removedKeys.Append(personalKey).Append(stayingKey))
        {
            await Poll.UntilAsync(async () => await StatusAsync(client, key.RawKey) == HttpStatusCode.OK, "the second host to know the key", TimeSpan.FromSeconds(10));
        }

        var clock = Stopwatch.StartNew();
        var removed = await first.Organisations().RemoveAsync(organisation, owner, leaving);
        Assert.True(removed.Succeeded);
        foreach (var key in removedKeys)
        {
            await Poll.UntilAsync(async () => await StatusAsync(client, key.RawKey) == HttpStatusCode.Unauthorized, "the second host to refuse the removed member's key", TimeSpan.FromSeconds(10));
        }

        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"The second host refused the removed member's keys only after {clock.Elapsed}.");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, stayingKey.RawKey));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, personalKey.RawKey)); // their own organisation's key is theirs still
        Assert.Null(await first.Organisations().MembershipAsync(organisation, leaving));
        Assert.Equal(2, await Sql.CountAsync(database,
            """SELECT count(*) FROM keys.api_keys WHERE "AccountId" = @o AND "MemberUserId" = @u AND "RevokedAt" IS NOT NULL""", ("o", organisation), ("u", leaving)));
        Assert.Contains(await first.Organisations().AuditAsync(organisation, 20), a => a.Target == $"member:{leaving}");
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}

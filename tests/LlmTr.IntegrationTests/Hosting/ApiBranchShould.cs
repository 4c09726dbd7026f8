using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Hosting;

/// <summary>
/// /v1 leaves the site's pipeline first thing: a request under it meets no cookie authentication, no signed-in user,
/// no request localization and no cookies, while the site's own requests still get all of them.
/// </summary>
public sealed class ApiBranchShould : IAsyncLifetime
{
    private LlmTrHostFactory _host = null!;
    private PipelineProbe _probe = null!;

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.InstanceAsync();
        _host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), services: services => _probe = PipelineProbe.AddTo(services));
        _ = _host.Services;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task RunTheApiWithoutTheSitesCookieAuthenticationOrLocalization()
    {
        var (userId, browser) = await TestAccounts.SignInAsync(_host);
        using (browser)
        {
            var key = await KeyOfAsync(userId);

            using var withKey = await browser.SendAsync(Tagged("keyed", HttpMethod.Get, "/v1/models", key));
            using var cookieOnly = await browser.SendAsync(Tagged("cookie-only", HttpMethod.Get, "/v1/models", rawKey: null));
            using var page = await browser.SendAsync(Tagged("page", HttpMethod.Get, "/dashboard", rawKey: null));

            Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, cookieOnly.StatusCode); // the site's session cookie is no API key
            Assert.Equal("invalid_api_key", ErrorCode(await cookieOnly.Content.ReadAsStringAsync()));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            foreach (var api in new[] { await _probe.RequestAsync("keyed"), await _probe.RequestAsync("cookie-only") })
            {
                Assert.False(api.CookieAuthenticationRan, $"{api.Tag}: the site's authentication ran on /v1");
                Assert.False(api.SignedIn, $"{api.Tag}: a signed-in user was established on /v1");
                Assert.False(api.LocalizationRan, $"{api.Tag}: request localization ran on /v1");
            }

            // The probe sees all three on the site's own requests, so the answers above are not the probe's blindness.
            var site = await _probe.RequestAsync("page");
            Assert.True(site.CookieAuthenticationRan && site.SignedIn && site.LocalizationRan, site.ToString());
            Assert.False(withKey.Headers.Contains("Set-Cookie"));
            Assert.False(cookieOnly.Headers.Contains("Set-Cookie"));
        }
    }

    [Fact]
    public async Task AnswerTheApiInEnglishWhateverLanguageTheCallerAsksFor()
    {
        using var client = _host.CreateClient();
        using var missingKey = Tagged("tr-401", HttpMethod.Post, "/v1/chat/completions", rawKey: null);
        missingKey.Content = new StringContent("""{"model":"llmtr/demo","messages":[]}""", Encoding.UTF8, "application/json");
        using var unknown = Tagged("tr-404", HttpMethod.Get, "/v1/no-such-endpoint", rawKey: null);
        foreach (var request in new[] { missingKey, unknown })
        {
            request.Headers.AcceptLanguage.ParseAdd("tr-TR");
            request.Headers.Add("Cookie", ".AspNetCore.Culture=c%3Dtr%7Cuic%3Dtr");
        }

        using var refused = await client.SendAsync(missingKey);
        using var notFound = await client.SendAsync(unknown);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.StartsWith("You didn't provide an API key.", Message(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.StartsWith("Unknown request URL: GET /v1/no-such-endpoint.", Message(await notFound.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        foreach (var response in new[] { refused, notFound })
        {
            Assert.False(response.Content.Headers.Contains("Content-Language"));
            Assert.False(response.Headers.Contains("Vary"));
            Assert.False(response.Headers.Contains("Set-Cookie"));
            Assert.StartsWith("req_", Assert.Single(response.Headers.GetValues("x-request-id")), StringComparison.Ordinal);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        }
    }

    [Fact]
    public void MarkEveryApiEndpointButTheFallbackAsNeedingAKey()
    {
        var endpoints = _host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => ("/" + e.RoutePattern.RawText!.TrimStart('/')).StartsWith("/v1/", StringComparison.Ordinal))
            .ToList();

        var open = endpoints.Where(e => e.Metadata.GetMetadata<ApiKeyRequired>() is null)
            .Select(e => $"{string.Join(",", e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])} {e.RoutePattern.RawText}")
            .ToList();

        Assert.True(endpoints.Count > 10, $"only {endpoints.Count} /v1 endpoints found");
        Assert.Equal(["* /v1/{**path}"], open);
    }

    private async Task<string> KeyOfAsync(string userId)
    {
        var created = (await _host.Services.GetRequiredService<IApiKeys>().CreateAsync(userId, new NewApiKey("branch test"))).Key!;
        var authenticator = _host.Services.GetRequiredService<IApiKeyAuthenticator>();
        await Poll.UntilAsync(() => Task.FromResult(authenticator.Authenticate(created.RawKey).Identity is not null), "the key to reach the key directory");
        return created.RawKey;
    }

    private static HttpRequestMessage Tagged(string tag, HttpMethod method, string path, string? rawKey)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-probe", tag);
        if (rawKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", rawKey);
        }

        return request;
    }

    private static string? ErrorCode(string body) => JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("code").GetString();

    private static string Message(string body) => JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString()!;
}

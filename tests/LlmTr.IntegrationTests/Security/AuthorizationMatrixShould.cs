using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LlmTr.IntegrationTests.Gateway;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Security;

/// <summary>
/// Every endpoint the host maps, asked by four callers: nobody, a developer who owns the resources named in the
/// addresses, another developer, and an admin. The expected answers live in <see cref="Matrix"/>; an endpoint the
/// host maps that the table does not classify fails the test by name, so a new endpoint cannot arrive unclassified.
/// Browser callers sign in through the login form (a real session cookie); /v1 callers use real API keys.
/// </summary>
public sealed class AuthorizationMatrixShould
{
    private enum Outcome
    {
        /// <summary>200.</summary>
        Ok,
        /// <summary>204.</summary>
        NoContent,
        /// <summary>A redirect somewhere other than sign-in or access denied (the endpoint did its work).</summary>
        Redirect,
        /// <summary>Sent to the sign-in page (302 to /account/login).</summary>
        SignIn,
        /// <summary>Signed in but not allowed (302 to /account/access-denied).</summary>
        Denied,
        /// <summary>401: no session (JSON endpoints) or no valid API key (/v1).</summary>
        Unauthorized,
        /// <summary>404: unknown, or owned by someone else (told apart from nothing).</summary>
        NotFound,
        /// <summary>Past authentication and authorisation; the request itself is refused as invalid (4xx other than 401/403/404).</summary>
        Refused,
        /// <summary>Framework plumbing with no caller-specific rule: any answer below 500 that is the same for every caller.</summary>
        Plumbing,
    }

    /// <summary>What the test sends and what each caller must get. <c>Owned</c> rows name a developer's resource.</summary>
    private sealed record Row(
        string Method, Func<Resources, string> Path,
        Outcome Anonymous, Outcome Developer, Outcome OtherDeveloper, Outcome Admin,
        Func<Resources, HttpContent>? Body = null, bool WithAntiforgery = false, int Order = 0)
    {
        public static Row Get(string path, Outcome anonymous, Outcome developer, Outcome other, Outcome admin) =>
            new("GET", _ => path, anonymous, developer, other, admin);

        public static Row Get(Func<Resources, string> path, Outcome anonymous, Outcome developer, Outcome other, Outcome admin) =>
            new("GET", path, anonymous, developer, other, admin);

        public static Row Public(string path, Outcome all = Outcome.Ok) => Get(path, all, all, all, all);

        public static Row Dashboard(string path) => Get(path, Outcome.SignIn, Outcome.Ok, Outcome.Ok, Outcome.Ok);

        public static Row AdminOnly(string path) => Get(path, Outcome.SignIn, Outcome.Denied, Outcome.Denied, Outcome.Ok);

        public static Row Api(string method, string path, Func<Resources, HttpContent>? body, Outcome keyed) =>
            new(method, _ => path, Outcome.Unauthorized, keyed, keyed, keyed, body);
    }

    private const Outcome Ok = Outcome.Ok;
    private const Outcome SignIn = Outcome.SignIn;
    private const Outcome NotFound = Outcome.NotFound;

    /// <summary>
    /// The classification: "methods route" as the host maps it → the request to send and each caller's answer. Pages
    /// accept GET and POST (Blazor's form handling); their POST is the antiforgery test's business, so GET is asked here.
    /// </summary>
    private static readonly Dictionary<string, Row> Matrix = new(StringComparer.Ordinal)
    {
        // Public pages and documents.
        ["GET,POST /"] = Row.Public("/"),
        ["GET,POST /models"] = Row.Public("/models"),
        ["GET,POST /models/{ProviderSegment}/{ModelSegment}"] = Row.Public("/models/llmtr/demo"),
        ["GET,POST /docs"] = Row.Public("/docs", Outcome.Redirect), // to the reader's language
        ["GET,POST /docs/{Language}"] = Row.Public("/docs/en"),
        ["GET,POST /docs/{Language}/{Slug}"] = Row.Public("/docs/en/quickstart"),
        ["GET,POST /not-found"] = Row.Public("/not-found"),
        ["GET,POST /error"] = Row.Public("/error"),
        ["GET /api/models"] = Row.Public("/api/models"),
        ["GET /api/docs/search-index/{language}"] = Row.Public("/api/docs/search-index/en"),
        ["GET /openapi/{documentName}.json"] = Row.Public("/openapi/v1.json"),
        ["* /health/live"] = Row.Public("/health/live"),
        ["* /health/ready"] = Row.Public("/health/ready"),
        ["GET,HEAD /{**path:file}"] = Row.Public("/no-such-file.txt", NotFound),
        ["GET /ui/theme"] = Row.Public("/ui/theme?mode=light&returnUrl=%2F", Outcome.Redirect),
        ["GET /ui/culture"] = Row.Public("/ui/culture?culture=en&returnUrl=%2F", Outcome.Redirect),

        // Account pages: open to all; the two-factor step without a pending sign-in goes back to the sign-in page.
        ["GET,POST /account/login"] = Row.Public("/account/login"),
        ["GET,POST /account/register"] = Row.Public("/account/register"),
        ["GET,POST /account/lockout"] = Row.Public("/account/lockout"),
        ["GET,POST /account/disabled"] = Row.Public("/account/disabled"),
        ["GET,POST /account/forgot-password"] = Row.Public("/account/forgot-password"),
        ["GET,POST /account/reset-password"] = Row.Public("/account/reset-password"), // without a link's code: says the link is not valid
        ["GET,POST /account/confirm-email"] = Row.Public("/account/confirm-email"),
        ["GET,POST /account/confirm-email-change"] = Row.Public("/account/confirm-email-change"), // without a link's code: says the link is not valid
        ["GET,POST /account/deleted"] = Row.Public("/account/deleted"),
        ["GET,POST /account/access-denied"] = Row.Public("/account/access-denied"),
        ["GET,POST /account/login-with-2fa"] = Row.Public("/account/login-with-2fa", SignIn),
        ["POST /account/logout"] = new("POST", _ => "/account/logout", Outcome.Redirect, Outcome.Redirect, Outcome.Redirect, Outcome.Redirect,
            _ => Form(("returnUrl", "/")), WithAntiforgery: true, Order: 2),

        // The signed-in user's own pages.
        ["GET,POST /dashboard"] = Row.Dashboard("/dashboard"),
        ["GET,POST /dashboard/keys"] = Row.Dashboard("/dashboard/keys"),
        ["GET,POST /dashboard/requests"] = Row.Dashboard("/dashboard/requests"),
        ["GET,POST /dashboard/playground"] = Row.Dashboard("/dashboard/playground"),
        ["GET,POST /dashboard/billing"] = Row.Dashboard("/dashboard/billing"),
        ["GET,POST /dashboard/residency"] = Row.Dashboard("/dashboard/residency"),
        ["GET,POST /dashboard/settings"] = Row.Dashboard("/dashboard/settings"),
        ["GET,POST /account/manage"] = Row.Dashboard("/account/manage"),
        ["GET,POST /account/manage/change-password"] = Row.Dashboard("/account/manage/change-password"),
        ["GET,POST /account/manage/two-factor"] = Row.Dashboard("/account/manage/two-factor"),
        ["GET,POST /account/manage/email"] = Row.Dashboard("/account/manage/email"),
        ["GET,POST /account/manage/delete"] = Row.Dashboard("/account/manage/delete"),
        ["GET /billing/usage.csv"] = Row.Dashboard("/billing/usage.csv"),
        ["GET /billing/residency.csv"] = Row.Dashboard("/billing/residency.csv"),
        ["POST /billing/top-ups"] = new("POST", _ => "/billing/top-ups", SignIn, Outcome.Redirect, Outcome.Redirect, Outcome.Redirect,
            _ => Form(("credit", "10")), WithAntiforgery: true),

        // Organisations, as the developer sees their personal one; each role of a shared organisation is asked in
        // AnswerEachRoleOfAnOrganisationAsItsRoleAllows. An invitation link shows what it invites to, to anyone.
        ["GET,POST /organisations"] = Row.Dashboard("/organisations"),
        ["GET,POST /organisation"] = Row.Dashboard("/organisation"),
        ["GET,POST /organisations/invitations/{Token}"] = Row.Public("/organisations/invitations/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
        ["GET /organisations/switch"] = Row.Get(r => $"/organisations/switch?id={r.AccountId}&returnUrl=%2Fdashboard", SignIn, Outcome.Redirect, NotFound, NotFound),

        // Resources the developer owns: everyone else gets 404 (an admin too: admins see accounts in the admin console).
        ["GET,POST /dashboard/requests/{RequestId}"] = Row.Get(r => $"/dashboard/requests/{r.RequestId}", SignIn, Ok, NotFound, NotFound),
        ["GET,POST /dashboard/billing/receipts/{Id:guid}"] = Row.Get(r => $"/dashboard/billing/receipts/{r.TopUpId}", SignIn, Ok, NotFound, NotFound),
        ["GET,POST /billing/test-checkout/{Id:guid}"] = Row.Get(r => $"/billing/test-checkout/{r.TopUpId}", SignIn, Ok, NotFound, NotFound),
        ["POST /billing/top-ups/{Id:guid}/resume"] = new("POST", r => $"/billing/top-ups/{r.TopUpId}/resume", SignIn, Outcome.Redirect, NotFound, NotFound,
            _ => Form(("returnUrl", "/")), WithAntiforgery: true),
        ["POST /billing/top-ups/{Id:guid}/cancel"] = new("POST", r => $"/billing/top-ups/{r.TopUpId}/cancel", SignIn, Outcome.Redirect, NotFound, NotFound,
            _ => Form(("returnUrl", "/")), WithAntiforgery: true, Order: 1),
        ["GET /api/keys/"] = Row.Get("/api/keys/", Outcome.Unauthorized, Ok, Ok, Ok),
        ["GET /api/keys/{id:guid}"] = Row.Get(r => $"/api/keys/{r.KeyId}", Outcome.Unauthorized, Ok, NotFound, NotFound),
        ["DELETE /api/keys/{id:guid}"] = new("DELETE", r => $"/api/keys/{r.KeyId}", Outcome.Unauthorized, Outcome.NoContent, NotFound, NotFound, Order: 1),

        // The admin console and the jobs dashboard.
        ["GET,POST /admin"] = Row.AdminOnly("/admin"),
        ["GET,POST /admin/users"] = Row.AdminOnly("/admin/users"),
        ["GET,POST /admin/keys"] = Row.AdminOnly("/admin/keys"),
        ["GET,POST /admin/billing"] = Row.AdminOnly("/admin/billing"),
        ["GET,POST /admin/audit"] = Row.AdminOnly("/admin/audit"),
        ["GET,POST /admin/catalog"] = Row.AdminOnly("/admin/catalog"),
        ["GET,POST /admin/catalog/history"] = Row.AdminOnly("/admin/catalog/history"),
        ["GET,POST /admin/accounts"] = Row.AdminOnly("/admin/accounts"),
        ["GET,POST /admin/health"] = Row.AdminOnly("/admin/health"),
        ["GET,POST /admin/catalog/providers"] = Row.AdminOnly("/admin/catalog/providers"),
        ["GET,POST /admin/catalog/models/new"] = Row.AdminOnly("/admin/catalog/models/new"),
        ["GET,POST /admin/catalog/models/{Provider}/{Model}"] = Row.AdminOnly("/admin/catalog/models/llmtr/demo"),
        ["* /admin/jobs/{**path}"] = Row.AdminOnly("/admin/jobs"),
        ["GET,POST /admin/dev-mailbox"] = Row.AdminOnly("/admin/dev-mailbox"),
        ["GET,POST /admin/organisations"] = Row.AdminOnly("/admin/organisations"),

        // The OpenAI-compatible API: an API key, whoever owns it; the model's own rules come after.
        ["GET /v1/models/"] = Row.Api("GET", "/v1/models/", null, Ok),
        ["GET /v1/models/{**id}"] = Row.Api("GET", "/v1/models/llmtr/demo", null, Ok),
        ["POST /v1/chat/completions"] = Row.Api("POST", "/v1/chat/completions", _ => Json("""{"model":"llmtr/demo","messages":[{"role":"user","content":"hi"}]}"""), Ok),
        ["POST /v1/responses"] = Row.Api("POST", "/v1/responses", _ => Json("""{"model":"llmtr/demo","input":"hi"}"""), Ok),
        ["GET /v1/responses/{id}"] = Row.Api("GET", "/v1/responses/resp_1", null, NotFound),
        ["DELETE /v1/responses/{id}"] = Row.Api("DELETE", "/v1/responses/resp_1", null, NotFound),
        ["POST /v1/responses/{id}/cancel"] = Row.Api("POST", "/v1/responses/resp_1/cancel", null, NotFound),
        ["GET /v1/responses/{id}/input_items"] = Row.Api("GET", "/v1/responses/resp_1/input_items", null, NotFound),
        ["POST /v1/messages"] = Row.Api("POST", "/v1/messages", _ => Json("""{"model":"llmtr/demo","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}"""), Ok),
        ["POST /v1/messages/count_tokens"] = Row.Api("POST", "/v1/messages/count_tokens", _ => Json("""{"model":"llmtr/demo","messages":[{"role":"user","content":"hi"}]}"""), Outcome.Refused),
        ["POST /v1/embeddings"] = Row.Api("POST", "/v1/embeddings", _ => Json("""{"model":"llmtr/demo","input":"hi"}"""), Outcome.Refused),
        ["POST /v1/images/generations"] = Row.Api("POST", "/v1/images/generations", _ => Json("""{"model":"llmtr/demo","prompt":"a cat"}"""), Outcome.Refused),
        ["POST /v1/audio/speech"] = Row.Api("POST", "/v1/audio/speech", _ => Json("""{"model":"llmtr/demo","input":"hi","voice":"alloy"}"""), Outcome.Refused),
        ["POST /v1/audio/transcriptions"] = Row.Api("POST", "/v1/audio/transcriptions", _ => Json("""{"model":"llmtr/demo"}"""), Outcome.Refused),
        ["* /v1/{**path}"] = Row.Public("/v1/no-such-endpoint", NotFound),

        // Stripe's webhook is public and proves itself by signature; with test payments on it does not exist.
        ["POST /billing/stripe/webhook"] = new("POST", _ => "/billing/stripe/webhook", NotFound, NotFound, NotFound, NotFound, _ => Json("{}")),

        // Blazor's own endpoints (circuits and redirects), the same for everyone.
        ["GET /_framework/opaque-redirect"] = Row.Public("/_framework/opaque-redirect", Outcome.Plumbing),
        ["* /_blazor/negotiate"] = new("POST", _ => "/_blazor/negotiate?negotiateVersion=1", Outcome.Plumbing, Outcome.Plumbing, Outcome.Plumbing, Outcome.Plumbing),
        ["* /_blazor"] = Row.Public("/_blazor", Outcome.Plumbing),
        ["* /_blazor/disconnect/"] = new("POST", _ => "/_blazor/disconnect/", Outcome.Plumbing, Outcome.Plumbing, Outcome.Plumbing, Outcome.Plumbing),
        ["* /_blazor/initializers/"] = Row.Public("/_blazor/initializers/", Outcome.Plumbing),
    };

    [Fact]
    public async Task ClassifyEveryMappedEndpointAndAnswerEachCallerAsTheTableSays()
    {
        await using var gateway = await GatewayHost.StartAsync([]);
        var host = gateway.Host;
        var (endpoints, staticAssets) = MappedEndpoints(host);

        var unclassified = endpoints.Where(e => !Matrix.ContainsKey(e)).ToList();
        Assert.True(unclassified.Count == 0,
            "Endpoints the authorization matrix does not classify (add each to AuthorizationMatrixShould.Matrix): " + string.Join(", ", unclassified));
        var stale = Matrix.Keys.Where(k => !endpoints.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "Matrix rows for endpoints the host no longer maps: " + string.Join(", ", stale));

        var callers = await CallersAsync(host);
        var resources = await ResourcesOfAsync(host, callers.Developer);
        var problems = new List<string>();
        var authenticator = host.Services.GetRequiredService<IApiKeyAuthenticator>();

        foreach (var (endpoint, row) in Matrix.OrderBy(r => r.Value.Order))
        {
            // The owner comes last so that an owner's change (revoking the key, signing out) cannot hide another caller's answer.
            foreach (var (who, caller, expected) in new[]
                     {
                         ("anonymous", callers.Anonymous, row.Anonymous),
                         ("another developer", callers.OtherDeveloper, row.OtherDeveloper),
                         ("admin", callers.Admin, row.Admin),
                         ("developer", callers.Developer, row.Developer),
                     })
            {
                var path = row.Path(resources);
                if (endpoint == "DELETE /api/keys/{id:guid}" && who == "developer")
                {
                    // Nobody but the owner could revoke it: the key still works until the owner's own request.
                    Assert.NotNull(authenticator.Authenticate(callers.Developer.Key!).Identity);
                }

                using var response = await SendAsync(caller, row, path, resources);
                var body = await response.Content.ReadAsStringAsync();
                if (Problem(response, expected, body) is { } problem)
                {
                    problems.Add($"{endpoint} ({row.Method} {path}) as {who}: {problem}");
                }

                if (who is "anonymous" or "another developer" && resources.Canaries.FirstOrDefault(c => !path.Contains(c, StringComparison.Ordinal) && body.Contains(c, StringComparison.Ordinal)) is { } leaked)
                {
                    problems.Add($"{endpoint} ({row.Method} {path}) as {who}: the answer shows the developer's '{leaked}'");
                }
            }

            if (endpoint == "DELETE /api/keys/{id:guid}")
            {
                await Poll.UntilAsync(() => Task.FromResult(authenticator.Authenticate(callers.Developer.Key!).Identity is null), "the owner's revocation to take effect");
            }
        }

        // Every static file is public and the same for everyone: fetch each as nobody and as a developer.
        foreach (var asset in staticAssets)
        {
            foreach (var caller in new[] { callers.Anonymous, callers.OtherDeveloper })
            {
                using var response = await caller.Browser.GetAsync(asset);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    problems.Add($"static asset {asset}: {(int)response.StatusCode}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void FailNamingAnEndpointTheTableDoesNotClassify()
    {
        // The check itself: an endpoint added to a host without a row is reported by its route.
        var mapped = new HashSet<string>(Matrix.Keys) { "GET /api/something-new" };
        var unclassified = mapped.Where(e => !Matrix.ContainsKey(e)).ToList();
        Assert.Equal(["GET /api/something-new"], unclassified);
    }

    /// <summary>Who asks the organisation rows: the four roles of one organisation (each acting in it), a member of another, nobody, and a site admin.</summary>
    private enum OrganisationCaller
    {
        Anonymous,
        Owner,
        Admin,
        Billing,
        Member,
        OtherOrganisationMember,
        SiteAdmin,
    }

    /// <summary>A request about the organisation and what each caller must get (in <see cref="OrganisationCaller"/> order).</summary>
    private sealed record OrganisationRow(string Method, string Path, Outcome[] Expected, Func<Resources, HttpContent>? Body = null, bool WithAntiforgery = false);

    private static OrganisationRow OrgRow(string method, string path, Outcome anonymous, Outcome owner, Outcome admin, Outcome billing, Outcome member, Outcome otherMember, Outcome siteAdmin,
        Func<Resources, HttpContent>? body = null, bool withAntiforgery = false) =>
        new(method, path, [anonymous, owner, admin, billing, member, otherMember, siteAdmin], body, withAntiforgery);

    [Fact]
    public async Task AnswerEachRoleOfAnOrganisationAsItsRoleAllows()
    {
        await using var gateway = await GatewayHost.StartAsync([]);
        var host = gateway.Host;
        var organisations = host.Services.GetRequiredService<LlmTr.Identity.Organisations.IOrganisations>();
        var keys = host.Services.GetRequiredService<IApiKeys>();

        // One organisation with a member of each role, another organisation with a plain member, and a site admin in neither.
        var (ownerId, ownerBrowser) = await TestAccounts.SignInAsync(host);
        var organisation = (await organisations.CreateAsync(ownerId, "Matrix Ltd")).Organisation!.Id;
        var (otherOwnerId, otherOwnerBrowser) = await TestAccounts.SignInAsync(host);
        otherOwnerBrowser.Dispose();
        var otherOrganisation = (await organisations.CreateAsync(otherOwnerId, "Elsewhere Ltd")).Organisation!.Id;
        var browsers = new Dictionary<OrganisationCaller, FormClient> { [OrganisationCaller.Anonymous] = new(host), [OrganisationCaller.Owner] = ownerBrowser };
        var userIds = new Dictionary<OrganisationCaller, string> { [OrganisationCaller.Owner] = ownerId };
        foreach (var (caller, role, inOrganisation, inviter) in new[]
                 {
                     (OrganisationCaller.Admin, LlmTr.Identity.Organisations.OrganisationRole.Admin, organisation, ownerId),
                     (OrganisationCaller.Billing, LlmTr.Identity.Organisations.OrganisationRole.Billing, organisation, ownerId),
                     (OrganisationCaller.Member, LlmTr.Identity.Organisations.OrganisationRole.Member, organisation, ownerId),
                     (OrganisationCaller.OtherOrganisationMember, LlmTr.Identity.Organisations.OrganisationRole.Member, otherOrganisation, otherOwnerId),
                 })
        {
            var (userId, browser) = await TestAccounts.SignInAsync(host);
            await Organisations.OrganisationTesting.AddMemberAsync(host, inOrganisation, inviter, role, userId);
            (browsers[caller], userIds[caller]) = (browser, userId);
        }

        var (siteAdminId, siteAdminBrowser) = await TestAccounts.SignInAsync(host, isAdmin: true);
        (browsers[OrganisationCaller.SiteAdmin], userIds[OrganisationCaller.SiteAdmin]) = (siteAdminBrowser, siteAdminId);

        // Each member acts in their organisation (the switch sets the cookie); the site admin stays in their personal one.
        foreach (var (caller, inOrganisation) in new[]
                 {
                     (OrganisationCaller.Owner, organisation), (OrganisationCaller.Admin, organisation), (OrganisationCaller.Billing, organisation),
                     (OrganisationCaller.Member, organisation), (OrganisationCaller.OtherOrganisationMember, otherOrganisation),
                 })
        {
            using var switched = await browsers[caller].GetAsync($"/organisations/switch?id={Uri.EscapeDataString(inOrganisation)}&returnUrl=%2Fdashboard");
            Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        }

        // A key of every member of the organisation, and one in the other organisation.
        var keyIds = new Dictionary<OrganisationCaller, Guid>();
        foreach (var caller in new[] { OrganisationCaller.Owner, OrganisationCaller.Admin, OrganisationCaller.Billing, OrganisationCaller.Member, OrganisationCaller.OtherOrganisationMember })
        {
            var inOrganisation = caller == OrganisationCaller.OtherOrganisationMember ? otherOrganisation : organisation;
            keyIds[caller] = (await keys.CreateAsync(new KeyHolder(inOrganisation, userIds[caller], ManagesAllKeys: false), new NewApiKey($"{caller} key"))).Key!.Id;
        }

        const Outcome Ok = Outcome.Ok, SignIn = Outcome.SignIn, Denied = Outcome.Denied, Redirect = Outcome.Redirect, NotFound = Outcome.NotFound;
        var rows = new[]
        {
            //                                                                anonymous owner     admin     billing   member    other     site admin
            OrgRow("GET", "/organisations",                                   SignIn,   Ok,       Ok,       Ok,       Ok,       Ok,       Ok),
            OrgRow("GET", "/organisation",                                    SignIn,   Ok,       Ok,       Ok,       Ok,       Ok,       Ok),
            OrgRow("GET", "/admin/organisations",                             SignIn,   Denied,   Denied,   Denied,   Denied,   Denied,   Ok),
            OrgRow("GET", $"/organisations/switch?id={organisation}&returnUrl=%2Fdashboard",
                                                                              SignIn,   Redirect, Redirect, Redirect, Redirect, NotFound, NotFound),
            OrgRow("GET", "/billing/usage.csv",                               SignIn,   Ok,       Ok,       Ok,       Denied,   Denied,   Ok),
            OrgRow("GET", "/billing/residency.csv",                           SignIn,   Ok,       Ok,       Ok,       Denied,   Denied,   Ok),
            OrgRow("GET", "/api/keys/",                                       Outcome.Unauthorized, Ok, Ok, Ok,       Ok,       Ok,       Ok),
            OrgRow("GET", $"/api/keys/{keyIds[OrganisationCaller.Member]}",   Outcome.Unauthorized, Ok, Ok, NotFound, Ok,       NotFound, NotFound),
            OrgRow("POST", "/billing/top-ups",                                SignIn,   Redirect, Denied,   Redirect, Denied,   Denied,   Redirect,
                _ => Form(("credit", "10")), withAntiforgery: true),
        };

        var problems = new List<string>();
        var listed = new Dictionary<OrganisationCaller, HashSet<Guid>>();
        foreach (var row in rows)
        {
            foreach (var caller in Enum.GetValues<OrganisationCaller>())
            {
                var expected = row.Expected[(int)caller];
                var request = new Row(row.Method, _ => row.Path, expected, expected, expected, expected, row.Body, row.WithAntiforgery);
                using var response = await SendAsync(new Caller(browsers[caller], null, caller != OrganisationCaller.Anonymous), request, row.Path, null!);
                var body = await response.Content.ReadAsStringAsync();
                if (Problem(response, expected, body) is { } problem)
                {
                    problems.Add($"{row.Method} {row.Path} as {caller}: {problem}");
                }

                if (row.Path == "/api/keys/" && response.StatusCode == HttpStatusCode.OK)
                {
                    using var json = System.Text.Json.JsonDocument.Parse(body);
                    listed[caller] = json.RootElement.EnumerateArray().Select(k => k.GetProperty("id").GetGuid()).ToHashSet();
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));

        // Who sees which keys of the organisation: its owners and admins every one, others only their own, outsiders none.
        HashSet<Guid> Of(params OrganisationCaller[] callers) => callers.Select(c => keyIds[c]).ToHashSet();
        var all = Of(OrganisationCaller.Owner, OrganisationCaller.Admin, OrganisationCaller.Billing, OrganisationCaller.Member);
        Assert.Equal(all, listed[OrganisationCaller.Owner]);
        Assert.Equal(all, listed[OrganisationCaller.Admin]);
        Assert.Equal(Of(OrganisationCaller.Billing), listed[OrganisationCaller.Billing]);
        Assert.Equal(Of(OrganisationCaller.Member), listed[OrganisationCaller.Member]);
        Assert.Equal(Of(OrganisationCaller.OtherOrganisationMember), listed[OrganisationCaller.OtherOrganisationMember]);
        Assert.Empty(listed[OrganisationCaller.SiteAdmin]);

        foreach (var browser in browsers.Values)
        {
            browser.Dispose();
        }
    }

    private static string? Problem(HttpResponseMessage response, Outcome expected, string body)
    {
        var status = (int)response.StatusCode;
        var location = FormClient.LocationOf(response) ?? "";
        var actual = $"{status}{(location.Length > 0 ? " → " + location : "")}";
        var ok = expected switch
        {
            Outcome.Ok => status == 200,
            Outcome.NoContent => status == 204,
            Outcome.Redirect => status is 302 or 303 or 307 && !location.StartsWith("/account/login", StringComparison.Ordinal) && !location.StartsWith("/account/access-denied", StringComparison.Ordinal),
            Outcome.SignIn => status == 302 && location.StartsWith("/account/login", StringComparison.Ordinal),
            Outcome.Denied => status == 302 && location.StartsWith("/account/access-denied", StringComparison.Ordinal),
            Outcome.Unauthorized => status == 401,
            Outcome.NotFound => status == 404,
            Outcome.Refused => status is >= 400 and < 500 and not 401 and not 403 and not 404,
            Outcome.Plumbing => status < 500 && status != 401 && status != 403 && !location.StartsWith("/account/", StringComparison.Ordinal),
            _ => false,
        };
        if (!ok)
        {
            return $"expected {expected}, got {actual} {Truncate(body)}";
        }

        return body.Contains("   at ", StringComparison.Ordinal) ? "the answer carries a stack trace" : null;
    }

    private static string Truncate(string body) => body.Length > 200 ? body[..200] + "…" : body;

    private static async Task<HttpResponseMessage> SendAsync(Caller caller, Row row, string path, Resources resources)
    {
        if (row.WithAntiforgery)
        {
            var fields = await ((FormUrlEncodedContent)row.Body!(resources)).ReadAsStringAsync();
            var form = fields.Split('&').Select(p => p.Split('=')).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1]));
            return await caller.Browser.PostFormAsync(caller.IsSignedIn ? "/dashboard/settings" : "/account/login", path, form);
        }

        using var request = new HttpRequestMessage(new HttpMethod(row.Method), path) { Content = row.Body?.Invoke(resources) };
        if (path.StartsWith("/v1", StringComparison.Ordinal) && caller.Key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", caller.Key);
        }

        return await caller.Browser.SendAsync(request);
    }

    /// <summary>"methods route" of every endpoint but the static files, and the static files' addresses.</summary>
    private static (HashSet<string> Endpoints, List<string> StaticAssets) MappedEndpoints(LlmTrHostFactory host)
    {
        var endpoints = new HashSet<string>(StringComparer.Ordinal);
        var assets = new List<string>();
        foreach (var endpoint in host.Services.GetRequiredService<EndpointDataSource>().Endpoints)
        {
            var route = endpoint is RouteEndpoint r ? "/" + r.RoutePattern.RawText!.TrimStart('/') : endpoint.DisplayName ?? "?";
            if (endpoint.Metadata.Any(m => m.GetType().Name == "StaticAssetDescriptor"))
            {
                assets.Add(route);
                continue;
            }

            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } m ? string.Join(",", m) : "*";
            endpoints.Add($"{methods} {route}");
        }

        return (endpoints, assets.Distinct().ToList());
    }

    private sealed record Caller(FormClient Browser, string? Key, bool IsSignedIn);

    private sealed record Callers(Caller Anonymous, Caller Developer, Caller OtherDeveloper, Caller Admin);

    /// <param name="Canaries">What only the developer may see: their key's name, their e-mail, their request id.</param>
    private sealed record Resources(Guid KeyId, string RequestId, Guid TopUpId, IReadOnlyList<string> Canaries)
    {
        /// <summary>The developer's account, which is their personal organisation's id.</summary>
        public string AccountId { get; init; } = "";
    }

    private static async Task<Callers> CallersAsync(LlmTrHostFactory host)
    {
        async Task<Caller> SignedIn(bool isAdmin, string keyName)
        {
            var (userId, browser) = await TestAccounts.SignInAsync(host, isAdmin);
            var created = await host.Services.GetRequiredService<IApiKeys>().CreateAsync(userId, new NewApiKey(keyName));
            var key = created.Key!.RawKey;
            var authenticator = host.Services.GetRequiredService<IApiKeyAuthenticator>();
            await Poll.UntilAsync(() => Task.FromResult(authenticator.Authenticate(key).Identity is not null), "the key to reach the key directory");
            return new Caller(browser, key, IsSignedIn: true);
        }

        return new Callers(
            new Caller(new FormClient(host), null, IsSignedIn: false),
            await SignedIn(isAdmin: false, DeveloperKeyName),
            await SignedIn(isAdmin: false, "other developer's key"),
            await SignedIn(isAdmin: true, "admin's key"));
    }

    private static readonly string DeveloperKeyName = $"owner-key-{Guid.NewGuid():N}";

    /// <summary>The developer's key, one request of theirs (recorded) and one pending test top-up.</summary>
    private static async Task<Resources> ResourcesOfAsync(LlmTrHostFactory host, Caller developer)
    {
        var authenticated = host.Services.GetRequiredService<IApiKeyAuthenticator>().Authenticate(developer.Key!).Identity!;
        var accountId = authenticated.AccountId;

        using var chat = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = Json("""{"model":"llmtr/demo","messages":[{"role":"user","content":"a request of the owner's"}]}"""),
        };
        chat.Headers.Authorization = new AuthenticationHeaderValue("Bearer", developer.Key);
        using var answered = await developer.Browser.SendAsync(chat);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var requestId = answered.Headers.GetValues("x-request-id").Single();
        var usage = host.Services.GetRequiredService<IUsageHistory>();
        await Poll.UntilAsync(async () => await usage.FindAsync(accountId, requestId) is not null, "the owner's request to be recorded");

        var topUp = await host.Services.GetRequiredService<ITopUps>().StartAsync(accountId, 17m, new Uri("http://localhost/"));
        var topUpId = topUp.TopUpId ?? throw new InvalidOperationException("The owner's test top-up did not start.");

        await using var scope = host.Services.CreateAsyncScope();
        var email = (await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<LlmTr.Identity.ApplicationUser>>().FindByIdAsync(accountId))!.Email!;
        return new Resources(authenticated.KeyId, requestId, topUpId, [DeveloperKeyName, email, requestId]) { AccountId = accountId };
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
}

using System.Security.Claims;
using Bunit;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Web.Pages.Keys;
using LlmTr.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LlmTr.Web.Tests.Keys;

public sealed class ApiKeysPageShould : WebTestContext
{
    private const string RawKey = "llmtr-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3";
    private const string RotatedKey = "llmtr-Zy9xWv8uTs7rQp6oNm5lKj4iHg3fEd2cBa1zYx0wVu9";
    private readonly InMemoryKeys keys = new();
    private readonly FixedSpending spending = new();

    public ApiKeysPageShould()
    {
        Services.AddSingleton<IApiKeys>(keys);
        Services.AddSingleton<IKeySpending>(spending);
        Services.AddSingleton(TimeProvider.System);
        AddIdentityServices(); // the e-mail confirmation notice on the page
        Authorization.SetAuthorized("dev@llmtr.test");
        Authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, "user-1"));
        ActInPersonalOrganisation("user-1");
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void ShowTheOrganisationsPolicyWhereKeysAreMade()
    {
        Policies.Policies["user-1"] = new OrganisationPolicy(true, false, ["llmtr/*"], 30);

        var page = Render<ApiKeysPage>();

        var policy = page.Find("[data-testid=organisation-policy]").TextContent;
        Assert.Contains("Residency: Turkey only", policy, StringComparison.Ordinal);
        Assert.Contains("Allowed models: llmtr/*", policy, StringComparison.Ordinal);
        Assert.Contains("At most 30 requests per minute per key", policy, StringComparison.Ordinal);
        Assert.Contains("can narrow this policy, never widen it", policy, StringComparison.Ordinal);
    }

    [Fact]
    public void HoldKeyCreationUntilTheAddressIsConfirmedAndSaySo()
    {
        ConfirmationGate.Allows = false;

        var page = Render<ApiKeysPage>();

        Assert.Contains("Confirm your e-mail address to create API keys.", page.Find("[data-testid=email-unconfirmed]").TextContent, StringComparison.Ordinal);
        Assert.True(page.Find("[data-testid=create-key]").HasAttribute("disabled"));
        Assert.NotNull(page.Find("[data-testid=resend-confirmation]"));
    }

    [Fact]
    public void KeepTheFormDisabledWhilePrerendered()
    {
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", isInteractive: false));

        var page = Render<ApiKeysPage>();

        Assert.True(page.Find("[data-testid=create-key]").HasAttribute("disabled"));
    }

    [Fact]
    public void ShowTheRawKeyOnceInADialogAfterCreation()
    {
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ApiKeysPage>();

        page.Find("input").Change("ci");
        page.Find("[data-testid=create-key]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains(RawKey, dialogs.Markup, StringComparison.Ordinal));
        Assert.Contains("shown only this once", dialogs.Markup, StringComparison.Ordinal);
        Assert.NotNull(dialogs.Find("[data-testid=copy-key]"));
        Assert.DoesNotContain(RawKey, page.Markup, StringComparison.Ordinal);
        Assert.Contains(InMemoryKeys.Preview, page.Markup, StringComparison.Ordinal);
        Assert.Equal(("user-1", "ci"), (keys.Owner, keys.LastName));
    }

    [Fact]
    public void KeepTheRawKeyNowhereOnceTheDialogIsClosedOrThePageReloads()
    {
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ApiKeysPage>();
        page.Find("input").Change("ci");
        page.Find("[data-testid=create-key]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains(RawKey, dialogs.Markup, StringComparison.Ordinal));

        dialogs.Find("[data-testid=close-reveal]").Click();
        page.Render();
        var reloaded = Render<ApiKeysPage>();

        dialogs.WaitForAssertion(() => Assert.DoesNotContain(RawKey, dialogs.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain(RawKey, page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(RawKey, reloaded.Markup, StringComparison.Ordinal);
        Assert.Contains(InMemoryKeys.Preview, reloaded.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ShowTheNameProblemAndOpenNoDialog()
    {
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ApiKeysPage>();

        page.Find("[data-testid=create-key]").Click();

        page.WaitForAssertion(() => Assert.Contains("Give the key a name", page.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain("key-reveal", dialogs.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void SendTheScopeAndLimitsAndListThemWithTheKey()
    {
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ApiKeysPage>();

        page.Find("input").Change("regulated");
        page.Find("textarea[data-testid=key-models]").Change("llmtr/*, openai/gpt-4o\nllmtr/demo");
        page.Find("input[data-testid=key-turkey-only]").Change(true);
        page.Find("input[data-testid=key-monthly-limit]").Change("25");
        page.Find("[data-testid=create-key]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains(RawKey, dialogs.Markup, StringComparison.Ordinal));
        var sent = keys.LastRequest!;
        Assert.Equal(["llmtr/*", "openai/gpt-4o", "llmtr/demo"], sent.AllowedModels);
        Assert.True(sent.TurkeyOnly);
        Assert.Equal(25m, sent.MonthlySpendLimit);
        Assert.Null(sent.SpendLimit);
        var scope = page.Find("[data-testid=key-scope]").TextContent;
        Assert.Contains("llmtr/*, openai/gpt-4o, llmtr/demo", scope, StringComparison.Ordinal);
        Assert.Contains("Turkey only", scope, StringComparison.Ordinal);
    }

    [Fact]
    public void ShowWhatEachKeySpentBesideItsLimits()
    {
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ApiKeysPage>();
        page.Find("input").Change("spender");
        page.Find("[data-testid=create-key]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains(RawKey, dialogs.Markup, StringComparison.Ordinal));
        spending.Spent[keys.LastId!.Value] = new KeySpendSummary(12.5m, 2.25m, "USD");

        var reloaded = Render<ApiKeysPage>();

        Assert.Equal("12.50 USD in total · 2.25 USD this month", reloaded.Find("[data-testid=key-spent]").TextContent.Trim());
    }

    [Fact]
    public void AskBeforeRevokingAndLeaveTheKeyAloneWhenTheAnswerIsCancel()
    {
        var (dialogs, page) = RenderWithKey("ci");

        page.Find("button[aria-label='Revoke key ci']").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("Key ci stops working at once", dialogs.Find("[data-testid=confirm-text]").TextContent, StringComparison.Ordinal));
        Assert.Contains("Revoke this key?", dialogs.Markup, StringComparison.Ordinal);
        dialogs.Find("[data-testid=cancel]").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=confirm]")));
        Assert.Empty(keys.Revoked);
        Assert.Equal("Active", page.Find("[data-testid=keys-list] tbody tr td:nth-child(3)").TextContent.Trim());
    }

    [Fact]
    public void RevokeTheKeyOnceTheUserConfirms()
    {
        var (dialogs, page) = RenderWithKey("ci");

        page.Find("button[aria-label='Revoke key ci']").Click();
        dialogs.WaitForElement("[data-testid=confirm]").Click();

        page.WaitForAssertion(() => Assert.Equal([keys.LastId!.Value], keys.Revoked));
        page.WaitForAssertion(() => Assert.Equal("Revoked", page.Find("[data-testid=keys-list] tbody tr td:nth-child(3)").TextContent.Trim()));
        Assert.Empty(page.FindAll("button[aria-label='Revoke key ci']"));
    }

    [Fact]
    public void AskBeforeRotatingSayingWhenTheOldSecretStopsAndThenShowTheNewOneOnce()
    {
        var (dialogs, page) = RenderWithKey("ci");

        page.Find("button[aria-label='Rotate key ci']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("The old secret stops working in an hour.", dialogs.Find("[data-testid=confirm-text]").TextContent, StringComparison.Ordinal));
        Assert.Empty(keys.Rotated);
        dialogs.Find("[data-testid=confirm]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains(RotatedKey, dialogs.Markup, StringComparison.Ordinal));
        Assert.Equal([(keys.LastId!.Value, TimeSpan.FromHours(1))], keys.Rotated);
        Assert.DoesNotContain(RotatedKey, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void AskInTurkishInATurkishInterface()
    {
        using var turkish = new CultureScope("tr");
        var (dialogs, page) = RenderWithKey("ci");

        page.Find("button[aria-label='ci anahtarını iptal et']").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("ci anahtarı hemen çalışmayı bırakır", dialogs.Find("[data-testid=confirm-text]").TextContent, StringComparison.Ordinal));
        Assert.Equal("Vazgeç", dialogs.Find("[data-testid=cancel]").TextContent.Trim());
        Assert.Equal("Anahtarı iptal et", dialogs.Find("[data-testid=confirm]").TextContent.Trim());
    }

    private (IRenderedComponent<MudDialogProvider> Dialogs, IRenderedComponent<ApiKeysPage> Page) RenderWithKey(string name)
    {
        var dialogs = Render<MudDialogProvider>();
        var page = Render<ApiKeysPage>();
        page.Find("input").Change(name);
        page.Find("[data-testid=create-key]").Click();
        dialogs.WaitForElement("[data-testid=close-reveal]").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=close-reveal]")));
        return (dialogs, page);
    }

    private sealed class FixedSpending : IKeySpending
    {
        public Dictionary<Guid, KeySpendSummary> Spent { get; } = [];

        public Task<IReadOnlyDictionary<Guid, KeySpendSummary>> ForAccountAsync(string accountId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyDictionary<Guid, KeySpendSummary>>(Spent);
    }

    /// <summary>Stands in for the keys module: what a page may learn of a key, and the raw key only from CreateAsync.</summary>
    private sealed class InMemoryKeys : IApiKeys
    {
        public const string Preview = "llmtr-Ab3d…fGh3";
        private readonly List<ApiKeySummary> _keys = [];

        public string? Owner { get; private set; }

        public string? LastName { get; private set; }

        public NewApiKey? LastRequest { get; private set; }

        public Guid? LastId { get; private set; }

        public Task<CreateApiKeyResult> CreateAsync(KeyHolder holder, NewApiKey request, CancellationToken cancellationToken = default)
        {
            Owner = holder.UserId;
            LastName = request.Name;
            LastRequest = request;
            if (string.IsNullOrWhiteSpace(request.Name))
            {
                return Task.FromResult(new CreateApiKeyResult(null, new Dictionary<string, string[]> { ["Name"] = ["Give the key a name of 1 to 100 characters."] }));
            }

            var id = Guid.NewGuid();
            LastId = id;
            _keys.Add(new ApiKeySummary(
                id, request.Name, Preview, DateTimeOffset.UtcNow, request.ExpiresAt, null, null, request.RequestsPerMinute,
                new ApiKeyScope(request.AllowedModels ?? [], request.TurkeyOnly), request.SpendLimit, request.MonthlySpendLimit));
            return Task.FromResult(new CreateApiKeyResult(new CreatedApiKey(id, RawKey, Preview), new Dictionary<string, string[]>()));
        }

        public Task<IReadOnlyList<ApiKeySummary>> ListAsync(KeyHolder holder, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ApiKeySummary>>(_keys.ToList());

        public Task<ApiKeySummary?> FindAsync(KeyHolder holder, Guid keyId, CancellationToken cancellationToken = default) =>
            Task.FromResult(_keys.SingleOrDefault(k => k.Id == keyId));

        public List<Guid> Revoked { get; } = [];

        public List<(Guid Key, TimeSpan Grace)> Rotated { get; } = [];

        public Task<bool> RevokeAsync(KeyHolder holder, Guid keyId, CancellationToken cancellationToken = default)
        {
            Revoked.Add(keyId);
            var index = _keys.FindIndex(k => k.Id == keyId);
            _keys[index] = _keys[index] with { RevokedAt = DateTimeOffset.UtcNow };
            return Task.FromResult(true);
        }

        public Task<CreateApiKeyResult?> RotateAsync(KeyHolder holder, Guid keyId, TimeSpan grace, CancellationToken cancellationToken = default)
        {
            Rotated.Add((keyId, grace));
            return Task.FromResult<CreateApiKeyResult?>(new CreateApiKeyResult(new CreatedApiKey(Guid.NewGuid(), RotatedKey, Preview), new Dictionary<string, string[]>()));
        }
    }
}

using Bunit;
using Bunit.TestDoubles;
using LlmTr.Identity;
using LlmTr.Identity.Administration;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Web.Account;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace LlmTr.Web.Tests.Support;

/// <summary>A bunit context with what every LLMTR component needs: MudBlazor, localization and an English UI.</summary>
/// <remarks>MudBlazor's services only dispose asynchronously, so xunit disposes the context through IAsyncLifetime.</remarks>
public abstract class WebTestContext : BunitContext, IAsyncLifetime
{
    private readonly CultureScope culture = new("en");

    protected WebTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLocalization();
        Authorization = AddAuthorization();
        Services.AddSingleton<IEmailConfirmationGate>(ConfirmationGate);
        Services.AddSingleton<LlmTr.Identity.Mail.IDevMailbox>(new FakeDevMailbox(enabled: false));
        Services.AddSingleton<LlmTr.Identity.Organisations.IOrganisations>(Organisations);
        Services.AddSingleton<LlmTr.Modules.Keys.Contracts.IKeyPolicies>(Policies);
    }

    internal FakeOrganisations Organisations { get; } = new();

    internal FakeKeyPolicies Policies { get; } = new();

    /// <summary>
    /// The organisation pages act in, as the layout's organisation scope would cascade it: the user's personal one
    /// unless a test gives another membership.
    /// </summary>
    internal void ActIn(LlmTr.Identity.Organisations.Membership membership) => Services.AddCascadingValue(_ => membership);

    internal void ActInPersonalOrganisation(string userId) => ActIn(FakeOrganisations.Personal(userId));

    /// <summary>Whether the signed-in account has confirmed its e-mail (yes, unless a test says otherwise).</summary>
    internal FakeEmailConfirmationGate ConfirmationGate { get; } = new();

    /// <summary>The account mails the pages queued.</summary>
    internal RecordingMailQueue MailQueue { get; } = new();

    protected BunitAuthorizationContext Authorization { get; }

    /// <summary>The Identity services the account pages inject, over stores that must stay untouched.</summary>
    protected void AddIdentityServices()
    {
        Services.AddLogging();
        Services.AddAuthentication();
        Services.AddIdentityCore<ApplicationUser>().AddRoles<IdentityRole>().AddSignInManager();
        Services.AddSingleton(UnusedStore.Create<IUserStore<ApplicationUser>>());
        Services.AddSingleton(UnusedStore.Create<IRoleStore<IdentityRole>>());
        Services.AddSingleton(TimeProvider.System);
        Services.AddScoped<AccountProvisioning>();
        Services.AddScoped<IdentityRedirectManager>();
        Services.AddSingleton<LlmTr.Identity.Mail.IMailQueue>(MailQueue);
        Services.AddSingleton<LlmTr.SharedKernel.ISiteAddress>(new TestSiteAddress());
        Services.AddOptions<AccountOptions>();
        Services.AddScoped<AccountMail>();
    }

    /// <summary>The admin console's services over in-memory fakes (the overview's figures as given).</summary>
    internal FakeUserAdministration AddAdminServices(PlatformOverview? overview = null)
    {
        var users = new FakeUserAdministration();
        Services.AddSingleton<IUserAdministration>(users);
        Services.AddSingleton<IPlatformStatistics>(new FakePlatformStatistics(overview ?? new PlatformOverview(0m, 0m, 0, "USD", 0, 0, 0m, [])));
        Services.AddSingleton(TimeProvider.System);
        return users;
    }

    /// <summary>What model pages read their public status through: deployment health as the returned fake gives it.</summary>
    internal FakeDeploymentStatistics AddModelStatus(TimeProvider time)
    {
        var statistics = new FakeDeploymentStatistics(time);
        Services.AddLogging();
        Services.AddSingleton<IDeploymentStatistics>(statistics);
        Services.AddSingleton<LlmTr.Web.ModelPages.ModelStatuses>();
        return statistics;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        culture.Dispose();
    }
}

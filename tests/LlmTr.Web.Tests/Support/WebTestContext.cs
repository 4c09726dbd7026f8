using Bunit;
using Bunit.TestDoubles;
using LlmTr.Identity;
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
    }

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
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        culture.Dispose();
    }
}

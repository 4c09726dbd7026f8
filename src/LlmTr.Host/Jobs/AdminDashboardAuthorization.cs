using Hangfire.Dashboard;
using LlmTr.Identity;

namespace LlmTr.Host.Jobs;

/// <summary>Hangfire checks this itself as well, so the dashboard stays closed even if its route loses its policy.</summary>
internal sealed class AdminDashboardAuthorization : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(LlmTrRoles.Admin);
}

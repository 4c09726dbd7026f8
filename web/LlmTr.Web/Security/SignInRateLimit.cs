using System.Globalization;
using System.Threading.RateLimiting;
using LlmTr.Identity;
using LlmTr.Web.Resources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace LlmTr.Web.Security;

/// <summary>
/// Limits the posts of the sign-in, registration and two-factor forms per client address (fixed one-minute windows,
/// <see cref="SignInOptions.AttemptsPerMinute"/>), on top of Identity's per-account lockout: the lockout stops guessing
/// one account's password, this stops one address trying many accounts or registering in bulk. Only these posts pass
/// through the limiter; every other request skips it.
/// </summary>
internal static class SignInRateLimit
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private static readonly string[] LimitedPaths = ["/account/login", "/account/register", "/account/login-with-2fa"];

    public static bool Applies(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            return false;
        }

        foreach (var path in LimitedPaths)
        {
            if (context.Request.Path.Equals(path, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<SignInOptions>>((limiter, signIn) =>
        {
            var permits = signIn.Value.AttemptsPerMinute;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = Window, QueueLimit = 0, AutoReplenishment = true }));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectAsync;
        });
        return services;
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var response = rejected.HttpContext.Response;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
        response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        response.ContentType = "text/plain; charset=utf-8";
        var text = rejected.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        await response.WriteAsync(text["SignIn_TooManyAttempts"], cancellationToken);
    }
}

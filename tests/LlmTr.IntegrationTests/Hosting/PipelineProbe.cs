using System.Collections.Concurrent;
using System.Diagnostics;
using LlmTr.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Hosting;

/// <summary>
/// Wraps the host's whole pipeline (a startup filter runs outside everything the host adds) and notes, for each request,
/// what the pipeline left on it: the trace Activity hosting started, whether the cookie authentication middleware ran
/// (it sets the authenticate-result feature on every request it sees), whether a signed-in user was established, and
/// whether request localization ran.
/// </summary>
public sealed class PipelineProbe : IStartupFilter
{
    public ConcurrentQueue<SeenRequest> Seen { get; } = new();

    public static PipelineProbe AddTo(IServiceCollection services)
    {
        var probe = new PipelineProbe();
        services.AddSingleton<IStartupFilter>(probe);
        return probe;
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, inner) =>
        {
            var activity = Activity.Current;
            var tagged = context.Request.Headers["x-probe"].ToString();
            try
            {
                await inner(context);
            }
            finally
            {
                Seen.Enqueue(new SeenRequest(
                    tagged,
                    context.Request.Path,
                    HasActivity: activity is not null || context.Features.Get<IHttpActivityFeature>()?.Activity is not null,
                    Recorded: activity?.Recorded == true,
                    CookieAuthenticationRan: context.Features.Get<IAuthenticateResultFeature>() is not null,
                    SignedIn: context.User.Identity?.IsAuthenticated == true,
                    LocalizationRan: context.Features.Get<IRequestCultureFeature>() is not null));
            }
        });
        next(app);
    };

    /// <summary>The request tagged <paramref name="tag"/> (its <c>x-probe</c> header), once its pipeline has finished.</summary>
    public async Task<SeenRequest> RequestAsync(string tag)
    {
        await Poll.UntilAsync(() => Task.FromResult(Seen.Any(s => s.Tag == tag)), $"the request '{tag}' to finish");
        return Seen.Single(s => s.Tag == tag);
    }
}

public sealed record SeenRequest(string Tag, string Path, bool HasActivity, bool Recorded, bool CookieAuthenticationRan, bool SignedIn, bool LocalizationRan);

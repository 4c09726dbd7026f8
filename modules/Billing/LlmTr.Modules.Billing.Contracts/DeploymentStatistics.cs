namespace LlmTr.Modules.Billing.Contracts;

/// <summary>
/// How each deployment has served lately, from the usage rows (every host's requests, not one host's view): what the
/// admin console's health page and the public status on model pages show.
/// </summary>
public interface IDeploymentStatistics
{
    /// <summary>One row per model and deployment that served or was tried since <paramref name="since"/>.</summary>
    Task<IReadOnlyList<DeploymentHealthRow>> SinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default);
}

/// <param name="Errors">Requests that failed (the gateway's own refusals aside: only those that reached the deployment).</param>
/// <param name="UpstreamP50">Median time the deployment took to answer (to response headers), null without a call.</param>
/// <param name="LastError">The error code of its latest failed request, with when it came; null when none failed.</param>
public sealed record DeploymentHealthRow(
    string ModelId, string Deployment, long Requests, long Errors, TimeSpan? UpstreamP50, TimeSpan? UpstreamP99, string? LastError, DateTimeOffset? LastErrorAt)
{
    public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;
}

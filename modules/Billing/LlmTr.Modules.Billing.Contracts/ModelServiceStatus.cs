namespace LlmTr.Modules.Billing.Contracts;

/// <summary>How a model is serving, as its public page says it.</summary>
public enum ModelServiceStatus
{
    Operational,
    Degraded,
    Down,
}

/// <summary>
/// The one rule that turns a model's deployment statistics into its public status. From the last hour's rows of the
/// model's deployments: no traffic is operational (nothing says otherwise); an error rate under
/// <see cref="DegradedFrom"/> is operational, under <see cref="DownFrom"/> degraded, and from it on down. Whatever the
/// hour says, a model whose every request of the last quarter hour (<see cref="RecentWindow"/>) failed is down: an
/// outage that began a few minutes ago shows at once rather than once it outweighs the hour's good requests.
/// </summary>
public static class ModelServiceStatusRule
{
    /// <summary>The window the error rate is taken over.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>The recent window in which nothing but failures means down.</summary>
    public static readonly TimeSpan RecentWindow = TimeSpan.FromMinutes(15);

    /// <summary>The error rate from which a model is degraded (5%).</summary>
    public const double DegradedFrom = 0.05;

    /// <summary>The error rate from which a model is down (50%).</summary>
    public const double DownFrom = 0.5;

    /// <param name="lastHour">The model's rows over <see cref="Window"/> (rows of other models are ignored).</param>
    /// <param name="recent">The model's rows over <see cref="RecentWindow"/> (rows of other models are ignored).</param>
    public static ModelServiceStatus Of(string modelId, IEnumerable<DeploymentHealthRow> lastHour, IEnumerable<DeploymentHealthRow> recent)
    {
        var (recentRequests, recentErrors) = Totals(modelId, recent);
        if (recentRequests > 0 && recentErrors == recentRequests)
        {
            return ModelServiceStatus.Down;
        }

        var (requests, errors) = Totals(modelId, lastHour);
        if (requests == 0)
        {
            return ModelServiceStatus.Operational;
        }

        var rate = (double)errors / requests;
        return rate < DegradedFrom ? ModelServiceStatus.Operational
            : rate < DownFrom ? ModelServiceStatus.Degraded
            : ModelServiceStatus.Down;
    }

    private static (long Requests, long Errors) Totals(string modelId, IEnumerable<DeploymentHealthRow> rows)
    {
        long requests = 0, errors = 0;
        foreach (var row in rows)
        {
            if (string.Equals(row.ModelId, modelId, StringComparison.Ordinal))
            {
                requests += row.Requests;
                errors += row.Errors;
            }
        }

        return (requests, errors);
    }
}

using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.Web.Tests.Support;

/// <summary>
/// Deployment health as given: <see cref="Rows"/> for a window of more than <see cref="RecentWindowUpTo"/>,
/// <see cref="Recent"/> (or the same rows) for a shorter one; <see cref="Failure"/> makes every read fail.
/// </summary>
internal sealed class FakeDeploymentStatistics(TimeProvider time) : IDeploymentStatistics
{
    private static readonly TimeSpan RecentWindowUpTo = TimeSpan.FromMinutes(30);

    public IReadOnlyList<DeploymentHealthRow> Rows { get; set; } = [];

    public IReadOnlyList<DeploymentHealthRow>? Recent { get; set; }

    public Exception? Failure { get; set; }

    public int Reads { get; private set; }

    /// <summary>The start of the window last asked for.</summary>
    public DateTimeOffset? LastSince { get; private set; }

    public Task<IReadOnlyList<DeploymentHealthRow>> SinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        Reads++;
        LastSince = since;
        return Failure is { } failure ? Task.FromException<IReadOnlyList<DeploymentHealthRow>>(failure)
            : Task.FromResult(time.GetUtcNow() - since <= RecentWindowUpTo ? Recent ?? Rows : Rows);
    }
}

using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway;
using LlmTr.Modules.Gateway.Upstream;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LlmTr.UnitTests.Gateway;

public sealed class DeploymentHealthShould
{
    private static readonly CatalogDeployment East = new("acme/model", "east", "acme", ApiProtocol.OpenAi, "https://east.example/v1", "model", null, [], 1, DeploymentStatus.Active);
    private static readonly CatalogDeployment West = East with { Name = "west" };

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UnixEpoch);
    private readonly DeploymentHealth _health;

    public DeploymentHealthShould() =>
        _health = new DeploymentHealth(Options.Create(new GatewayOptions { Routing = new RoutingOptions { FailuresToEject = 3, Cooldown = TimeSpan.FromSeconds(30) } }), _clock);

    [Fact]
    public void EjectADeploymentAfterItsConsecutiveFailuresOnly()
    {
        _health.Record(East, CallResult.Failed, TimeSpan.Zero);
        _health.Record(East, CallResult.Failed, TimeSpan.Zero);
        _health.Record(East, CallResult.Answered, TimeSpan.FromMilliseconds(100)); // an answer in between: not consecutive
        _health.Record(East, CallResult.Failed, TimeSpan.Zero);
        _health.Record(East, CallResult.Failed, TimeSpan.Zero);
        Assert.True(_health.IsAvailable(East));

        _health.Record(East, CallResult.Failed, TimeSpan.Zero);

        Assert.False(_health.IsAvailable(East));
        Assert.True(_health.IsAvailable(West)); // health is per deployment
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(30), _health.AvailableFrom(East));
    }

    [Fact]
    public void TryItAgainAfterTheCooldownAndEjectItAgainOnTheNextFailure()
    {
        for (var i = 0; i < 3; i++)
        {
            _health.Record(East, CallResult.Failed, TimeSpan.Zero);
        }

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(_health.IsAvailable(East));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_health.IsAvailable(East));

        _health.Record(East, CallResult.Failed, TimeSpan.Zero);
        Assert.False(_health.IsAvailable(East)); // still on probation: one failure is enough

        _clock.Advance(TimeSpan.FromSeconds(30));
        _health.Record(East, CallResult.Answered, TimeSpan.FromMilliseconds(80));
        _health.Record(East, CallResult.Failed, TimeSpan.Zero);
        Assert.True(_health.IsAvailable(East)); // an answer restored it: the count starts over
    }

    [Fact]
    public void AverageTheLatencyOfAnswers()
    {
        Assert.Null(_health.Latency(East));

        _health.Record(East, CallResult.Answered, TimeSpan.FromMilliseconds(100));
        _health.Record(East, CallResult.Answered, TimeSpan.FromMilliseconds(600));

        Assert.Equal(TimeSpan.FromMilliseconds(200), _health.Latency(East));
    }
}

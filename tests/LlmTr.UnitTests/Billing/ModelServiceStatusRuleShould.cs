using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.UnitTests.Billing;

public sealed class ModelServiceStatusRuleShould
{
    private const string Model = "openai/gpt-4o";

    [Theory]
    [InlineData(0, 0, ModelServiceStatus.Operational)] // no traffic: nothing says otherwise
    [InlineData(100, 0, ModelServiceStatus.Operational)]
    [InlineData(100, 4, ModelServiceStatus.Operational)] // 4%
    [InlineData(10_000, 499, ModelServiceStatus.Operational)] // 4.99%
    [InlineData(100, 5, ModelServiceStatus.Degraded)] // exactly 5%
    [InlineData(100, 49, ModelServiceStatus.Degraded)]
    [InlineData(10_000, 4_999, ModelServiceStatus.Degraded)] // 49.99%
    [InlineData(100, 50, ModelServiceStatus.Down)] // exactly 50%
    [InlineData(100, 100, ModelServiceStatus.Down)]
    public void TellTheStatusByTheLastHoursErrorRate(long requests, long errors, ModelServiceStatus expected)
    {
        Assert.Equal(expected, ModelServiceStatusRule.Of(Model, [Row("a", requests, errors)], []));
    }

    [Fact]
    public void AddUpEveryDeploymentOfTheModelAndNoOtherModel()
    {
        // 6 errors in 100 on one deployment and none in 100 on the other: 3% over the model, operational.
        IReadOnlyList<DeploymentHealthRow> hour = [Row("a", 100, 6), Row("b", 100, 0), Row("a", 100, 100, model: "openai/other")];

        Assert.Equal(ModelServiceStatus.Operational, ModelServiceStatusRule.Of(Model, hour, []));
        Assert.Equal(ModelServiceStatus.Degraded, ModelServiceStatusRule.Of(Model, [Row("a", 100, 6)], []));
        Assert.Equal(ModelServiceStatus.Down, ModelServiceStatusRule.Of("openai/other", hour, []));
    }

    [Fact]
    public void CallAModelDownWhenEveryRequestOfTheLastQuarterHourFailedWhateverTheHourSays()
    {
        IReadOnlyList<DeploymentHealthRow> hour = [Row("a", 1000, 10), Row("b", 1000, 10)]; // 0.5% over the hour

        Assert.Equal(ModelServiceStatus.Down, ModelServiceStatusRule.Of(Model, hour, [Row("a", 5, 5), Row("b", 3, 3)]));
        Assert.Equal(ModelServiceStatus.Down, ModelServiceStatusRule.Of(Model, hour, [Row("a", 1, 1)])); // b had no traffic lately
        Assert.Equal(ModelServiceStatus.Operational, ModelServiceStatusRule.Of(Model, hour, [Row("a", 5, 5), Row("b", 3, 2)])); // one answer came
        Assert.Equal(ModelServiceStatus.Operational, ModelServiceStatusRule.Of(Model, hour, [Row("a", 0, 0)]));
        Assert.Equal(ModelServiceStatus.Operational, ModelServiceStatusRule.Of(Model, hour, [Row("a", 5, 5, model: "openai/other")]));
    }

    private static DeploymentHealthRow Row(string deployment, long requests, long errors, string model = Model) =>
        new(model, deployment, requests, errors, null, null, errors > 0 ? "provider_error" : null, errors > 0 ? DateTimeOffset.UnixEpoch : null);
}

using System.Text.RegularExpressions;
using Bunit;
using LlmTr.Web.Pages.Billing;
using LlmTr.Web.Tests.Support;

namespace LlmTr.Web.Tests.Billing;

public sealed class ActivityBreakdownChartShould : WebTestContext
{
    private static readonly DateOnly First = new(2026, 5, 30);
    private static readonly DateOnly[] Days = [First, First.AddDays(1), First.AddDays(2)];
    private static readonly string[] Labels = ["May 30", "31", "Jun 1"];

    [Fact]
    public void SayThereIsNothingToDrawWhenEveryFigureOfTheMetricIsZero()
    {
        // Free requests: there are requests to chart, but no spend.
        var chart = RenderChart([Point(0, "llmtr/demo", requests: 3, cost: 0m)], Metric.Spend);

        Assert.Equal("Nothing to draw: every figure in this period is zero.", chart.Find("[data-testid='breakdown-empty']").TextContent);
        Assert.Empty(chart.FindAll("svg"));
    }

    [Fact]
    public void StackTheLargestModelsAndAddUpTheRestAsOther()
    {
        var points = Enumerable.Range(1, 7).Select(i => Point(i % 3, $"vendor/model-{i}", requests: i * 10, cost: 0m)).ToList();

        var chart = RenderChart(points, Metric.Requests);

        Assert.Contains("Requests each day, split by model.", chart.Markup, StringComparison.Ordinal);
        var legend = Legend(chart);
        Assert.Equal(["vendor/model-7", "vendor/model-6", "vendor/model-5", "vendor/model-4", "vendor/model-3", "Other (2)"], legend);
        Assert.Empty(chart.FindAll("[data-testid='breakdown-empty']"));
    }

    [Fact]
    public void KeepEveryKeyWhenOnlyOneWouldBeLeftForOther()
    {
        var points = Enumerable.Range(1, 6).Select(i => Point(0, $"key {i}", requests: i, cost: 0.5m * i)).ToList();

        var chart = RenderChart(points, Metric.Spend, byKey: true);

        Assert.Contains("Spend each day, split by key.", chart.Markup, StringComparison.Ordinal);
        Assert.Equal(["key 6", "key 5", "key 4", "key 3", "key 2", "key 1"], Legend(chart));
    }

    [Fact]
    public void AddUpEachNamesValuesPerDayByTheMetricAndLeaveOutDaysOutsideThePeriod()
    {
        IReadOnlyList<ActivityPoint> points =
        [
            Point(0, "a", requests: 1, cost: 0m, tokens: 100),
            Point(2, "a", requests: 2, cost: 0m, tokens: 50),
            Point(1, "b", requests: 9, cost: 0m, tokens: 10),
            new(First.AddDays(-1), "a", new Figures(100, 1_000, 1_000, 0m)), // before the period
        ];

        var series = ActivityBreakdown.Of(points, Days, Metric.Tokens);

        Assert.Equal(["a", "b"], series.Select(s => s.Name));
        Assert.Equal([300d, 0d, 150d], series[0].Values);
        Assert.Equal([0d, 30d, 0d], series[1].Values);
        Assert.All(series, s => Assert.Equal(0, s.Others));
    }

    [Theory]
    [InlineData(7, "llmtr-axis-every-1")]
    [InlineData(30, "llmtr-axis-every-3")]
    [InlineData(90, "llmtr-axis-every-9")]
    public void ShowFewerDayLabelsTheLongerThePeriod(int days, string axisClass) => Assert.Equal(axisClass, ActivityBreakdown.AxisClass(days));

    [Fact]
    public void WriteTheCaptionTheRestAndTheAxisInTurkish()
    {
        using var culture = new CultureScope("tr");
        var points = Enumerable.Range(1, 7).Select(i => Point(0, $"anahtar {i}", requests: 500 * i, cost: 0m)).ToList();

        var chart = RenderChart(points, Metric.Requests, byKey: true);

        Assert.Contains("Her günün istekleri, anahtarlara göre.", chart.Markup, StringComparison.Ordinal);
        Assert.Equal("Diğer (2)", Legend(chart)[^1]);
        var axis = chart.FindAll("svg text").Select(t => t.TextContent.Trim()).ToList();
        // Thousands grouped with a dot (2.560), never written as 2560 or 2,560.
        Assert.Contains(axis, text => Regex.IsMatch(text, "^[0-9]{1,3}(\\.[0-9]{3})+$"));
        Assert.DoesNotContain(axis, text => Regex.IsMatch(text, "^[0-9]{4,}$|^[0-9]{1,3}(,[0-9]{3})+$"));
    }

    private IRenderedComponent<ActivityBreakdownChart> RenderChart(IReadOnlyList<ActivityPoint> points, Metric metric, bool byKey = false) =>
        Render<ActivityBreakdownChart>(parameters => parameters
            .Add(c => c.Points, points).Add(c => c.Days, Days).Add(c => c.DayLabels, Labels).Add(c => c.Metric, metric).Add(c => c.ByKey, byKey).Add(c => c.TestId, "chart"));

    private static List<string> Legend(IRenderedComponent<ActivityBreakdownChart> chart) =>
        chart.FindAll(".mud-chart-legend-item").Select(item => item.TextContent.Trim()).ToList();

    private static ActivityPoint Point(int day, string name, long requests, decimal cost, long tokens = 0) =>
        new(Days[day], name, new Figures(requests, tokens * 2, tokens, cost));
}

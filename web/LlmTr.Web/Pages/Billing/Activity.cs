namespace LlmTr.Web.Pages.Billing;

/// <summary>What the activity charts show: a request count, tokens in and out, or spend.</summary>
public enum Metric
{
    Requests,
    Tokens,
    Spend,
}

/// <summary>Requests, tokens and spend added up over some usage.</summary>
public sealed record Figures(long Requests, long PromptTokens, long CompletionTokens, decimal Cost)
{
    public static Figures None { get; } = new(0, 0, 0, 0m);

    public long Tokens => PromptTokens + CompletionTokens;
}

/// <summary>One model's or one key's figures over the period, under the name shown.</summary>
public sealed record ActivityLine(string Name, Figures Figures);

/// <summary>One model's or one key's figures on one day, under the name shown.</summary>
public sealed record ActivityPoint(DateOnly Day, string Name, Figures Figures);

/// <summary>
/// One stack of a per-model or per-key chart and its value on each day: one name's, or, when <paramref name="Others"/>
/// is more than zero, that many other names' added up (the chart names it in the reader's language).
/// </summary>
public sealed record BreakdownSeries(string Name, double[] Values, int Others = 0);

/// <summary>
/// The per-model and per-key charts' stacks: the names that count most over the period by the metric being looked at,
/// each its own stack, and the rest added up into one, so that a chart stays readable on a phone however many models
/// or keys an account uses. The tables beside the charts list every name.
/// </summary>
public static class ActivityBreakdown
{
    /// <summary>How many names get a stack of their own; more than this and the colours stop telling them apart.</summary>
    public const int Shown = 5;

    /// <summary>
    /// The class that shows every day's label on a week's axis but only every third (a month) or ninth (90 days): the
    /// labels stay in the chart's data for its tooltips, and the axis stays readable on a phone (app.css hides the rest).
    /// </summary>
    public static string AxisClass(int days) => days switch
    {
        <= 10 => "llmtr-axis-every-1",
        <= 31 => "llmtr-axis-every-3",
        _ => "llmtr-axis-every-9",
    };

    public static double ValueOf(Figures figures, Metric metric) => metric switch
    {
        Metric.Tokens => figures.Tokens,
        // Charts draw doubles; amounts are only drawn from this, never added up from it or stored.
        Metric.Spend => (double)figures.Cost,
        _ => figures.Requests,
    };

    /// <summary>
    /// The stacks over <paramref name="days"/>, largest first (names ordinally on a tie, so the colours do not swap
    /// between renders); empty when nothing in the period has any of the metric, so the caller can say so instead.
    /// </summary>
    public static IReadOnlyList<BreakdownSeries> Of(IEnumerable<ActivityPoint> points, IReadOnlyList<DateOnly> days, Metric metric)
    {
        var index = days.Select((day, i) => (day, i)).ToDictionary(d => d.day, d => d.i);
        var byName = points.Where(p => index.ContainsKey(p.Day))
            .GroupBy(p => p.Name, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Total: g.Sum(p => ValueOf(p.Figures, metric)), Points: g.ToList()))
            .Where(n => n.Total > 0)
            .OrderByDescending(n => n.Total).ThenBy(n => n.Name, StringComparer.Ordinal)
            .ToList();

        // A rest of one name is just that name: it keeps its own stack rather than hiding behind "Other".
        var own = byName.Count <= Shown + 1 ? byName.Count : Shown;
        var series = byName.Take(own).Select(n => new BreakdownSeries(n.Name, Values(n.Points, index, days.Count, metric))).ToList();
        if (byName.Count > own)
        {
            series.Add(new BreakdownSeries("", Values(byName.Skip(own).SelectMany(n => n.Points), index, days.Count, metric), byName.Count - own));
        }

        return series;
    }

    private static double[] Values(IEnumerable<ActivityPoint> points, Dictionary<DateOnly, int> index, int count, Metric metric)
    {
        var values = new double[count];
        foreach (var point in points)
        {
            values[index[point.Day]] += ValueOf(point.Figures, metric);
        }

        return values;
    }
}

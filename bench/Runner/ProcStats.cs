using System.Diagnostics;
using System.Globalization;

namespace LlmTr.Bench.Runner;

/// <summary>A process's CPU time and memory as the kernel counts them (/proc/&lt;pid&gt;/stat and status).</summary>
internal readonly record struct ProcSample(TimeSpan Cpu, long RssBytes, long PeakRssBytes, long At)
{
    private static readonly double TicksPerSecond = ClockTicks.PerSecond;

    public static ProcSample Read(int pid)
    {
        // Fields after the command name (which may hold spaces) start at the last ')': state is field 3, utime 14, stime 15.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line);
            }
        }

        return new ProcSample(TimeSpan.FromSeconds(ticks / TicksPerSecond), rss, peak, Stopwatch.GetTimestamp());
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}

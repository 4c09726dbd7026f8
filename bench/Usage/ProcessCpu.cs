using System.Diagnostics;
using System.Globalization;

namespace LlmTr.Bench.Usage;

/// <summary>CPU time as the kernel counts it (<c>/proc/&lt;pid&gt;/stat</c>, <c>/proc/self/task/&lt;tid&gt;/stat</c>).</summary>
internal static class ProcessCpu
{
    private static readonly double TicksPerSecond = ClockTicks.PerSecond;

    /// <summary>This process, every thread.</summary>
    public static TimeSpan OfThisProcess() => Ticks(Fields("/proc/self/stat"), children: false);

    /// <summary>One thread of this process, by its kernel id.</summary>
    public static TimeSpan OfThread(int threadId) => Ticks(Fields($"/proc/self/task/{threadId}/stat"), children: false);

    /// <summary>The calling thread's kernel id.</summary>
    public static int CurrentThreadId() => int.Parse(File.ReadAllText("/proc/thread-self/stat").Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>
    /// A PostgreSQL cluster: its postmaster (with the time of the backends it has already reaped) and every process it
    /// started that is still running (backends, the checkpointer, the WAL writer, ...).
    /// </summary>
    public static TimeSpan OfCluster(int postmasterId)
    {
        var total = Ticks(Fields($"/proc/{postmasterId}/stat"), children: true);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == postmasterId)
            {
                continue;
            }

            string[] fields;
            try
            {
                fields = Fields($"{dir}/stat");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // ended while we looked
            }

            if (fields[1] == postmasterId.ToString(CultureInfo.InvariantCulture))
            {
                total += Ticks(fields, children: false);
            }
        }

        return total;
    }

    /// <summary>The fields after the command name (which may hold spaces): state, ppid, ... utime is [11], stime [12].</summary>
    private static string[] Fields(string path)
    {
        var stat = File.ReadAllText(path);
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    private static TimeSpan Ticks(string[] fields, bool children)
    {
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        if (children)
        {
            ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}

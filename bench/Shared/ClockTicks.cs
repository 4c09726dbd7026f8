using System.Diagnostics;
using System.Globalization;

namespace LlmTr.Bench;

/// <summary>The kernel's clock ticks per second, which <c>/proc/&lt;pid&gt;/stat</c> counts CPU time in (shared by the bench programs).</summary>
internal static class ClockTicks
{
    public static readonly double PerSecond = Read();

    private static double Read()
    {
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true })!;
            var text = getconf.StandardOutput.ReadToEnd().Trim();
            getconf.WaitForExit();
            return double.Parse(text, CultureInfo.InvariantCulture);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 100;
        }
    }
}

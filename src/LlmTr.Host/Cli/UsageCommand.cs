using System.Globalization;
using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.Host.Cli;

/// <summary>
/// <c>usage roll-up</c>: the daily totals of a range of days, recomputed from the usage rows. For days whose rows came
/// too late for the hourly roll-up: the job that drops expired usage partitions keeps a month until its totals match.
/// </summary>
internal static class UsageCommand
{
    public static async Task<int> RollUpAsync(ManagementCommand command, IServiceProvider provider, TextWriter stdout, TextWriter stderr)
    {
        if (Day(command.Option("--from")) is not { } from || Day(command.Option("--to")) is not { } to)
        {
            await stderr.WriteLineAsync("--from and --to are UTC days written like 2025-09-01.");
            return ManagementCommand.Usage;
        }

        if (from > to)
        {
            await stderr.WriteLineAsync("--from must not be after --to.");
            return ManagementCommand.Usage;
        }

        var written = await provider.GetRequiredService<IUsageRollUp>().RollUpAsync(from, to);
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Rolled up {from:yyyy-MM-dd} to {to:yyyy-MM-dd}: {written} daily totals (account, day, key and model) written."));
        return ManagementCommand.Ok;
    }

    private static DateOnly? Day(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}

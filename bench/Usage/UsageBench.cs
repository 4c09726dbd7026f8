using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using LlmTr.Modules.Billing.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmTr.Bench.Usage;

/// <summary>One case: how many accounts share the load and the batch size the writer runs with (null: the default).</summary>
internal sealed record UsageCase(int Accounts, int? BatchSize);

/// <summary>The writer's settings as the host resolved them (read from its options, not assumed).</summary>
internal sealed record WriterSettings(int BatchSize, TimeSpan FlushInterval, int QueueCapacity);

internal sealed record CaseResult(
    UsageCase Case,
    int KeysPerAccount,
    WriterSettings Writer,
    TimeSpan Window,
    long RowsInWindow,
    TimeSpan HostCpu,
    TimeSpan FeederCpu,
    TimeSpan PostgresCpu,
    TimeSpan IdleHostCpuPerSecond,
    long Commits,
    long Updated,
    decimal WalBytes,
    long BacklogAtEnd,
    long Accepted,
    Database.Stored Stored,
    decimal Charged,
    double LoadAverage)
{
    /// <summary>Which pass over the cases this was (with <c>--repeat</c>).</summary>
    public int Run { get; init; } = 1;

    public double RowsPerSecond => RowsInWindow / Window.TotalSeconds;

    public double Micros(TimeSpan cpu) => RowsInWindow == 0 ? double.NaN : cpu.TotalMicroseconds / RowsInWindow;

    /// <summary>The host's CPU without the feeding thread: the writer, the recorder's in-memory debit excepted.</summary>
    public TimeSpan WriterCpu => HostCpu - FeederCpu;

    public double PostgresShare => PostgresCpu / (WriterCpu + PostgresCpu);

    public bool NothingLost => Stored.Rows == Accepted && Stored.LedgerRequests == Accepted
        && Stored.Cost == Charged && Stored.LedgerDebits == Charged && Stored.Balances == -Charged;
}

/// <summary>Runs each case on a fresh in-process host: warm-up, a measured window, then every accepted row waited for and checked.</summary>
internal sealed class UsageBench(UsageSettings settings, Database database)
{
    public async Task<CaseResult> RunAsync(UsageCase usageCase, int index)
    {
        var tag = $"{DateTime.UtcNow:yyyyMMddHHmmss}-{index}";
        var workload = new Workload(tag, settings.Model, usageCase.Accounts, settings.KeysPerAccount);
        var hostSettings = new Dictionary<string, string>
        {
            // The writer warns once per batch while its queue is full, which the feeder keeps it on purpose.
            ["Logging:LogLevel:LlmTr.Modules.Billing.Usage.UsageWriter"] = "Error",
            // Required of a production host at start; no mail is sent while the benchmark runs, so nothing is contacted.
            ["Smtp:Host"] = "127.0.0.1",
            ["Site:PublicBaseUrl"] = "https://llmtr.example.com",
        };
        if (usageCase.BatchSize is { } batchSize)
        {
            hostSettings["Billing:UsageBatchSize"] = batchSize.ToString(CultureInfo.InvariantCulture);
        }

        await using var host = new InProcessHost(hostSettings);
        var services = host.Services; // builds and starts the host: its usage writer is running from here on
        var writer = ReadWriterSettings(services);
        var recorder = services.GetRequiredService<IUsageRecorder>();
        var pricing = services.GetRequiredService<IUsagePricing>();
        if (pricing.Price(settings.Model, new UsageCounts(1000, 100), DateTimeOffset.UtcNow) is not { Total: > 0 })
        {
            throw new InvalidOperationException($"The catalog has no price for '{settings.Model}': every row must carry a cost (bench/run.sh loads the demo catalog).");
        }

        Log($"case {index}: {usageCase.Accounts} account(s) × {settings.KeysPerAccount} keys, batch {writer.BatchSize}, flush {writer.FlushInterval.TotalMilliseconds} ms, queue {writer.QueueCapacity}");
        using var feeder = new Feeder(recorder, services.GetRequiredService<IUsageAdmission>(), workload);
        feeder.Start();
        await Task.Delay(settings.Warmup);

        var postmaster = await database.PostmasterIdAsync();
        var clock = Stopwatch.StartNew();
        var host0 = ProcessCpu.OfThisProcess();
        var feeder0 = ProcessCpu.OfThread(feeder.ThreadId);
        var pg0 = ProcessCpu.OfCluster(postmaster);
        var counters0 = await database.CountersAsync();
        var start = clock.Elapsed; // a count sees what was committed when it starts, so each is timed as it is sent
        var rows0 = await database.RowsAsync(workload.Accounts);
        await Task.Delay(settings.Duration - (clock.Elapsed - start));
        var host1 = ProcessCpu.OfThisProcess();
        var feeder1 = ProcessCpu.OfThread(feeder.ThreadId);
        var pg1 = ProcessCpu.OfCluster(postmaster);
        var counters1 = await database.CountersAsync();
        var end = clock.Elapsed;
        var rows1 = await database.RowsAsync(workload.Accounts);
        var acceptedAtEnd = feeder.Accepted;
        var loadAverage = LoadAverage();
        feeder.Stop();
        Log($"  {rows1 - rows0:N0} rows in {(end - start).TotalSeconds:F1} s; {feeder.Accepted - rows1:N0} still queued, waiting for them");

        // Every report the recorder took must become a row, a ledger debit and a balance change.
        var waited = Stopwatch.StartNew();
        while (await database.RowsAsync(workload.Accounts) < feeder.Accepted && waited.Elapsed < settings.DrainTimeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        var stored = await database.StoredAsync(workload.Accounts);

        // What the host spends with nothing to write (its background services, timers, the collector), warm by now.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var idleFrom = ProcessCpu.OfThisProcess();
        await Task.Delay(TimeSpan.FromSeconds(3));
        var idle = (ProcessCpu.OfThisProcess() - idleFrom) / 3;
        var result = new CaseResult(usageCase, settings.KeysPerAccount, writer, end - start, rows1 - rows0,
            host1 - host0, feeder1 - feeder0, pg1 - pg0, idle,
            counters1.Commits - counters0.Commits, counters1.Updated - counters0.Updated, counters1.WalBytes - counters0.WalBytes,
            acceptedAtEnd - rows1, feeder.Accepted, stored, feeder.Charged, loadAverage);
        Log($"  {result.RowsPerSecond:N0} rows/s; writer {result.Micros(result.WriterCpu):F1} µs/row, PostgreSQL {result.Micros(result.PostgresCpu):F1} µs/row; "
            + $"{stored.Rows:N0} rows stored of {feeder.Accepted:N0} accepted ({(result.NothingLost ? "all accounted for" : "MISMATCH")})");
        return result;
    }

    /// <summary>
    /// The host's own <c>BillingOptions</c>, read by reflection (they are internal to the billing module, and no
    /// production project opens its internals to the benchmark), so the report shows what ran rather than a copy of the defaults.
    /// </summary>
    private static WriterSettings ReadWriterSettings(IServiceProvider services)
    {
        var type = typeof(IUsageRecorder).Assembly.GetName().Name is { } contracts
            ? Type.GetType($"LlmTr.Modules.Billing.BillingOptions, {contracts.Replace(".Contracts", string.Empty, StringComparison.Ordinal)}", throwOnError: true)!
            : throw new InvalidOperationException("The billing contracts have no assembly name.");
        var options = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
        var value = options.GetType().GetProperty(nameof(IOptions<object>.Value), BindingFlags.Public | BindingFlags.Instance)!.GetValue(options)!;
        T Read<T>(string name) => (T)type.GetProperty(name)!.GetValue(value)!;
        return new WriterSettings(Read<int>("UsageBatchSize"), Read<TimeSpan>("UsageFlushInterval"), Read<int>("UsageQueueCapacity"));
    }

    /// <summary>The machine's one-minute load average: above the core count, other work shared the cores with the case.</summary>
    private static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    public static void Log(string line) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");
}

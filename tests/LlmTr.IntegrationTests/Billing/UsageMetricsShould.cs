using System.Diagnostics.Metrics;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Billing;

/// <summary>The usage writer's metrics, which the capacity plan tells operators to watch, count what it writes.</summary>
public sealed class UsageMetricsShould
{
    [Fact]
    public async Task CountTheRowsWrittenAndTheBatchesAndShowWhatIsPending()
    {
        var server = await PostgresServer.InstanceAsync();
        await using var host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), BillingTesting.FastUsageWrites());
        var model = await BillingTesting.PricedModelAsync(host, (PriceUnit.InputTokensPerMillion, 1m, DateTimeOffset.UtcNow.AddDays(-1)));
        var account = await TestAccounts.CreateUserAsync(host);
        var factory = host.Services.GetRequiredService<IMeterFactory>(); // this host's meters only, not the other tests' hosts
        long written = 0, batches = 0, pending = -1;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name is "llmtr.usage.rows_written" or "llmtr.usage.batch.duration" or "llmtr.usage.pending")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "llmtr.usage.rows_written")
            {
                Interlocked.Add(ref written, value);
            }
            else
            {
                Interlocked.Exchange(ref pending, value);
            }
        });
        listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref batches));
        listener.Start();

        var recorder = host.Services.GetRequiredService<IUsageRecorder>();
        for (var i = 0; i < 3; i++)
        {
            recorder.Record(BillingTesting.Report(account, Guid.NewGuid(), model, 1_000, 0));
        }

        await Poll.UntilAsync(() => Task.FromResult(Interlocked.Read(ref written) == 3), "the three rows to be counted as written");
        Assert.True(Interlocked.Read(ref batches) >= 1);
        listener.RecordObservableInstruments();
        Assert.Equal(0, Interlocked.Read(ref pending));
    }
}

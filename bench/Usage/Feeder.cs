using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.Bench.Usage;

/// <summary>
/// Hands usage reports to the host's recorder on a thread of its own, as fast as the writer takes them: each report
/// first reserves its row of the usage queue (as the gateway does before it serves a request), and while the queue is
/// full the feeder waits a millisecond and tries again. So the queue stays full and the writer never waits for rows.
/// </summary>
internal sealed class Feeder(IUsageRecorder recorder, IUsageAdmission admission, Workload workload) : IDisposable
{
    private readonly ManualResetEventSlim _started = new();
    private Thread? _thread;
    private volatile bool _stop;
    private long _accepted;
    private long _refused;
    private decimal _charged;

    /// <summary>The kernel's id of the feeding thread (to tell its CPU time from the host's).</summary>
    public int ThreadId { get; private set; }

    /// <summary>Reports the recorder took (each one a row the database must end up with).</summary>
    public long Accepted => Volatile.Read(ref _accepted);

    /// <summary>Attempts refused because the queue was full (each followed by a 1 ms pause).</summary>
    public long Refused => Volatile.Read(ref _refused);

    /// <summary>What the recorder charged for the accepted reports, in total (read after <see cref="Stop"/>).</summary>
    public decimal Charged => _charged;

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "usage feeder" };
        _thread.Start();
        _started.Wait();
    }

    public void Stop()
    {
        _stop = true;
        _thread?.Join();
    }

    public void Dispose()
    {
        Stop();
        _started.Dispose();
    }

    private void Run()
    {
        ThreadId = ProcessCpu.CurrentThreadId();
        _started.Set();
        long n = 0;
        while (!_stop)
        {
            if (!admission.TryReserve())
            {
                Volatile.Write(ref _refused, _refused + 1);
                Thread.Sleep(1);
                continue;
            }

            var charge = recorder.Record(workload.Report(n++));
            _charged += charge.Cost;
            Volatile.Write(ref _accepted, n);
        }
    }
}

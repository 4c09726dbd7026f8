using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Gateway.Chat;

/// <summary>
/// The bytes of request bodies one host holds in memory at once (<c>Gateway:MaxBufferedBodyBytes</c>). A body takes its
/// share before it is read and gives it back when its request ends; a request that cannot get its share within
/// <c>Gateway:BufferedBodyWait</c> is refused with 503 rather than read. Without it, memory grew with the number of
/// large requests arriving together (48 bodies of 19 MB took a host past 2.7 GB). Small bodies (up to
/// <see cref="SmallBody"/>) need no share: they cost less than their connections' own buffers, and ordinary traffic
/// never waits behind large uploads. Shares are permits of a <see cref="ConcurrencyLimiter"/>, one per byte.
/// </summary>
internal sealed class BodyBudget : IDisposable
{
    /// <summary>The largest buffer a body may hold without a share of the budget.</summary>
    public const int SmallBody = 64 * 1024;

    private readonly ConcurrencyLimiter _limiter;

    public BodyBudget(IOptions<GatewayOptions> options)
    {
        Total = (int)Math.Clamp(options.Value.MaxBufferedBodyBytes, SmallBody, int.MaxValue);
        Wait = options.Value.BufferedBodyWait;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Total,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>The budget in bytes.</summary>
    public int Total { get; }

    /// <summary>How long a body may wait for its share.</summary>
    public TimeSpan Wait { get; }

    /// <summary>What one request holds of the budget; it may grow (a chunked body of unknown size) and is given back at once.</summary>
    public Share Open(CancellationToken requestAborted) => new(this, requestAborted);

    public void Dispose() => _limiter.Dispose();

    /// <summary>One request's share of the budget.</summary>
    internal sealed class Share(BodyBudget budget, CancellationToken requestAborted) : IDisposable
    {
        private List<RateLimitLease>? _leases; // only a body over SmallBody takes leases: most requests never allocate it
        private CancellationTokenSource? _deadline;

        public int Held { get; private set; }

        /// <summary>
        /// Makes the share cover a buffer of <paramref name="bytes"/> (nothing for a small one), waiting up to the budget's
        /// wait in all; false when it could not, and the request should be refused as busy.
        /// </summary>
        public async ValueTask<bool> CoverAsync(int bytes)
        {
            var wanted = bytes <= SmallBody ? 0 : Math.Min(bytes, budget.Total);
            if (wanted <= Held)
            {
                return true;
            }

            if (_deadline is null)
            {
                _deadline = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
                _deadline.CancelAfter(budget.Wait);
            }

            RateLimitLease lease;
            try
            {
                lease = await budget._limiter.AcquireAsync(wanted - Held, _deadline.Token);
            }
            catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
            {
                return false;
            }

            if (!lease.IsAcquired)
            {
                lease.Dispose();
                return false;
            }

            (_leases ??= []).Add(lease);
            Held = wanted;
            return true;
        }

        public void Dispose()
        {
            foreach (var lease in _leases ?? [])
            {
                lease.Dispose();
            }

            _leases?.Clear();
            Held = 0;
            _deadline?.Dispose();
        }
    }
}

namespace LlmTr.Modules.Billing.Ledger;

/// <summary>
/// One account's credit as this host sees it: the balance and key spend as last read from (or written to) the
/// database, less the usage this host has recorded but not yet written. Every member is safe to call concurrently.
/// </summary>
internal sealed class AccountCredit
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, KeySpend> _unwrittenKeys = [];
    private readonly Dictionary<Guid, decimal> _keyHolds = [];
    private Dictionary<Guid, KeySpend> _keys = [];
    private decimal _stored;
    private decimal _unwritten;

    /// <summary>What this host's running paid requests of the account hold, in all and per key.</summary>
    private decimal _held;
    private int _inFlight;

    /// <summary>
    /// The latest database version the stored figures are known to match exactly (0: never read). They may also hold
    /// this host's later batches (see <see cref="Settle"/>); a read of any newer version replaces them.
    /// </summary>
    private long _version;

    public long Version
    {
        get
        {
            lock (_lock)
            {
                return _version;
            }
        }
    }

    public decimal Balance
    {
        get
        {
            lock (_lock)
            {
                return _stored - _unwritten;
            }
        }
    }

    /// <summary>The balance and what the key has spent, in all and in <paramref name="month"/>, as of now.</summary>
    public (decimal Balance, decimal KeyTotal, decimal KeyMonth) Read(Guid keyId, DateOnly month)
    {
        lock (_lock)
        {
            var stored = _keys.GetValueOrDefault(keyId);
            var unwritten = _unwrittenKeys.GetValueOrDefault(keyId);
            return (_stored - _unwritten, stored.Total + unwritten.Total, stored.In(month) + unwritten.In(month));
        }
    }

    /// <summary>
    /// Holds up to <paramref name="maximumCost"/> for one more running paid request, when the balance and the key's
    /// limits less what this host's running requests already hold are each above zero; the amount held is capped at
    /// the smallest of those remainders, so only the request admitted on a remainder can spend past it. The caller
    /// gives the hold back with <see cref="Release"/> once the request's usage is debited.
    /// </summary>
    public (HoldOutcome Outcome, decimal Amount, decimal Balance, int InFlight) Reserve(
        Guid keyId, DateOnly month, decimal maximumCost, decimal? keySpendLimit, decimal? keyMonthlySpendLimit)
    {
        lock (_lock)
        {
            var balance = _stored - _unwritten;
            var room = balance - _held;
            if (room <= 0m)
            {
                return (balance <= 0m ? HoldOutcome.NoBalance : HoldOutcome.BalanceHeld, 0m, balance, _inFlight);
            }

            var keyHeld = _keyHolds.GetValueOrDefault(keyId);
            if (keySpendLimit is not null || keyMonthlySpendLimit is not null)
            {
                var stored = _keys.GetValueOrDefault(keyId);
                var unwritten = _unwrittenKeys.GetValueOrDefault(keyId);
                if (keySpendLimit is { } total)
                {
                    var spent = stored.Total + unwritten.Total;
                    var left = total - spent - keyHeld;
                    if (left <= 0m)
                    {
                        return (spent >= total ? HoldOutcome.KeyTotalReached : HoldOutcome.KeyTotalHeld, 0m, balance, _inFlight);
                    }

                    room = Math.Min(room, left);
                }

                if (keyMonthlySpendLimit is { } monthly)
                {
                    var spent = stored.In(month) + unwritten.In(month);
                    var left = monthly - spent - keyHeld;
                    if (left <= 0m)
                    {
                        return (spent >= monthly ? HoldOutcome.KeyMonthReached : HoldOutcome.KeyMonthHeld, 0m, balance, _inFlight);
                    }

                    room = Math.Min(room, left);
                }
            }

            var amount = Math.Min(Math.Max(maximumCost, 0m), room);
            _held += amount;
            _keyHolds[keyId] = keyHeld + amount;
            _inFlight++;
            return (HoldOutcome.Held, amount, balance, _inFlight);
        }
    }

    /// <summary>A request held by <see cref="Reserve"/> has finished (its usage is already debited): its hold comes back.</summary>
    public void Release(Guid keyId, decimal amount)
    {
        lock (_lock)
        {
            if (_inFlight == 0)
            {
                return;
            }

            _inFlight--;
            _held = _inFlight == 0 ? 0m : _held - amount;
            var keyHeld = _keyHolds.GetValueOrDefault(keyId) - amount;
            if (keyHeld > 0m)
            {
                _keyHolds[keyId] = keyHeld;
            }
            else
            {
                _keyHolds.Remove(keyId); // a key with nothing running holds no entry, so the map stays as small as the running requests
            }
        }
    }

    /// <summary>Usage recorded on this host: counted at once, before it is written.</summary>
    public void Debit(Guid keyId, DateOnly month, decimal cost)
    {
        lock (_lock)
        {
            _unwritten += cost;
            _unwrittenKeys[keyId] = _unwrittenKeys.GetValueOrDefault(keyId).Add(cost, month);
        }
    }

    /// <summary>
    /// A batch of this host's usage is committed and the account is now at <paramref name="versionAfter"/>. What was
    /// queued stops counting as unwritten; what was written moves into the stored figures, unless a read already
    /// brought a state that includes it. When the batch was the only change since the known version the stored
    /// figures are exact at the new version; otherwise another host changed the account in between, and the next read
    /// (its notice is on the way) replaces them.
    /// </summary>
    public void Settle(AccountBatch batch, long versionAfter)
    {
        lock (_lock)
        {
            _unwritten -= batch.Queued;
            foreach (var part in batch.QueuedKeys)
            {
                _unwrittenKeys[part.KeyId] = _unwrittenKeys.GetValueOrDefault(part.KeyId).Add(-part.Amount, part.Month);
            }

            if (versionAfter <= _version)
            {
                return;
            }

            _stored -= batch.Written;
            foreach (var part in batch.WrittenKeys)
            {
                _keys[part.KeyId] = _keys.GetValueOrDefault(part.KeyId).Add(part.Amount, part.Month);
            }

            if (versionAfter == _version + 1)
            {
                _version = versionAfter;
            }
        }
    }

    /// <summary>Takes a state read from the database, unless this host already knows the account at that version or later.</summary>
    public void Apply(LoadedAccount loaded)
    {
        lock (_lock)
        {
            if (loaded.Version <= _version)
            {
                return;
            }

            _version = loaded.Version;
            _stored = loaded.Balance;
            _keys = new Dictionary<Guid, KeySpend>(loaded.Keys);
        }
    }
}

/// <summary>What <see cref="AccountCredit.Reserve"/> decided.</summary>
internal enum HoldOutcome
{
    Held,
    NoBalance,
    BalanceHeld,
    KeyTotalReached,
    KeyTotalHeld,
    KeyMonthReached,
    KeyMonthHeld,
}

namespace LlmTr.Modules.Billing.Ledger;

/// <summary>
/// One account's credit as this host sees it: the balance and key spend as last read from (or written to) the
/// database, less the usage this host has recorded but not yet written. Every member is safe to call concurrently.
/// </summary>
internal sealed class AccountCredit
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, KeySpend> _unwrittenKeys = [];
    private Dictionary<Guid, KeySpend> _keys = [];
    private decimal _stored;
    private decimal _unwritten;
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
    /// Like <see cref="Read"/>, and when the balance less <paramref name="reserve"/> for each paid request already
    /// running is above zero, counts one more running request (the caller checks the key's limits and, if it refuses,
    /// calls <see cref="Release"/>).
    /// </summary>
    public (decimal Balance, decimal KeyTotal, decimal KeyMonth, int InFlight, bool Admitted) Reserve(Guid keyId, DateOnly month, decimal reserve)
    {
        lock (_lock)
        {
            var stored = _keys.GetValueOrDefault(keyId);
            var unwritten = _unwrittenKeys.GetValueOrDefault(keyId);
            var balance = _stored - _unwritten;
            var admitted = balance - (_inFlight * reserve) > 0m;
            if (admitted)
            {
                _inFlight++;
            }

            return (balance, stored.Total + unwritten.Total, stored.In(month) + unwritten.In(month), _inFlight, admitted);
        }
    }

    /// <summary>A request counted by <see cref="Reserve"/> has finished (its usage is already debited).</summary>
    public void Release()
    {
        lock (_lock)
        {
            if (_inFlight > 0)
            {
                _inFlight--;
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

using LlmTr.Modules.Billing.Contracts;
using LlmTr.Persistence.Shared;
using StackExchange.Redis;

namespace LlmTr.Modules.Billing.Ledger;

/// <summary>
/// One account's credit as this host sees it: the balance and key spend as last read from (or written to) the
/// database, less the usage this host has recorded but not yet written. Every member is safe to call concurrently.
/// With <paramref name="shared"/>, every change of what this host holds is also published to Redis (see
/// <see cref="SharedCredit"/>), under the same lock, so the other hosts count it.
/// </summary>
internal sealed class AccountCredit(string accountId = "", SharedCredit? shared = null)
{
    private readonly Lock _lock = new();
    private readonly HashSet<Guid> _publishedSpenders = [];
    private readonly Dictionary<Guid, KeySpend> _unwrittenKeys = [];
    private readonly Dictionary<Guid, decimal> _keyHolds = [];
    private Dictionary<Guid, KeySpend> _keys = [];
    private decimal _stored;
    private decimal _unwritten;

    /// <summary>What this host's running paid requests of the account hold, in all and per key.</summary>
    private decimal _held;
    private int _inFlight;

    /// <summary>The latest database version the stored figures match exactly (0: never read); only a newer state replaces them.</summary>
    private long _version;

    /// <summary>The version this host's usage writer is committing (0: none), whose notice needs no read.</summary>
    private long _expected;

    public string AccountId => accountId;

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
    /// Holds up to <paramref name="maximumCost"/> for one more running paid request, when the balance, the key's limits
    /// and the member's budget, each less what this host's running requests already hold, are above zero; the amount
    /// held is capped at the smallest of those remainders, so only the request admitted on a remainder can spend past
    /// it. The caller gives the hold back with <see cref="Release"/> once the request's usage is debited.
    /// </summary>
    /// <param name="member">The member's spend id and budget in the organisation; an empty id (a personal organisation) holds nothing for a member.</param>
    public (HoldOutcome Outcome, decimal Amount, decimal Balance, int InFlight) Reserve(
        Guid keyId, DateOnly month, decimal maximumCost, decimal? keySpendLimit, decimal? keyMonthlySpendLimit, in SpendBudget member = default)
    {
        lock (_lock)
        {
            var balance = _stored - _unwritten;
            var room = balance - _held;
            if (room <= 0m)
            {
                return (balance <= 0m ? HoldOutcome.NoBalance : HoldOutcome.BalanceHeld, 0m, balance, _inFlight);
            }

            if (Limit(keyId, month, keySpendLimit, keyMonthlySpendLimit, ref room) is { } keyOutcome)
            {
                return (keyOutcome, 0m, balance, _inFlight);
            }

            if (member.Id != Guid.Empty && Limit(member.Id, month, member.Total, member.Monthly, ref room) is { } memberOutcome)
            {
                return (memberOutcome switch
                {
                    HoldOutcome.KeyTotalReached => HoldOutcome.MemberTotalReached,
                    HoldOutcome.KeyTotalHeld => HoldOutcome.MemberTotalHeld,
                    HoldOutcome.KeyMonthReached => HoldOutcome.MemberMonthReached,
                    _ => HoldOutcome.MemberMonthHeld,
                }, 0m, balance, _inFlight);
            }

            var amount = Math.Min(Math.Max(maximumCost, 0m), room);
            _held += amount;
            _keyHolds[keyId] = _keyHolds.GetValueOrDefault(keyId) + amount;
            if (member.Id != Guid.Empty)
            {
                _keyHolds[member.Id] = _keyHolds.GetValueOrDefault(member.Id) + amount;
            }

            _inFlight++;
            return (HoldOutcome.Held, amount, balance, _inFlight);
        }
    }

    /// <summary>
    /// <see cref="Reserve"/> on this host, and with Redis the hold's admission across hosts, queued under the same lock
    /// (null when Redis is not in use or the hold was refused here). Its answer goes to <see cref="Conclude"/>.
    /// </summary>
    public (HoldOutcome Outcome, decimal Amount, decimal Balance, int InFlight, Task<RedisResult>? Shared) Reserve(
        IDatabase? redis, Guid keyId, DateOnly month, decimal maximumCost, decimal? keySpendLimit, decimal? keyMonthlySpendLimit, in SpendBudget member)
    {
        lock (_lock)
        {
            var (outcome, amount, balance, inFlight) = Reserve(keyId, month, maximumCost, keySpendLimit, keyMonthlySpendLimit, member);
            if (outcome != HoldOutcome.Held || redis is null || shared is null)
            {
                return (outcome, amount, balance, inFlight, null);
            }

            try
            {
                var task = shared.StartReserve(redis, accountId, new HostExposure(_version, _stored, _held + _unwritten, _inFlight), amount, month,
                    SpenderLocked(keyId, keySpendLimit, keyMonthlySpendLimit), member.Id == Guid.Empty ? default : SpenderLocked(member.Id, member.Total, member.Monthly));
                return (outcome, amount, balance, inFlight, task);
            }
            catch (Exception e) when (SharedCounters.IsOutage(e))
            {
                shared.Counters.Failed(e);
                return (outcome, amount, balance, inFlight, null); // this host's hold stands alone
            }
        }
    }

    private SpenderLimits SpenderLocked(Guid id, decimal? total, decimal? monthly)
    {
        var stored = _keys.GetValueOrDefault(id);
        return new SpenderLimits(id, _version, stored, _keyHolds.GetValueOrDefault(id) + _unwrittenKeys.GetValueOrDefault(id).Total, total, monthly);
    }

    /// <summary>
    /// Takes the shared admission's answer for a hold of <paramref name="tentative"/> taken on this host: a refusal
    /// gives the hold back, a smaller grant keeps only that much. Either way the other hosts are told.
    /// </summary>
    public void Conclude(Guid keyId, Guid memberId, decimal tentative, decimal granted, bool refused)
    {
        lock (_lock)
        {
            if (refused)
            {
                ReleaseHoldLocked(keyId, tentative, memberId);
                return; // the script already published this host's figures without the hold
            }

            if (granted < tentative)
            {
                var less = tentative - granted;
                _held -= less;
                ReleaseLocked(keyId, less);
                if (memberId != Guid.Empty)
                {
                    ReleaseLocked(memberId, less);
                }

                PublishLocked();
            }
        }
    }

    /// <summary>Publishes what this host holds of the account, whole (the shared heartbeat).</summary>
    public void Publish()
    {
        lock (_lock)
        {
            PublishLocked();
        }
    }

    private void PublishLocked()
    {
        if (shared is null)
        {
            return;
        }

        var spenders = new List<SpenderExposure>(_keyHolds.Count + _publishedSpenders.Count + 1);
        foreach (var id in _keyHolds.Keys)
        {
            spenders.Add(SpenderExposureLocked(id));
        }

        foreach (var (id, spend) in _unwrittenKeys)
        {
            if (spend.Total > 0m && !_keyHolds.ContainsKey(id))
            {
                spenders.Add(SpenderExposureLocked(id));
            }
        }

        foreach (var id in _publishedSpenders)
        {
            if (!_keyHolds.ContainsKey(id) && _unwrittenKeys.GetValueOrDefault(id).Total <= 0m)
            {
                spenders.Add(new SpenderExposure(id, 0m, null)); // no longer held here: cleared in Redis
            }
        }

        _publishedSpenders.Clear();
        foreach (var spender in spenders)
        {
            if (spender.Exposure > 0m)
            {
                _publishedSpenders.Add(spender.Id);
            }
        }

        shared.Publish(this, new HostExposure(_version, _stored, Math.Max(0m, _held + _unwritten), _inFlight), spenders);
    }

    private SpenderExposure SpenderExposureLocked(Guid id) =>
        new(id, Math.Max(0m, _keyHolds.GetValueOrDefault(id) + _unwrittenKeys.GetValueOrDefault(id).Total), _keys.TryGetValue(id, out var stored) ? stored : null);

    /// <summary>
    /// Narrows <paramref name="room"/> to what is left of one spender's limits (a key's, or a member's: both are counted
    /// by id), less what its running requests hold; the refusal when nothing is left. Called under the lock.
    /// </summary>
    private HoldOutcome? Limit(Guid id, DateOnly month, decimal? total, decimal? monthly, ref decimal room)
    {
        if (total is null && monthly is null)
        {
            return null;
        }

        var held = _keyHolds.GetValueOrDefault(id);
        var stored = _keys.GetValueOrDefault(id);
        var unwritten = _unwrittenKeys.GetValueOrDefault(id);
        if (total is { } totalLimit)
        {
            var spent = stored.Total + unwritten.Total;
            var left = totalLimit - spent - held;
            if (left <= 0m)
            {
                return spent >= totalLimit ? HoldOutcome.KeyTotalReached : HoldOutcome.KeyTotalHeld;
            }

            room = Math.Min(room, left);
        }

        if (monthly is { } monthlyLimit)
        {
            var spent = stored.In(month) + unwritten.In(month);
            var left = monthlyLimit - spent - held;
            if (left <= 0m)
            {
                return spent >= monthlyLimit ? HoldOutcome.KeyMonthReached : HoldOutcome.KeyMonthHeld;
            }

            room = Math.Min(room, left);
        }

        return null;
    }

    /// <summary>A request held by <see cref="Reserve"/> has finished (its usage is already debited): its hold comes back.</summary>
    public void Release(Guid keyId, decimal amount, Guid memberId = default)
    {
        lock (_lock)
        {
            if (ReleaseHoldLocked(keyId, amount, memberId))
            {
                PublishLocked();
            }
        }
    }

    private bool ReleaseHoldLocked(Guid keyId, decimal amount, Guid memberId)
    {
        if (_inFlight == 0)
        {
            return false;
        }

        _inFlight--;
        _held = _inFlight == 0 ? 0m : _held - amount;
        ReleaseLocked(keyId, amount);
        if (memberId != Guid.Empty)
        {
            ReleaseLocked(memberId, amount);
        }

        return true;
    }

    private void ReleaseLocked(Guid id, decimal amount)
    {
        var held = _keyHolds.GetValueOrDefault(id) - amount;
        if (held > 0m)
        {
            _keyHolds[id] = held;
        }
        else
        {
            _keyHolds.Remove(id); // a spender with nothing running holds no entry, so the map stays as small as the running requests
        }
    }

    /// <summary>Usage recorded on this host: counted at once, before it is written (against the member too, when there is one).</summary>
    public void Debit(Guid keyId, DateOnly month, decimal cost, Guid memberId = default)
    {
        lock (_lock)
        {
            _unwritten += cost;
            _unwrittenKeys[keyId] = _unwrittenKeys.GetValueOrDefault(keyId).Add(cost, month);
            if (memberId != Guid.Empty)
            {
                _unwrittenKeys[memberId] = _unwrittenKeys.GetValueOrDefault(memberId).Add(cost, month);
            }
        }
    }

    /// <summary>
    /// This host's usage writer is committing a debit that takes the account to <paramref name="version"/>: the notice
    /// of that version needs no read, since <see cref="Settle"/> brings the state the debit returned.
    /// </summary>
    public void Expect(long version)
    {
        lock (_lock)
        {
            _expected = version;
        }
    }

    /// <summary>The commit of an expected version failed: its notice (if the commit went through after all) is read again.</summary>
    public void Abandon(long version)
    {
        lock (_lock)
        {
            if (_expected == version)
            {
                _expected = 0;
            }
        }
    }

    /// <summary>Whether a notice of <paramref name="version"/> brings nothing this host does not know or is about to know.</summary>
    public bool Knows(long version)
    {
        lock (_lock)
        {
            return version <= _version || version == _expected;
        }
    }

    /// <summary>
    /// A batch of this host's usage is finished: what it queued stops counting as unwritten, and the account takes
    /// <paramref name="state"/>, what the debit statement returned after the commit (balance, version and the spend of
    /// every key, read under the account's row lock, so exact at that version), unless this host already knows a later
    /// version. No state (the database refused the batch) leaves the stored figures as they are.
    /// </summary>
    public void Settle(AccountBatch batch, LoadedAccount? state)
    {
        lock (_lock)
        {
            _unwritten -= batch.Queued;
            foreach (var part in batch.QueuedKeys)
            {
                _unwrittenKeys[part.KeyId] = _unwrittenKeys.GetValueOrDefault(part.KeyId).Add(-part.Amount, part.Month);
            }

            if (state is not null)
            {
                if (_expected == state.Version)
                {
                    _expected = 0;
                }

                ApplyLocked(state);
            }

            // One write sets both the committed state and this host's smaller exposure: no host ever sees the batch's
            // cost gone from the exposure but not yet in the balance.
            PublishLocked();
        }
    }

    /// <summary>Takes a state read from the database, unless this host already knows the account at that version or later.</summary>
    public void Apply(LoadedAccount loaded)
    {
        lock (_lock)
        {
            ApplyLocked(loaded);
        }
    }

    private void ApplyLocked(LoadedAccount loaded)
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
    MemberTotalReached,
    MemberTotalHeld,
    MemberMonthReached,
    MemberMonthHeld,
}

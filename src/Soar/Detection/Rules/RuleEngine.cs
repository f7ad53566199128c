using Soar.Detection.Attempts;
using Soar.Events;

namespace Soar.Detection.Rules;

/// <summary>
/// Evaluates every rule on each signal, on event time. State is kept per group-by key and shared by
/// the rules of that key: one sorted ring of recent times per signal kind (as long as the largest
/// threshold needs, no longer), the latest distinct values per distinct rule, and a fired bit per
/// rule. A rule fires when its condition is first met (a match), then adds a continuation (one more
/// signal, see <see cref="RuleHit"/>) for each further qualifying signal until its window has emptied.
/// A key's state is dropped once its newest signal is older than the largest window of its rules: it
/// can no longer fire.
/// Pure and single-threaded.
/// </summary>
public sealed class RuleEngine
{
    private readonly Group[] _groups;

    public RuleEngine(IReadOnlyList<RuleDefinition> rules)
    {
        Rules = rules;
        _groups = [new Group(KeyField.SourceIp, rules), new Group(KeyField.User, rules)];
    }

    public IReadOnlyList<RuleDefinition> Rules { get; }

    /// <summary>Keys with live window state, over all group-by fields (for memory checks).</summary>
    public int TrackedKeys => _groups.Sum(g => g.Keys.Count + g.Addresses.Count);

    /// <summary>Adds what the rules make of <paramref name="signal"/> to <paramref name="matches"/>.</summary>
    public void Observe(in Signal signal, List<RuleHit> matches)
    {
        foreach (var group in _groups)
        {
            if (group.Rules.Length > 0 && group.Field.Of(signal) is { Length: > 0 } key) group.Observe(key, signal, matches);
        }
    }

    /// <summary>A continuation in full: the match of one more signal for the key that <paramref name="hit"/>'s rule is firing for.</summary>
    public static RuleMatch Continuation(in RuleHit hit, in Signal signal)
    {
        var rule = hit.Rule;
        return new RuleMatch(rule.Id, rule.Title, rule.Severity, KeyOf(rule.GroupBy, rule.GroupBy.Of(signal)!), 1, signal.Time,
            signal.Time, string.IsNullOrEmpty(signal.User) ? [] : [signal.User], signal.Host.Length > 0 ? [signal.Host] : [],
            hit.Reason);
    }

    private static IncidentKey KeyOf(KeyField field, string key) =>
        field == KeyField.SourceIp ? IncidentKey.SourceIp(key) : IncidentKey.User(key);

    private sealed class Group
    {
        public readonly KeyField Field;
        public readonly RuleDefinition[] Rules;
        // Each rule's condition in words, the reason its matches give: formatted once, not per match.
        private readonly string[] _reasons;
        public readonly Dictionary<string, KeyState> Keys = new(StringComparer.Ordinal);
        // Source addresses as 16-byte keys: no address string stays alive for a million attackers.
        public readonly Dictionary<AddressKey, KeyState> Addresses = new();
        private readonly NamePool _names = new();
        private readonly int[] _ringCapacity = new int[3];
        private readonly int[] _distinctSlot;
        private readonly int _distinctCount;
        private readonly long _maxWindow;
        private readonly long _sweepInterval;
        private long _nextSweep = long.MinValue;

        public Group(KeyField field, IReadOnlyList<RuleDefinition> all)
        {
            Field = field;
            Rules = all.Where(r => r.GroupBy == field).ToArray();
            _reasons = Rules.Select(r => r.Condition).ToArray();
            _distinctSlot = new int[Rules.Length];
            foreach (var (rule, i) in Rules.Select((r, i) => (r, i)))
            {
                if (rule.Kind == RuleKind.Distinct) _distinctSlot[i] = _distinctCount++;
                else _ringCapacity[(int)rule.On] = Math.Max(_ringCapacity[(int)rule.On], rule.MinCount);
            }
            _maxWindow = Rules.Length == 0 ? 0 : Rules.Max(r => r.Window.Ticks);
            // Sweeping costs a pass over every key: often enough to bound memory, rarely enough to stay cheap.
            _sweepInterval = Math.Max(TimeSpan.TicksPerSecond * 30, _maxWindow / 8);
        }

        public void Observe(string key, in Signal signal, List<RuleHit> matches)
        {
            var now = signal.Time.UtcTicks;
            if (now >= _nextSweep) Sweep(now);
            KeyState? state;
            if (Field == KeyField.SourceIp && AddressKey.TryParse(key, out var address))
            {
                if (!Addresses.TryGetValue(address, out state)) Addresses[address] = state = new KeyState(_distinctCount);
            }
            else if (!Keys.TryGetValue(key, out state)) Keys[key] = state = new KeyState(_distinctCount);
            if (now > state.Newest) state.Newest = now;

            var kind = signal.Kind;
            var capacity = _ringCapacity[(int)kind];
            var previousNewest = capacity > 0 ? state.Ring(kind).Newest : long.MinValue;
            if (capacity > 0) state.Ring(kind).Add(now, capacity);

            for (var i = 0; i < Rules.Length; i++)
            {
                var rule = Rules[i];
                var bit = 1UL << i;
                var window = rule.Window.Ticks;
                switch (rule.Kind)
                {
                    case RuleKind.Threshold when rule.On == kind:
                    {
                        ref var ring = ref state.Ring(kind);
                        if ((state.Fired & bit) != 0)
                        {
                            if (previousNewest > ring.Newest - window)
                            {
                                matches.Add(new RuleHit(rule, _reasons[i], null));
                                break;
                            }
                            state.Fired &= ~bit;
                        }
                        var count = ring.CountSince(ring.Newest - window);
                        if (count < rule.MinCount && now < ring.Newest)
                        {
                            // An event that arrived out of order may complete the window that ends with it.
                            count = ring.CountBetween(now - window, now);
                            if (count < rule.MinCount) break;
                            state.Fired |= bit;
                            matches.Add(Match(i, key, signal, count, now - window + 1, now, state));
                            break;
                        }
                        if (count < rule.MinCount) break;
                        state.Fired |= bit;
                        matches.Add(Match(i, key, signal, count, ring.NthNewest(count), ring.Newest, state));
                        break;
                    }
                    case RuleKind.Distinct when rule.On == kind:
                    {
                        if (rule.Distinct!.Value.Of(signal) is not { Length: > 0 } value) break;
                        value = _names.Intern(value);
                        ref var distinct = ref state.Distinct(_distinctSlot[i]);
                        var wasLive = distinct.IsLiveAfter(now - window);
                        distinct.Add(value, now, rule.MinCount);
                        if ((state.Fired & bit) != 0)
                        {
                            if (wasLive)
                            {
                                matches.Add(new RuleHit(rule, _reasons[i], null));
                                break;
                            }
                            state.Fired &= ~bit;
                        }
                        var count = distinct.CountSince(distinct.Newest - window);
                        if (count < rule.MinCount) break;
                        state.Fired |= bit;
                        matches.Add(Match(i, key, signal, count, distinct.OldestSince(distinct.Newest - window), distinct.Newest,
                            state));
                        break;
                    }
                    case RuleKind.Sequence:
                    {
                        ref var ring = ref state.Ring(rule.On);
                        var since = now - window;
                        if ((state.Fired & bit) != 0 && ring.Newest <= since) state.Fired &= ~bit;
                        if (rule.Then != kind) break;
                        if ((state.Fired & bit) != 0)
                        {
                            matches.Add(new RuleHit(rule, _reasons[i], null));
                            break;
                        }
                        var count = ring.CountBetween(since, now);
                        if (count < rule.MinCount) break;
                        state.Fired |= bit;
                        matches.Add(Match(i, key, signal, count + 1, ring.NthNewest(count), signal.Time.UtcTicks, state));
                        break;
                    }
                }
            }
        }

        private RuleHit Match(int rule, string key, in Signal signal, int count, long first, long last, KeyState state)
        {
            // The users seen: what the key's distinct-user windows remember, and this signal's user.
            var users = new SortedSet<string>(StringComparer.Ordinal);
            if (Field == KeyField.User) users.Add(key);
            else
            {
                for (var i = 0; i < Rules.Length; i++)
                {
                    if (Rules[i].Distinct == KeyField.User) state.Distinct(_distinctSlot[i]).CopyValuesTo(users);
                }
                if (!string.IsNullOrEmpty(signal.User)) users.Add(signal.User);
            }
            var definition = Rules[rule];
            return new RuleHit(definition, _reasons[rule], new RuleMatch(definition.Id, definition.Title, definition.Severity,
                KeyOf(Field, key), count, new DateTimeOffset(first, TimeSpan.Zero), new DateTimeOffset(last, TimeSpan.Zero),
                [.. users], signal.Host.Length > 0 ? [signal.Host] : [], _reasons[rule]));
        }

        private void Sweep(long now)
        {
            _nextSweep = now + _sweepInterval;
            var horizon = now - _maxWindow;
            foreach (var (key, state) in Keys)
            {
                if (state.Newest <= horizon) Keys.Remove(key);
            }
            var before = Addresses.Count;
            foreach (var (address, state) in Addresses)
            {
                if (state.Newest <= horizon) Addresses.Remove(address);
            }
            // After a wave of attackers has passed, give the table's memory back too.
            if (before > 4096 && Addresses.Count < before / 4) Addresses.TrimExcess();
        }
    }

    /// <summary>The window state of one key. Compact on purpose (96 bytes): a million attacking addresses each
    /// hold one, and most of them see one attempt, which fits inline without any array.</summary>
    private sealed class KeyState
    {
        public long Newest = long.MinValue;
        public ulong Fired;
        private TimeRing _failures = TimeRing.Empty;
        private TimeRing _probes = TimeRing.Empty;
        private DistinctWindow _distinct0;
        // What few rule sets need (successes counted by themselves, a second distinct rule): kept apart, when used.
        private Extra? _extra;

        public KeyState(int distinctRules)
        {
            if (distinctRules > 1) _extra = new Extra { MoreDistinct = new DistinctWindow[distinctRules - 1] };
        }

        public ref TimeRing Ring(SignalKind kind)
        {
            if (kind == SignalKind.Failure) return ref _failures;
            if (kind == SignalKind.Probe) return ref _probes;
            return ref (_extra ??= new Extra()).Successes;
        }

        public ref DistinctWindow Distinct(int slot)
        {
            if (slot == 0) return ref _distinct0;
            return ref _extra!.MoreDistinct[slot - 1];
        }

        private sealed class Extra
        {
            public TimeRing Successes = TimeRing.Empty;
            public DistinctWindow[] MoreDistinct = [];
        }
    }

    /// <summary>The most recent times of one signal for one key, ascending, at most as many as a rule needs.
    /// Sixteen bytes: the first time is held inline; from the second, an array used as a ring (no shifting
    /// when full), whose start and count then take the inline field.</summary>
    private struct TimeRing
    {
        public static readonly TimeRing Empty = new() { _inline = long.MinValue };

        private long _inline;  // without an array: the one time, or long.MinValue; with one: start << 32 | count
        private long[]? _times;

        private readonly int Count => _times is null ? (_inline == long.MinValue ? 0 : 1) : (int)_inline;
        private readonly int Start => (int)(_inline >> 32);

        public readonly long Newest => Count == 0 ? long.MinValue : At(Count - 1);

        // The i-th oldest time.
        private readonly long At(int i) => _times is null ? _inline : _times[Slot(i)];

        private readonly int Slot(int i)
        {
            var slot = Start + i;
            return slot < _times!.Length ? slot : slot - _times.Length;
        }

        private void SetRing(int start, int count) => _inline = (long)start << 32 | (uint)count;

        public void Add(long time, int capacity)
        {
            if (_times is null)
            {
                if (_inline == long.MinValue || capacity == 1)
                {
                    if (_inline == long.MinValue || time > _inline) _inline = time;
                    return;
                }
                var first = _inline;
                _times = new long[Math.Min(capacity, 4)];
                _times[0] = first;
                SetRing(0, 1);
            }
            var count = Count;
            if (count == _times.Length)
            {
                if (_times.Length < capacity)
                {
                    var grown = new long[Math.Min(capacity, _times.Length * 2)];
                    for (var i = 0; i < count; i++) grown[i] = At(i);
                    _times = grown;
                    SetRing(0, count);
                }
                else
                {
                    // Full: forget the oldest.
                    count--;
                    SetRing(Slot(1), count);
                }
            }
            // Events a little out of order still count: insert in time order.
            var at = count;
            while (at > 0 && At(at - 1) > time)
            {
                _times[Slot(at)] = At(at - 1);
                at--;
            }
            _times[Slot(at)] = time;
            SetRing(Start, count + 1);
        }

        /// <summary>How many times are later than <paramref name="since"/>.</summary>
        public readonly int CountSince(long since)
        {
            var n = 0;
            for (var i = Count - 1; i >= 0 && At(i) > since; i--) n++;
            return n;
        }

        public readonly int CountBetween(long since, long until)
        {
            var n = 0;
            for (var i = Count - 1; i >= 0 && At(i) > since; i--)
            {
                if (At(i) <= until) n++;
            }
            return n;
        }

        /// <summary>The <paramref name="n"/>-th newest time (1 is the newest).</summary>
        public readonly long NthNewest(int n) => n == 0 ? Newest : At(Count - n);
    }

    /// <summary>The latest time of each of the most recent distinct values, at most as many as the rule needs.
    /// Twenty-four bytes: the first value is held inline; from the second, an array, whose count then takes
    /// the inline time.</summary>
    private struct DistinctWindow
    {
        private string? _value0;
        private long _time0;  // with an array: the count
        private Entry[]? _entries;

        private readonly int Count => _entries is null ? (_value0 is null ? 0 : 1) : (int)_time0;
        private readonly string ValueAt(int i) => _entries is null ? _value0! : _entries[i].Value;
        private readonly long TimeAt(int i) => _entries is null ? _time0 : _entries[i].Time;

        public readonly bool IsLiveAfter(long since)
        {
            for (var i = 0; i < Count; i++) if (TimeAt(i) > since) return true;
            return false;
        }

        public readonly long Newest
        {
            get
            {
                var newest = long.MinValue;
                for (var i = 0; i < Count; i++) if (TimeAt(i) > newest) newest = TimeAt(i);
                return newest;
            }
        }

        public void Add(string value, long time, int capacity)
        {
            var count = Count;
            for (var i = 0; i < count; i++)
            {
                if (ValueAt(i) != value) continue;
                if (time > TimeAt(i))
                {
                    if (_entries is null) _time0 = time;
                    else _entries[i].Time = time;
                }
                return;
            }
            if (_entries is null)
            {
                if (count == 0 || capacity == 1)
                {
                    (_value0, _time0) = (value, time);
                    return;
                }
                _entries = new Entry[Math.Min(capacity, 4)];
                _entries[0] = new Entry(_value0!, _time0);
                _value0 = null;
            }
            var slot = count;
            if (count == _entries.Length && count < capacity) Array.Resize(ref _entries, Math.Min(capacity, count * 2));
            if (count == _entries.Length)
            {
                // Full: the value seen longest ago makes room.
                slot = 0;
                for (var i = 1; i < count; i++) if (_entries[i].Time < _entries[slot].Time) slot = i;
            }
            else count++;
            _entries[slot] = new Entry(value, time);
            _time0 = count;
        }

        public readonly int CountSince(long since)
        {
            var n = 0;
            for (var i = 0; i < Count; i++) if (TimeAt(i) > since) n++;
            return n;
        }

        public readonly long OldestSince(long since)
        {
            var oldest = long.MaxValue;
            for (var i = 0; i < Count; i++) if (TimeAt(i) > since && TimeAt(i) < oldest) oldest = TimeAt(i);
            return oldest;
        }

        public readonly void CopyValuesTo(ISet<string> target)
        {
            for (var i = 0; i < Count; i++) target.Add(ValueAt(i));
        }

        private record struct Entry(string Value, long Time);
    }
}

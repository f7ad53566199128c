using System.Collections.Concurrent;
using Soar.Fakes;

namespace Soar.Bench.Macro;

/// <summary>
/// When the fake Discord first received a card about each attacker (Stopwatch ticks, taken as the
/// request came in), keyed by the address at the end of the embed title. The fake's rate limit is
/// lifted: the benchmarks measure Soar's path, not Discord's quota.
/// </summary>
public sealed class CardClock
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _cards = new();

    public CardClock(FakeDiscord discord)
    {
        discord.Limit = int.MaxValue;
        discord.Answered += received =>
        {
            if (received is not { Method: "POST", Status: 200 }) return;
            var title = received.Body?["embeds"]?[0]?["title"]?.GetValue<string>() ?? "";
            Card(title[(title.LastIndexOf(' ') + 1)..]).TrySetResult(received.ArrivedAt);
        };
    }

    /// <summary>When the first card about <paramref name="ip"/> arrived (Stopwatch ticks).</summary>
    public Task<long> CardFor(string ip) => Card(ip).Task;

    private TaskCompletionSource<long> Card(string ip) =>
        _cards.GetOrAdd(ip, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
}

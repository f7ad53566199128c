using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Soar.Detection;
using Soar.Events;
using Soar.Ingest;
using Soar.Parsing;
using Soar.Response;
using Soar.Response.Outbox;
using Soar.Storage;

namespace Soar.Pipeline;

/// <summary>
/// sources → parse + detect → responders, joined by bounded channels. Stopping stops the
/// sources first, then lets every message already received run through to the responders
/// (the outbox delivers what is due, and keeps the rest for the next start).
/// </summary>
public sealed partial class SoarPipeline(
    IEnumerable<IMessageSource> sources,
    AuthLogParser parser,
    Detector detector,
    IEnumerable<IResponder> responders,
    PipelineMetrics metrics,
    PipelineOptions options,
    ILogger<SoarPipeline> logger,
    IIncidentRecorder? recorder = null,
    TimeProvider? clock = null,
    OutboxDispatcher? outbox = null)
{
    /// <summary>How far ahead of the clock an event may be dated (hosts' clocks differ) before it is taken as now.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan IdleTick = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FirstRecordRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastRecordRetry = TimeSpan.FromSeconds(30);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly CancellationTokenSource _stopSources = new();
    private readonly CancellationTokenSource _abandonRecording = new();
    private DateTimeOffset _nextFutureWarning = DateTimeOffset.MinValue;
    private readonly Channel<RuleMatch> _alerts = Channel.CreateBounded<RuleMatch>(
        new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly IReadOnlyList<IResponder> _responders = responders.ToList();
    private readonly TaskCompletionSource<Exception> _failure = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopRequested;
    private Task? _completion;

    /// <summary>
    /// Completes with a one-line reason when the service should stop though nobody asked: a source
    /// failed for good (its port is taken, its certificate unreadable; the other sources go on, but a
    /// service missing an input should stop and say so), or the pipeline ended without
    /// <see cref="StopAsync"/>.
    /// </summary>
    public Task<Exception> Failure => _failure.Task;

    /// <summary>Completes when the pipeline has stopped and drained.</summary>
    public Task Completion => _completion ?? Task.CompletedTask;

    public void Start()
    {
        if (_completion is not null) throw new InvalidOperationException("The pipeline is already running.");
        outbox?.Start();
        var ingest = Channel.CreateBounded<RawMessage>(new BoundedChannelOptions(options.IngestCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var changes = Channel.CreateBounded<IncidentChange>(new BoundedChannelOptions(options.ResponseCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        var sourceTasks = sources.Select(s => RunSourceAsync(s, ingest.Writer)).ToArray();
        var allSourcesDone = Task.WhenAll(sourceTasks)
            .ContinueWith(_ => ingest.Writer.TryComplete(), TaskScheduler.Default);
        var detection = Task.Run(() => DetectAsync(ingest.Reader, changes.Writer));
        var response = Task.Run(() => RespondAsync(changes.Reader));
        _completion = Task.WhenAll(allSourcesDone, detection, response);
        _ = WatchAsync(detection, response);
    }

    /// <summary>Detection and response run until stopped: either ending before is a failure (sources may go on).</summary>
    private async Task WatchAsync(Task detection, Task response)
    {
        var stage = await Task.WhenAny(detection, response);
        // Response ends cleanly only once detection has finished: then detection says why.
        if (stage == response && response.IsCompletedSuccessfully) stage = detection;
        await stage.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_stopRequested) return;
        var cause = stage.Exception?.GetBaseException();
        var reason = cause is null
            ? "The pipeline ended without being asked to stop."
            : $"The pipeline failed: {cause.Message.ReplaceLineEndings(" ")}";
        LogPipelineEnded(reason, cause);
        _failure.TrySetResult(new InvalidOperationException(reason, cause));
    }

    /// <summary>
    /// Hands in a match that an outside detector (a Splunk alert) already made: it skips the
    /// rules and joins the incidents like a local one. Waits while the pipeline is busy.
    /// </summary>
    public ValueTask SubmitAlertAsync(RuleMatch match, CancellationToken cancellationToken) =>
        _alerts.Writer.WriteAsync(match, cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _stopRequested = true;
        _alerts.Writer.TryComplete();
        await _stopSources.CancelAsync();
        // A store still failing when the host's stop timeout is up no longer holds the drain.
        await using var giveUp = cancellationToken.Register(_abandonRecording.Cancel);
        try
        {
            await Completion.WaitAsync(cancellationToken);
        }
        catch (Exception) when (Failure.IsCompleted && Completion.IsFaulted)
        {
            // Already reported (Failure), and the reason the host is stopping.
        }
        if (outbox is not null) await outbox.StopAsync(cancellationToken);
    }

    private async Task RunSourceAsync(IMessageSource source, ChannelWriter<RawMessage> output)
    {
        try
        {
            await source.RunAsync(output, _stopSources.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSourceFailed(source.Name, e.Message);
            LogSourceFailure(e);
            _failure.TrySetResult(e);
        }
    }

    private async Task DetectAsync(ChannelReader<RawMessage> input, ChannelWriter<IncidentChange> output)
    {
        try
        {
            var changes = new List<IncidentChange>();
            var lastEvent = _clock.GetTimestamp();
            var alerts = _alerts.Reader;
            // Done only when both are: the sources may all have ended (stdin at its end, every listener
            // off) while Splunk alerts still arrive, and alerts end only when the pipeline is stopped.
            var eventsOpen = true;
            var alertsOpen = true;
            while (true)
            {
                changes.Clear();
                if (alerts.TryRead(out var alert))
                {
                    try
                    {
                        if (detector.Apply(alert) is { } change) changes.Add(change);
                    }
                    catch (Exception e)
                    {
                        // Nor must an alert.
                        LogAlertFailed(e);
                    }
                }
                else if (input.TryRead(out var message))
                {
                    metrics.LineProcessed();
                    try
                    {
                        var result = parser.Parse(message.Text, out var authEvent);
                        if (result == LineResult.Malformed) metrics.MalformedLine();
                        if (result != LineResult.Recognised) continue;
                        metrics.EventRecognised(authEvent!.Kind);
                        detector.Observe(NotAheadOfTheClock(authEvent), changes);
                        lastEvent = _clock.GetTimestamp();
                    }
                    catch (Exception e)
                    {
                        // Input must never stop the pipeline: count, log, go on.
                        metrics.MalformedLine();
                        LogLineFailed(e);
                        continue;
                    }
                }
                else if (!eventsOpen && !alertsOpen)
                {
                    break;
                }
                else
                {
                    var more = eventsOpen ? input.WaitToReadAsync().AsTask() : null;
                    var moreAlerts = alertsOpen ? alerts.WaitToReadAsync().AsTask() : null;
                    // While nothing arrives, event time still passes: quiet incidents must resolve.
                    using var idle = new CancellationTokenSource();
                    var quiet = Task.Delay(IdleTick, _clock, idle.Token);
                    await Task.WhenAny(new[] { more, moreAlerts, quiet }.OfType<Task>());
                    await idle.CancelAsync();
                    // A wait that answers false: that channel is complete and empty.
                    if (more is { IsCompleted: true }) eventsOpen = await more;
                    if (moreAlerts is { IsCompleted: true }) alertsOpen = await moreAlerts;
                    if (quiet.IsCompletedSuccessfully) detector.Tick(_clock.GetElapsedTime(lastEvent), _clock.GetUtcNow(), changes);
                }
                await WriteChangesAsync(changes, output);
            }
        }
        finally
        {
            output.TryComplete();
        }
    }

    /// <summary>
    /// Event time drives the windows and resolves quiet incidents, so it must not run ahead of the clock:
    /// a line dated years ahead (a host's wrong clock, a forged line) would end every open incident.
    /// Beyond <see cref="FutureTolerance"/> an event is taken as happening now (it still counts as an
    /// attempt); counted, and logged at most once a minute.
    /// </summary>
    private AuthEvent NotAheadOfTheClock(AuthEvent authEvent)
    {
        var now = _clock.GetUtcNow();
        if (authEvent.Time - now <= FutureTolerance) return authEvent;
        metrics.EventFutureDated();
        if (now >= _nextFutureWarning)
        {
            _nextFutureWarning = now.AddMinutes(1);
            LogFutureDated(UntrustedText.ForDisplay(authEvent.Host), authEvent.Time, metrics.FutureDatedEvents);
        }
        return authEvent with { Time = now };
    }

    private async ValueTask WriteChangesAsync(List<IncidentChange> changes, ChannelWriter<IncidentChange> output)
    {
        foreach (var change in changes)
        {
            if (change.Kind == IncidentChangeKind.Opened) metrics.IncidentOpened();
            // Stored (with the outbox rows of the same transaction) before responders hear of it.
            if (recorder is not null) await RecordAsync(recorder, change);
            await output.WriteAsync(change);
        }
    }

    /// <summary>
    /// A store that fails (disk full, database locked) is tried again after a growing wait, and detection
    /// waits meanwhile: the sources wait behind the full channel rather than a change, and its notification
    /// (the outbox rows), being lost. Every failed try is counted; the outage is logged once.
    /// </summary>
    private async ValueTask RecordAsync(IIncidentRecorder store, IncidentChange change)
    {
        var wait = FirstRecordRetry;
        for (var failures = 0; ; failures++)
        {
            try
            {
                store.Record(change);
                if (failures > 0) LogRecordRecovered(change.Incident.Id, failures);
                return;
            }
            catch (Exception e)
            {
                metrics.StoreFailed();
                if (failures == 0) LogRecordFailed(change.Incident.Id, e);
            }
            try
            {
                await Task.Delay(wait, _clock, _abandonRecording.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopping, and out of time: the change is not kept, and the log says so.
                LogRecordAbandoned(change.Incident.Id);
                return;
            }
            wait = wait < LastRecordRetry / 2 ? wait * 2 : LastRecordRetry;
        }
    }

    private async Task RespondAsync(ChannelReader<IncidentChange> input)
    {
        await foreach (var change in input.ReadAllAsync())
        {
            foreach (var responder in _responders)
            {
                try
                {
                    await responder.RespondAsync(change, CancellationToken.None);
                }
                catch (Exception e)
                {
                    metrics.ResponderFailed();
                    LogResponderFailed(responder.Name, change.Incident.Id, e);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Source {Source} failed: {Reason}")]
    private partial void LogSourceFailed(string source, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Source failure in detail")]
    private partial void LogSourceFailure(Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Reason}")]
    private partial void LogPipelineEnded(string reason, Exception? exception);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "An event from {Host} dated {Time:O} is ahead of the clock: taken as now ({Total} so far; logged at most once a minute)")]
    private partial void LogFutureDated(string host, DateTimeOffset time, long total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A Splunk alert could not be processed")]
    private partial void LogAlertFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A log line could not be processed")]
    private partial void LogLineFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Incident {IncidentId}: the change could not be stored; detection waits, trying again with a growing wait")]
    private partial void LogRecordFailed(long incidentId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Incident {IncidentId}: stored again after {Failures} failed tries")]
    private partial void LogRecordRecovered(long incidentId, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "Incident {IncidentId}: the store still fails at shutdown; this change is not kept")]
    private partial void LogRecordAbandoned(long incidentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Responder {Responder} failed on incident {IncidentId}")]
    private partial void LogResponderFailed(string responder, long incidentId, Exception exception);
}

using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Soar.Ingest.Framing;
using Soar.Pipeline;

namespace Soar.Ingest.File;

/// <summary>
/// Log lines from standard input, LF- or NUL-delimited, until it ends. The source then returns; the other
/// sources and the service carry on.
/// </summary>
public sealed partial class StdinSource(
    Func<Stream> open,
    StdinOptions options,
    PipelineMetrics metrics,
    TimeProvider clock,
    ILogger<StdinSource> logger) : IMessageSource
{
    private readonly IngestLog _log = new(logger, metrics, clock);

    public string Name => "stdin";

    public async Task RunAsync(ChannelWriter<RawMessage> output, CancellationToken stoppingToken)
    {
        var reader = new FramedStreamReader(options.MaxMessageBytes, SyslogFraming.Delimited, _log, clock) { Origin = "stdin" };
        await using var input = open();
        try
        {
            while (true)
            {
                // A console read ignores cancellation: stop waiting for it instead (the buffer is then not reused).
                var read = await reader.FillAsync(input, stoppingToken).AsTask().WaitAsync(stoppingToken);
                if (read == 0)
                {
                    await reader.CompleteAsync(output);
                    LogEnded(_log.Metrics.MessagesReceived);
                    break;
                }
                await reader.DrainAsync(output);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            reader.Abandon();
        }
        finally
        {
            reader.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Standard input ended ({Received} messages received by all sources so far); other sources carry on")]
    private partial void LogEnded(long received);
}

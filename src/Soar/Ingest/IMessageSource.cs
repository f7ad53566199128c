using System.Threading.Channels;

namespace Soar.Ingest;

/// <summary>
/// A source of log messages (a socket, a file, standard input). It writes into the pipeline's
/// bounded channel, waiting when it is full, and returns once <paramref name="stoppingToken"/>
/// is cancelled and what it had already received has been written.
/// </summary>
public interface IMessageSource
{
    string Name { get; }
    Task RunAsync(ChannelWriter<RawMessage> output, CancellationToken stoppingToken);
}

namespace Soar.Pipeline;

public sealed class PipelineOptions
{
    /// <summary>Capacity of the channel from sources to detection; sources wait when it is full.</summary>
    public int IngestCapacity { get; set; } = 65_536;

    /// <summary>Capacity of the channel from detection to responders.</summary>
    public int ResponseCapacity { get; set; } = 4_096;
}

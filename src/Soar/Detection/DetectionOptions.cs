namespace Soar.Detection;

public sealed class DetectionOptions
{
    /// <summary>An incident opens when failures from one source exceed this many within <see cref="Window"/>.</summary>
    public int Threshold { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(60);

    public void Validate()
    {
        if (Threshold < 1) throw new ArgumentException("Detection:Threshold must be at least 1.");
        if (Window <= TimeSpan.Zero) throw new ArgumentException("Detection:Window must be positive.");
    }
}

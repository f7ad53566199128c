using System.Globalization;
using System.Text;

namespace Soar.Api.Metrics;

/// <summary>
/// Writes the Prometheus text exposition format (version 0.0.4): a <c># HELP</c> and
/// <c># TYPE</c> line per family, then its samples. Escapes label values and help text.
/// </summary>
public sealed class PrometheusTextWriter(TextWriter output)
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public void Counter(string name, string help, double value) => Single(name, "counter", help, value);

    public void Gauge(string name, string help, double value) => Single(name, "gauge", help, value);

    /// <summary>Starts a family (<paramref name="type"/> counter, gauge or histogram); write its samples next.</summary>
    public void Family(string name, string type, string help)
    {
        CheckName(name);
        output.Write("# HELP ");
        output.Write(name);
        output.Write(' ');
        output.Write(help.Replace("\\", "\\\\").Replace("\n", "\\n"));
        output.Write("\n# TYPE ");
        output.Write(name);
        output.Write(' ');
        output.Write(type);
        output.Write('\n');
    }

    public void Sample(string name, double value, params ReadOnlySpan<(string Name, string Value)> labels)
    {
        output.Write(name);
        if (labels.Length > 0)
        {
            output.Write('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0) output.Write(',');
                CheckName(labels[i].Name);
                output.Write(labels[i].Name);
                output.Write("=\"");
                output.Write(EscapeLabel(labels[i].Value));
                output.Write('"');
            }
            output.Write('}');
        }
        output.Write(' ');
        output.Write(Number(value));
        output.Write('\n');
    }

    /// <summary>A histogram family of one histogram: cumulative buckets (ending with +Inf), sum and count.</summary>
    public void Histogram(string name, string help, HistogramSnapshot histogram)
    {
        Family(name, "histogram", help);
        HistogramSamples(name, histogram);
    }

    /// <summary>One histogram of a family started with <see cref="Family"/>, told apart by <paramref name="labels"/>.</summary>
    public void HistogramSamples(string name, HistogramSnapshot histogram, params (string Name, string Value)[] labels)
    {
        long cumulative = 0;
        for (var i = 0; i < histogram.UpperBounds.Count; i++)
        {
            cumulative += histogram.BucketCounts[i];
            Sample(name + "_bucket", cumulative, [.. labels, ("le", Number(histogram.UpperBounds[i]))]);
        }
        Sample(name + "_bucket", histogram.Count, [.. labels, ("le", "+Inf")]);
        Sample(name + "_sum", histogram.Sum, labels);
        Sample(name + "_count", histogram.Count, labels);
    }

    private void Single(string name, string type, string help, double value)
    {
        Family(name, type, help);
        Sample(name, value);
    }

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string EscapeLabel(string value)
    {
        if (value.AsSpan().IndexOfAny("\\\"\n") < 0) return value;
        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                _ => c.ToString(),
            });
        }
        return builder.ToString();
    }

    private static void CheckName(string name)
    {
        var valid = name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] is '_' or ':')
                    && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');
        if (!valid) throw new ArgumentException($"'{name}' is not a valid Prometheus metric or label name.");
    }
}

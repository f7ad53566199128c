namespace Soar.Response.Discord;

/// <summary>
/// Discord's documented message limits, and a last pass that makes any message fit them, so that
/// Soar never earns a 400 for size. Lengths count after trimming, as Discord counts them.
/// </summary>
public static class DiscordLimits
{
    public const int Content = 2000;
    public const int Embeds = 10;
    public const int Title = 256;
    public const int Description = 4096;
    public const int Fields = 25;
    public const int FieldName = 256;
    public const int FieldValue = 1024;
    public const int Footer = 2048;
    public const int Total = 6000;

    /// <summary>The characters that count towards <see cref="Total"/>, over all embeds.</summary>
    public static int TotalCharacters(DiscordMessage message) => message.Embeds.Sum(e =>
        Len(e.Title) + Len(e.Description) + Len(e.Footer?.Text) + e.Fields.Sum(f => Len(f.Name) + Len(f.Value)));

    public static DiscordMessage Enforce(DiscordMessage message)
    {
        var embeds = message.Embeds.Take(Embeds).Select(e => e with
        {
            Title = Fit(e.Title, Title),
            Description = e.Description is null ? null : Fit(e.Description, Description),
            Footer = e.Footer is null ? null : new DiscordFooter(Fit(e.Footer.Text, Footer)),
            Fields = FitFields(e.Fields),
        }).ToList();
        var fitted = message with
        {
            Content = message.Content is null ? null : Fit(message.Content, Content),
            Embeds = embeds,
        };
        return FitTotal(fitted);
    }

    private static List<DiscordField> FitFields(IReadOnlyList<DiscordField> fields)
    {
        var fitted = fields.Take(Fields).Select(f => new DiscordField(Fit(f.Name, FieldName), Fit(f.Value, FieldValue), f.Inline)).ToList();
        if (fields.Count > Fields)
            fitted[^1] = new DiscordField("More", $"{fields.Count - Fields + 1} more fields not shown");
        return fitted;
    }

    /// <summary>Over 6000 in all: the longest field values give way first, then the description.</summary>
    private static DiscordMessage FitTotal(DiscordMessage message)
    {
        var excess = TotalCharacters(message) - Total;
        if (excess <= 0) return message;
        var embeds = message.Embeds.ToList();
        while (excess > 0)
        {
            var (embedIndex, fieldIndex, length) = Longest(embeds);
            var embed = embeds[embedIndex];
            if (fieldIndex >= 0 && length > 1)
            {
                var field = embed.Fields[fieldIndex];
                var keep = Math.Max(2, length - excess);
                var value = Fit(DiscordText.Truncate(field.Value.Trim(), keep), FieldValue);
                excess -= length - Len(value);
                var fields = embed.Fields.ToList();
                fields[fieldIndex] = field with { Value = value };
                embeds[embedIndex] = embed with { Fields = fields };
            }
            else if (embed.Description is { Length: > 1 } description)
            {
                var value = DiscordText.Truncate(description.Trim(), Math.Max(2, Len(description) - excess));
                excess -= Len(description) - Len(value);
                embeds[embedIndex] = embed with { Description = value };
            }
            else
            {
                // Nothing left to shorten sensibly: titles and footers are bounded well below the total.
                break;
            }
        }
        return message with { Embeds = embeds };
    }

    private static (int Embed, int Field, int Length) Longest(List<DiscordEmbed> embeds)
    {
        var best = (Embed: 0, Field: -1, Length: 0);
        for (var e = 0; e < embeds.Count; e++)
            for (var f = 0; f < embeds[e].Fields.Count; f++)
            {
                var length = Len(embeds[e].Fields[f].Value);
                if (length > best.Length) best = (e, f, length);
            }
        for (var e = 0; e < embeds.Count; e++)
                if (Len(embeds[e].Description) > best.Length) best = (e, -1, Len(embeds[e].Description));
        return best;
    }

    private static string Fit(string text, int max)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0) return "—";
        return DiscordText.Truncate(trimmed, max);
    }

    private static int Len(string? text) => text?.Trim().Length ?? 0;
}

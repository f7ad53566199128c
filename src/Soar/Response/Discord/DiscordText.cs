using System.Text;
using Soar.Events;

namespace Soar.Response.Discord;

/// <summary>
/// Attacker-controlled text for Discord markdown. Every ASCII punctuation character gets a
/// backslash, which Discord renders as the character itself: no bold, no masked link
/// (<c>[x](http://evil)</c>), no autolink (<c>http\://</c>), no code block, no <c>@everyone</c>
/// or <c>&lt;@&amp;id&gt;</c> mention, no heading or quote. Control, bidi and invisible characters
/// become visible escapes first (<see cref="UntrustedText"/>). Lengths are bounded with a visible ellipsis.
/// </summary>
public static class DiscordText
{
    public const string Ellipsis = "…";

    /// <summary>Escapes <paramref name="untrusted"/>; the result has at most <paramref name="maxLength"/> characters.</summary>
    public static string Escape(string? untrusted, int maxLength)
    {
        if (string.IsNullOrEmpty(untrusted)) return "";
        var visible = UntrustedText.ForDisplay(untrusted, untrusted.Length * 6 + 8); // room for every visible escape
        var output = new StringBuilder(Math.Min(visible.Length * 2, maxLength + 4));
        foreach (var rune in visible.EnumerateRunes())
        {
            var piece = rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value == ' ')
                ? rune.ToString()
                : rune.IsAscii && !Rune.IsWhiteSpace(rune) ? "\\" + rune : rune.ToString();
            if (output.Length + piece.Length > maxLength - Ellipsis.Length)
            {
                // Whatever is left would not fit with the ellipsis: stop here, visibly.
                output.Append(Ellipsis);
                return output.ToString();
            }
            output.Append(piece);
        }
        return output.ToString();
    }

    /// <summary>Shortens trusted text (ours) to <paramref name="maxLength"/> characters, with a visible ellipsis.</summary>
    public static string Truncate(string text, int maxLength)
    {
        if (text.Length <= maxLength) return text;
        var cut = Math.Max(0, maxLength - Ellipsis.Length);
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1])) cut--;
        return text[..cut] + Ellipsis;
    }
}

using System.Globalization;
using System.Text;

namespace Soar.Events;

/// <summary>
/// Makes attacker-controlled text (user names, host names) safe to show: control characters,
/// terminal escapes and bidirectional overrides become visible \u escapes, and the length is
/// bounded with a visible ellipsis.
/// </summary>
public static class UntrustedText
{
    public static string ForDisplay(string? text, int maxLength = 64)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var builder = new StringBuilder(Math.Min(text.Length, maxLength) + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            if (builder.Length >= maxLength)
            {
                builder.Append('…');
                break;
            }
            if (IsUnsafe(rune)) builder.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}");
            else builder.Append(rune.ToString());
        }
        return builder.ToString();
    }

    private static bool IsUnsafe(Rune rune) =>
        Rune.IsControl(rune)
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format  // bidi overrides, zero-width joiners
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned;
}

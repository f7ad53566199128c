using System.Text;

namespace Soar.Tests.Response.Discord;

/// <summary>
/// What Discord shows for a markdown string, as far as the tests need it: a backslash before a
/// non-alphanumeric character shows that character literally; any other markdown, mention or
/// link syntax that is left unescaped is reported as active.
/// </summary>
public static class DiscordRendering
{
    public static (string Visible, IReadOnlyList<string> Active) Render(string markdown)
    {
        var visible = new StringBuilder();
        var active = new List<string>();
        for (var i = 0; i < markdown.Length; i++)
        {
            var c = markdown[i];
            if (c == '\\' && i + 1 < markdown.Length && !char.IsAsciiLetterOrDigit(markdown[i + 1]) && !char.IsWhiteSpace(markdown[i + 1]))
            {
                visible.Append(markdown[++i]);
                continue;
            }
            if (c is '*' or '_' or '~' or '`' or '|' or '[' or ']' or '<' or '@') active.Add(c.ToString());
            if (c is '#' or '>' or '-' && (i == 0 || markdown[i - 1] == '\n')) active.Add("line-start " + c);
            if (c == ':' && markdown.AsSpan(i).StartsWith("://")) active.Add("autolink");
            visible.Append(c);
        }
        return (visible.ToString(), active);
    }
}

using System.Globalization;
using System.Net;
using Soar.Events;
using Soar.Ingest.Syslog;

namespace Soar.Parsing.Sshd;

/// <summary>
/// Recognises sshd authentication messages. User names are attacker-controlled and may contain
/// spaces, " from " or " port ", so the address is always taken from the right-hand end.
/// Pure: no I/O, no clock.
/// </summary>
public sealed class SshdParser
{
    public static bool IsSshdProgram(string program) => program is "sshd" or "sshd-session";

    public bool TryParse(in SyslogMessage syslog, string line, out AuthEvent? authEvent)
    {
        authEvent = null;
        if (!IsSshdProgram(syslog.Program)) return false;
        var message = syslog.Message.AsSpan();

        if (message.StartsWith("Failed "))
            return TryParseAttempt(syslog, line, message["Failed ".Length..], success: false, out authEvent);
        if (message.StartsWith("Accepted "))
            return TryParseAttempt(syslog, line, message["Accepted ".Length..], success: true, out authEvent);
        if (message.StartsWith("Invalid user "))
        {
            if (!TryTakeAddressTail(message["Invalid user ".Length..], out var user, out var ip, out var port))
                return false;
            authEvent = Create(syslog, line, AuthEventKind.InvalidUser, AuthOutcome.Failure, user.ToString(), true, ip,
                port, null);
            return true;
        }
        return false;
    }

    // "<method> for [invalid user ]<user> from <ip> port <port> ssh2[: <key info>]"
    private static bool TryParseAttempt(in SyslogMessage syslog, string line, ReadOnlySpan<char> text, bool success,
        out AuthEvent? authEvent)
    {
        authEvent = null;
        var forIndex = text.IndexOf(" for ");
        if (forIndex <= 0) return false;
        var method = text[..forIndex];
        if (!TryKind(method, success, out var kind)) return false;
        var rest = text[(forIndex + " for ".Length)..];
        var invalid = rest.StartsWith("invalid user ");
        if (invalid) rest = rest["invalid user ".Length..];
        if (!TryTakeAddressTail(rest, out var user, out var ip, out var port)) return false;
        authEvent = Create(syslog, line, kind, success ? AuthOutcome.Success : AuthOutcome.Failure, user.ToString(),
            invalid, ip, port, method.ToString());
        return true;
    }

    private static bool TryKind(ReadOnlySpan<char> method, bool success, out AuthEventKind kind)
    {
        kind = method switch
        {
            "password" => success ? AuthEventKind.AcceptedPassword : AuthEventKind.FailedPassword,
            "publickey" => success ? AuthEventKind.AcceptedPublicKey : AuthEventKind.FailedPublicKey,
            "keyboard-interactive/pam" or "keyboard-interactive" =>
                success ? AuthEventKind.AcceptedKeyboardInteractive : AuthEventKind.FailedKeyboardInteractive,
            "hostbased" => success ? AuthEventKind.AcceptedHostBased : AuthEventKind.FailedHostBased,
            "none" when !success => AuthEventKind.FailedNone,
            _ => (AuthEventKind)255,
        };
        return (byte)kind != 255;
    }

    /// <summary>
    /// Splits "&lt;head&gt; from &lt;ip&gt; port &lt;port&gt;[ anything]" at the last " from " and the last
    /// " port ", so that a head (a user name) containing those words cannot move the address.
    /// </summary>
    internal static bool TryTakeAddressTail(ReadOnlySpan<char> text, out ReadOnlySpan<char> head, out string ip,
        out int port)
    {
        head = default;
        ip = "";
        port = 0;
        var portIndex = text.LastIndexOf(" port ");
        if (portIndex < 0) return false;
        var portText = text[(portIndex + " port ".Length)..];
        var portEnd = portText.IndexOfAnyExceptInRange('0', '9');
        if (portEnd == 0) return false;
        if (portEnd > 0) portText = portText[..portEnd];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
            return false;

        var beforePort = text[..portIndex];
        var fromIndex = beforePort.LastIndexOf(" from ");
        if (fromIndex < 0) return false;
        if (!TryNormaliseAddress(beforePort[(fromIndex + " from ".Length)..], out ip)) return false;
        head = beforePort[..fromIndex];
        return true;
    }

    /// <summary>Parses an IPv4 or IPv6 address; IPv4-mapped IPv6 becomes IPv4.</summary>
    public static bool TryNormaliseAddress(ReadOnlySpan<char> text, out string normalised)
    {
        normalised = "";
        if (!IPAddress.TryParse(text, out var address)) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        normalised = address.ToString();
        return true;
    }

    private static AuthEvent Create(in SyslogMessage syslog, string line, AuthEventKind kind, AuthOutcome outcome,
        string? user, bool invalidUser, string? ip, int? port, string? method) => new()
    {
        Time = syslog.Timestamp,
        Host = syslog.Host,
        Program = syslog.Program,
        Pid = syslog.Pid,
        Kind = kind,
        Outcome = outcome,
        User = user,
        InvalidUser = invalidUser,
        SourceIp = ip,
        SourcePort = port,
        Method = method,
        Line = line,
    };
}

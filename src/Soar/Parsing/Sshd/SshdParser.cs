using System.Globalization;
using Soar.Events;

namespace Soar.Parsing.Sshd;

/// <summary>
/// Recognises the authentication messages OpenSSH 7–9 (sshd, sshd-session, sshd-auth) and its PAM
/// modules write, from their format strings in auth.c, auth2*.c, auth-pam.c, sshd.c, packet.c,
/// kex.c and pam_unix; tests/Soar.Tests/Parsing/Sshd/sshd-samples.log shows each with what it gives.
/// User names are attacker-controlled and may be empty or contain spaces, " from " or " port ",
/// so addresses are read at the position the format fixes — the right-hand end, or for messages
/// that end in attacker text (a disconnect reason) the first remote id — never by a left-to-right
/// pattern over the user name. Pure: no I/O, no clock; allocates only for a recognised message
/// (and reuses recent user and address strings). Not thread-safe: one per <see cref="AuthLogParser"/>.
/// </summary>
public sealed class SshdParser
{
    private const string Preauth = " [preauth]";
    // Separate caches: a cached user name or host name must never pass for a validated address.
    private readonly StringCache _strings = new();
    private readonly SshdAddress _addresses = new();

    /// <summary>sshd, and the per-connection (9.8+) and pre-authentication (10.0+) programs it runs.</summary>
    public static bool IsSshdProgram(ReadOnlySpan<char> program) => program is "sshd" or "sshd-session" or "sshd-auth";

    public bool TryParse(ReadOnlySpan<char> message, out SshdMatch match)
    {
        match = default;
        var count = 1;
        // rsyslog's reduction: "message repeated 3 times: [ Failed password for …]".
        if (message.StartsWith("message repeated "))
        {
            var rest = message["message repeated ".Length..];
            var space = rest.IndexOf(' ');
            if (space <= 0 || !int.TryParse(rest[..space], NumberStyles.None, CultureInfo.InvariantCulture, out count)
                || count < 1)
                return false;
            rest = rest[space..];
            if (!rest.StartsWith(" times: [") || rest[^1] != ']') return false;
            message = rest[" times: [".Length..^1].TrimStart(' ');
        }

        var preauth = message.EndsWith(Preauth);
        if (preauth) message = message[..^Preauth.Length];
        if (message.StartsWith("error: ") || message.StartsWith("fatal: ")) message = message[7..];
        if (message.IsEmpty) return false;

        var found = message[0] switch
        {
            'F' => TryAttempt(message, "Failed ", success: false, out match),
            'A' => TryAttempt(message, "Accepted ", success: true, out match),
            'I' => TryInvalidUser(message, out match),
            'U' => TryUserNotAllowed(message, out match) || TryUnableToNegotiate(message, out match),
            'R' => TryRootRefused(message, out match) || (preauth && TryReceivedDisconnect(message, out match)),
            'C' or 'D' => TryConnectionEnd(message, preauth, out match) || TryDisconnecting(message, out match) ||
                          TryNoIdentification(message, out match),
            'T' => TryTimeout(message, out match),
            'k' => TryKexIdentification(message, out match),
            'b' => TryBannerExchange(message, out match),
            'B' => TryBadProtocolVersion(message, out match),
            'P' => TryPamMore(message, out match) || TryPamError(message, out match) ||
                   TryProtocolVersionsDiffer(message, out match),
            'p' => TryPamUnix(message, out match),
            'm' => TryMaxAuthExceeded(message, out match),
            's' => TryDispatchFatal(message, out match),
            _ => false,
        };
        if (found && count != 1) match = match with { Count = count };
        return found;
    }

    // auth.c auth_log(): "%s %s%s%s for %s%.100s from %.200s port %d ssh2%s%s"
    // (Failed|Accepted) method[/submethod] for [invalid user ]user from ip port N ssh2[: key info]
    private bool TryAttempt(ReadOnlySpan<char> message, string verb, bool success, out SshdMatch match)
    {
        match = default;
        if (!message.StartsWith(verb)) return false;
        var text = message[verb.Length..];
        var space = text.IndexOf(' ');
        if (space <= 0 || !text[space..].StartsWith(" for ")) return false;
        if (!TryMethod(text[..space], success, out var kind, out var method)) return false;
        text = text[(space + " for ".Length)..];

        // The real " ssh2" is the last one followed by the end or ": " and preceded by
        // " from <ip> port <n>"; a user name cannot add one after it. (Known limit: the key info of
        // a failed certificate includes its key ID, which an attacker chooses and could shape so.)
        var end = text.Length;
        while (true)
        {
            var ssh2 = text[..end].LastIndexOf(" ssh2");
            if (ssh2 < 0) return false;
            var after = text[(ssh2 + 5)..];
            if ((after.IsEmpty || after.StartsWith(": ")) &&
                _addresses.TryTail(text, ssh2, from: true, out var headEnd, out var ip, out var port))
            {
                var user = text[..headEnd];
                var invalid = user.StartsWith("invalid user ");
                if (invalid) user = user["invalid user ".Length..];
                match = new SshdMatch(kind, success ? AuthOutcome.Success : AuthOutcome.Failure, _strings.Get(user),
                    invalid, ip, port, method, 1);
                return true;
            }
            end = ssh2;
        }
    }

    private static bool TryMethod(ReadOnlySpan<char> method, bool success, out AuthEventKind kind, out string name)
    {
        var keyboard = success ? AuthEventKind.AcceptedKeyboardInteractive : AuthEventKind.FailedKeyboardInteractive;
        (kind, name) = method switch
        {
            "password" => (success ? AuthEventKind.AcceptedPassword : AuthEventKind.FailedPassword, "password"),
            "publickey" => (success ? AuthEventKind.AcceptedPublicKey : AuthEventKind.FailedPublicKey, "publickey"),
            "keyboard-interactive/pam" => (keyboard, "keyboard-interactive/pam"),
            "keyboard-interactive/bsdauth" => (keyboard, "keyboard-interactive/bsdauth"),
            "keyboard-interactive" => (keyboard, "keyboard-interactive"),
            "hostbased" => (success ? AuthEventKind.AcceptedHostBased : AuthEventKind.FailedHostBased, "hostbased"),
            "none" when !success => (AuthEventKind.FailedNone, "none"),
            _ => (default, ""),
        };
        return name.Length > 0;
    }

    // auth.c getpwnamallow(): "Invalid user %.100s from %.100s port %d" (older: no port; OpenSSH < 3.9: "Illegal user").
    private bool TryInvalidUser(ReadOnlySpan<char> message, out SshdMatch match)
    {
        match = default;
        ReadOnlySpan<char> text;
        if (message.StartsWith("Invalid user ")) text = message["Invalid user ".Length..];
        else if (message.StartsWith("Illegal user ")) text = message["Illegal user ".Length..];
        else return false;
        if (!TryUserFromAddress(text, out var user, out var ip, out var port)) return false;
        match = Failure(AuthEventKind.InvalidUser, _strings.Get(user), true, ip, port);
        return true;
    }

    // "<user> from <ip> port <n>", or "<user> from <host>" as older versions write it.
    private bool TryUserFromAddress(ReadOnlySpan<char> text, out ReadOnlySpan<char> user, out string ip,
        out int? port)
    {
        user = default;
        port = null;
        if (_addresses.TryTail(text, text.Length, from: true, out var headEnd, out ip, out var p))
        {
            user = text[..headEnd];
            port = p;
            return true;
        }
        if (!_addresses.TryHostTail(text, text.Length, from: true, out headEnd, out ip)) return false;
        user = text[..headEnd];
        return true;
    }

    // auth.c allowed_user(): "User %.100s from %.100s not allowed because %s"; also
    // "User %.100s not allowed because account is locked".
    private bool TryUserNotAllowed(ReadOnlySpan<char> message, out SshdMatch match)
    {
        match = default;
        if (!message.StartsWith("User ")) return false;
        var text = message["User ".Length..];
        // The reason is sshd's own text (listed in DenyUsers, shell does not exist, …).
        var because = text.LastIndexOf(" not allowed because ");
        if (because <= 0) return false;
        var head = text[..because];
        string? host = null;
        if (_addresses.TryHostTail(head, head.Length, from: true, out var headEnd, out var h))
        {
            host = h;
            head = head[..headEnd];
        }
        match = Failure(AuthEventKind.UserNotAllowed, _strings.Get(head), false, host, null);
        return true;
    }

    // auth.c auth_root_allowed(): "ROOT LOGIN REFUSED FROM %.200s port %d" (older: no port).
    private bool TryRootRefused(ReadOnlySpan<char> message, out SshdMatch match)
    {
        match = default;
        if (!message.StartsWith("ROOT LOGIN REFUSED FROM ")) return false;
        var text = message["ROOT LOGIN REFUSED FROM ".Length..];
        if (!TryAddressOnly(text, out var ip, out var port)) return false;
        match = Failure(AuthEventKind.RootLoginRefused, "root", false, ip, port);
        return true;
    }

    // "<ip> port <n>" or "<ip>" and nothing else.
    private bool TryAddressOnly(ReadOnlySpan<char> text, out string ip, out int? port)
    {
        port = null;
        if (_addresses.TryTail(text, text.Length, from: false, out var headEnd, out ip, out var p) && headEnd == 0)
        {
            port = p;
            return true;
        }
        return _addresses.TryNormalise(text, out ip);
    }

    // packet.c: "Received disconnect from %s: %u: %.400s" with remote id "[preamble ]ip port N".
    private bool TryReceivedDisconnect(ReadOnlySpan<char> message, out SshdMatch match)
    {
        match = default;
        if (!message.StartsWith("Received disconnect from ")) return false;
        var text = message["Received disconnect from ".Length..];
        if (!_addresses.TryLeft(text, out var headEnd, out var ip, out var port, out _))
        {
            // Before OpenSSH 7.5 the remote id had no port: "Received disconnect from IP: 11: reason".
            var colon = text.IndexOf(": ");
            if (colon <= 0 || !_addresses.TryNormalise(text[..colon], out ip)) return false;
            match = Probe(AuthEventKind.ReceivedDisconnectPreauth, ip, null);
            return true;
        }
        if (!TryPreamble(text[..headEnd], out var user, out var invalid)) return false;
        match = Probe(AuthEventKind.ReceivedDisconnectPreauth, ip, port) with { User = user, InvalidUser = invalid };
        return true;
    }

    // packet.c sshpkt_fatal(): "Connection closed by %s", "Connection reset by %s", "Disconnected from %s",
    // with remote id "[authenticating user X |invalid user X |user X ]ip port N".
    private bool TryConnectionEnd(ReadOnlySpan<char> message, bool preauth, out SshdMatch match)
    {
        match = default;
        int verb;
        if (message.StartsWith("Connection closed by ")) verb = 0;
        else if (message.StartsWith("Connection reset by ")) verb = 1;
        else if (message.StartsWith("Disconnected from ")) verb = 2;
        else return false;
        var text = message[(verb switch { 0 => "Connection closed by ", 1 => "Connection reset by ", _ => "Disconnected from " }).Length..];
        if (text.StartsWith("user ")) return false; // a logged-in session ending: not an authentication event
        int? port = null;
        if (_addresses.TryTail(text, text.Length, from: false, out var headEnd, out var ip, out var p)) port = p;
        else if (_addresses.TryNormalise(text, out ip)) headEnd = 0; // before OpenSSH 7.5: no port
        else return false;
        var head = text[..headEnd];
        if (head.IsEmpty)
        {
            AuthEventKind kind;
            if (preauth)
                kind = verb switch
                {
                    0 => AuthEventKind.ConnectionClosedPreauth,
                    1 => AuthEventKind.ConnectionResetPreauth,
                    _ => AuthEventKind.DisconnectedPreauth,
                };
            else if (verb == 2) return false; // a session's end
            else kind = verb == 0 ? AuthEventKind.ConnectionClosed : AuthEventKind.ConnectionReset;
            match = Probe(kind, ip, port);
            return true;
        }
        // "user X" is a logged-in session ending: not an authentication event.
        if (!TryPreamble(head, out var user, out var invalid) || user is null) return false;
        var authKind = verb switch
        {
            0 => AuthEventKind.ConnectionClosedAuthenticating,
            1 => AuthEventKind.ConnectionResetAuthenticating,
            _ => AuthEventKind.DisconnectedAuthenticating,
        };
        match = Failure(authKind, user, invalid, ip, port);
        return true;
    }

    // sshd's log preamble before authentication: "authenticating user X" or "invalid user X".
    private bool TryPreamble(ReadOnlySpan<char> head, out string? user, out bool invalid)
    {
        user = null;
        invalid = false;
        if (head.IsEmpty) return true;
        if (head.StartsWith("authenticating user ")) user = _strings.Get(head["authenticating user ".Length..]);
        else if (head.StartsWith("invalid user "))
        {
            user = _strings.Get(head["invalid user ".Length..]);
            invalid = true;
        }
        return user is not null;
    }

    // packet.c ssh_packet_disconnect(): "Disconnecting %s: %.100s", with remote id, for
    // "Too many authentication failures" (auth.c auth_maxtries_exceeded); OpenSSH 7.x before the
    // preamble: "Disconnecting: Too many authentication failures[ for X]".
    private bool TryDisconnecting(ReadOnlySpan<char> message, out SshdMatch match)
    {
        match = default;
        if (!message.StartsWith("Disconnecting")) return false;
        const string TooMany = "Too many authentication failures";
        var text = message["Disconnecting".Length..];
        if (text.StartsWith(": " + TooMany))
        {
            var rest = text[(2 + TooMany.Length)..];
            string? oldUser = rest.StartsWith(" for ") ? _strings.Get(rest[" for ".Length..]) : null;
            if (oldUser is null && !rest.IsEmpty) return false;
            match = Failure(AuthEventKind.TooManyAuthFailures, oldUser, false, null, null);
            return true;
        }
        if (!text.StartsWith(" ") || !text.EndsWith(": " + TooMany)) return false;
        text = text[1..^(2 + TooMany.Length)];
        if (!_addresses.TryTail(text, text.Length, from: false, out var headEnd, out var ip, out var port)) return false;
        if (!TryPreamble(text[..headEnd], out var user, out var invalid)) return false;
        match = Failure(AuthEventKind.TooManyAuthFailures, user, invalid, ip, port);
        return true;
    }

    // sshd.c (7.x): "Did not receive identification string from %s port %d" (older: no port).
    private bool TryNoIdentification(ReadOnlySpan<char> message, out SshdMatch match)
    {
        match = default;
        const string Prefix = "Did not receive identification string from ";
        if (!message.StartsWith(Prefix) || !TryAddressOnly(message[Prefix.Length..], out var ip, out var port))
            return false;
        match = Probe(AuthEventKind.NoIdentification, ip, port);
        return true;
    }

    // sshd.c grace_alarm_handler(): "Timeout before authentication for %s port %d".
    private bool TryTimeout(ReadOnlySpan<char> message, out SshdMatch match)
    {
        match = default;
        const string Prefix = "Timeout before authentication for ";
        if (!message.StartsWith(Prefix) || !TryAddressOnly(message[Prefix.Length..], out var ip, out var port))
            return false;
        match = Probe(AuthEventKind.TimeoutBeforeAuth, ip, port);
        return true;
    }

    // kex.c kex_exchange_identification() (sshd.c sshd_exchange_identification() before 8.x has its
    // own lines below). These carry no address: the connection's next line does.
    private bool TryKexIdentification(ReadOnlySpan<char> message, out SshdMatch match)
    {
        match = default;
        if (!message.StartsWith("kex_exchange_identification: ")) return false;
        var text = message["kex_exchange_identification: ".Length..];
        var kind = text switch
        {
            "Connection closed by remote host" => AuthEventKind.KexIdentClosed,
            "read: Connection reset by peer" => AuthEventKind.KexIdentReset,
            _ when text.StartsWith("client sent invalid protocol identifier") => AuthEventKind.BadProtocolVersion,
            _ => AuthEventKind.KexIdentFailed,
        };
        match = Probe(kind, null, null);
        return true;
    }

    // packet.c sshpkt_fatal() default case with tag "banner exchange": "banner exchange: Connection from %s: %s".
    private bool TryBannerExchange(ReadOnlySpan<char> message, out SshdMatch match) =>
        TryConnectionFrom(message, "banner exchange: Connection from ", AuthEventKind.BannerExchangeFailed, out match,
            invalidFormat: true);

    // packet.c sshpkt_fatal() called by ssh_dispatch_run_fatal(): "ssh_dispatch_run_fatal: Connection from %s: %s".
    private bool TryDispatchFatal(ReadOnlySpan<char> message, out SshdMatch match) =>
        TryConnectionFrom(message, "ssh_dispatch_run_fatal: Connection from ", AuthEventKind.DispatchRunFatal,
            out match, invalidFormat: false);

    private bool TryConnectionFrom(ReadOnlySpan<char> message, string prefix, AuthEventKind kind,
        out SshdMatch match, bool invalidFormat)
    {
        match = default;
        if (!message.StartsWith(prefix)) return false;
        var text = message[prefix.Length..];
        if (!_addresses.TryLeft(text, out var headEnd, out var ip, out var port, out var after)) return false;
        if (!TryPreamble(text[..headEnd], out var user, out var invalid)) return false;
        if (invalidFormat && text[after..].SequenceEqual(" invalid format")) kind = AuthEventKind.BannerInvalidFormat;
        match = Probe(kind, ip, port) with { User = user, InvalidUser = invalid };
        return true;
    }

    // packet.c sshpkt_fatal(): "Unable to negotiate with %s: no matching %s found. Their offer: %s".
    private bool TryUnableToNegotiate(ReadOnlySpan<char> message, out SshdMatch match)
    {
        match = default;
        if (!message.StartsWith("Unable to negotiate with ")) return false;
        var text = message["Unable to negotiate with ".Length..];
        if (!_addresses.TryLeft(text, out var headEnd, out var ip, out var port, out _)) return false;
        if (!TryPreamble(text[..headEnd], out var user, out var invalid)) return false;
        match = Probe(AuthEventKind.UnableToNegotiate, ip, port) with { User = user, InvalidUser = invalid };
        return true;
    }

    // sshd.c (7.x) "Bad protocol version identification '%.100s' from %s port %d";
    // kex.c "Bad remote protocol version identification: '%.100s'".
    private bool TryBadProtocolVersion(ReadOnlySpan<char> message, out SshdMatch match)
    {
        match = default;
        if (message.StartsWith("Bad remote protocol version identification: "))
        {
            match = Probe(AuthEventKind.BadProtocolVersion, null, null);
            return true;
        }
        if (!message.StartsWith("Bad protocol version identification ")) return false;
        var text = message["Bad protocol version identification ".Length..];
        if (_addresses.TryTail(text, text.Length, from: true, out _, out var ip, out var port))
            match = Probe(AuthEventKind.BadProtocolVersion, ip, port);
        else if (_addresses.TryHostTail(text, text.Length, from: true, out _, out ip))
            match = Probe(AuthEventKind.BadProtocolVersion, ip, null);
        else return false;
        return true;
    }

    // sshd.c (7.x): "Protocol major versions differ for %s port %d: %.200s vs. %.200s";
    // kex.c (8.x+): "Protocol major versions differ: %d vs. %d" (no address: paired like kex_exchange_identification).
    private bool TryProtocolVersionsDiffer(ReadOnlySpan<char> message, out SshdMatch match)
    {
        match = default;
        if (message.StartsWith("Protocol major versions differ: "))
        {
            match = Probe(AuthEventKind.BadProtocolVersion, null, null);
            return true;
        }
        const string Prefix = "Protocol major versions differ for ";
        if (!message.StartsWith(Prefix)) return false;
        if (!_addresses.TryLeft(message[Prefix.Length..], out var headEnd, out var ip, out var port, out _) ||
            headEnd != 0)
            return false;
        match = Probe(AuthEventKind.BadProtocolVersion, ip, port);
        return true;
    }

    // auth.c auth_maxtries_exceeded(): "maximum authentication attempts exceeded for %s%.100s from %.200s port %d ssh2".
    private bool TryMaxAuthExceeded(ReadOnlySpan<char> message, out SshdMatch match)
    {
        match = default;
        const string Prefix = "maximum authentication attempts exceeded for ";
        if (!message.StartsWith(Prefix) || !message.EndsWith(" ssh2")) return false;
        var text = message[Prefix.Length..^" ssh2".Length];
        if (!_addresses.TryTail(text, text.Length, from: true, out var headEnd, out var ip, out var port)) return false;
        var user = text[..headEnd];
        var invalid = user.StartsWith("invalid user ");
        if (invalid) user = user["invalid user ".Length..];
        match = Failure(AuthEventKind.MaxAuthExceeded, _strings.Get(user), invalid, ip, port);
        return true;
    }

    // pam_unix: "PAM %d more authentication failure%s; logname=%s uid=%d euid=%d tty=%s ruser=%s rhost=%s [ user=%s]".
    private bool TryPamMore(ReadOnlySpan<char> message, out SshdMatch match)
    {
        match = default;
        if (!message.StartsWith("PAM ")) return false;
        var text = message["PAM ".Length..];
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits])) digits++;
        if (digits <= 0 || !text[digits..].StartsWith(" more authentication failure")) return false;
        return TryPamFields(text, AuthEventKind.PamMoreAuthFailures, out match);
    }

    // auth-pam.c: "PAM: %s for %s%.100s from %.100s" (e.g. "Authentication failure for illegal user X from HOST").
    private bool TryPamError(ReadOnlySpan<char> message, out SshdMatch match)
    {
        match = default;
        if (!message.StartsWith("PAM: ")) return false;
        var text = message["PAM: ".Length..];
        // The PAM error text (pam_strerror) comes first and contains no " for ".
        var forIndex = text.IndexOf(" for ");
        if (forIndex <= 0) return false;
        text = text[(forIndex + " for ".Length)..];
        if (!_addresses.TryHostTail(text, text.Length, from: true, out var headEnd, out var host)) return false;
        var user = text[..headEnd];
        var invalid = user.StartsWith("illegal user ");
        if (invalid) user = user["illegal user ".Length..];
        match = Failure(AuthEventKind.PamErrorAuthFailure, _strings.Get(user), invalid, host, null);
        return true;
    }

    // pam_unix(sshd:auth): "authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=HOST  user=X"
    // and "check pass; user unknown".
    private bool TryPamUnix(ReadOnlySpan<char> message, out SshdMatch match)
    {
        match = default;
        if (!message.StartsWith("pam_unix(")) return false;
        var close = message.IndexOf(":auth): ");
        if (close < 0) return false;
        var text = message[(close + ":auth): ".Length)..];
        if (text.SequenceEqual("check pass; user unknown"))
        {
            match = Failure(AuthEventKind.PamUserUnknown, null, true, null, null);
            return true;
        }
        return text.StartsWith("authentication failure; ") && TryPamFields(text, AuthEventKind.PamAuthFailure, out match);
    }

    // "… rhost=HOST[ ][ user=X]": rhost is set by sshd (address or, with UseDNS, a name); user= is
    // the last field and runs to the end.
    private bool TryPamFields(ReadOnlySpan<char> text, AuthEventKind kind, out SshdMatch match)
    {
        match = default;
        var rhostAt = text.IndexOf(" rhost=");
        if (rhostAt < 0) return false;
        var rest = text[(rhostAt + " rhost=".Length)..];
        var hostEnd = rest.IndexOf(' ');
        var hostText = hostEnd < 0 ? rest : rest[..hostEnd];
        string? host = null;
        if (!hostText.IsEmpty)
        {
            if (!_addresses.TryHost(hostText, out var h)) return false;
            host = h;
        }
        string? user = null;
        if (hostEnd >= 0)
        {
            var tail = rest[hostEnd..].TrimStart(' ');
            if (tail.StartsWith("user=")) user = _strings.Get(tail["user=".Length..]);
        }
        match = Failure(kind, user, false, host, null);
        return true;
    }

    private static SshdMatch Failure(AuthEventKind kind, string? user, bool invalid, string? ip, int? port) =>
        new(kind, AuthOutcome.Failure, user, invalid, ip, port, null, 1);

    private static SshdMatch Probe(AuthEventKind kind, string? ip, int? port) =>
        new(kind, AuthOutcome.Probe, null, false, ip, port, null, 1);
}

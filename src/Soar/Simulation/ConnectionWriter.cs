namespace Soar.Simulation;

/// <summary>
/// Writes the lines one sshd connection leaves, with the timing the real server has: one pid per
/// connection, an ephemeral source port, pam_faildelay's two seconds before each "Failed password",
/// and the accompanying PAM and [preauth] lines in the order OpenSSH 9.2 writes them.
/// </summary>
internal sealed class ConnectionWriter(List<SimulatedLine> lines, Random random)
{
    /// <summary>sshd's MaxAuthTries default: the sixth failure ends the connection.</summary>
    public const int MaxAuthTries = 6;

    private int _pid = random.Next(1_000, 30_000);

    public short Scenario { get; set; }

    public Random Random => random;

    public int Count => lines.Count;

    public int NewPid()
    {
        _pid += random.Next(3, 40);
        if (_pid > 4_000_000) _pid = random.Next(300, 2_000); // pid_max wraps
        return _pid;
    }

    public int Port() => random.Next(32_768, 61_000); // Linux's ephemeral port range

    public TimeSpan Ms(int min, int max) => TimeSpan.FromMilliseconds(random.Next(min, max));

    private void Add(DateTimeOffset time, int pid, LineForm form, string? user, string? address, int port, int number = 0) =>
        lines.Add(new SimulatedLine(time, pid, form, user, address, port, number, Scenario));

    /// <summary>One connection that tries <paramref name="attempts"/> wrong passwords; returns when it closed.</summary>
    public DateTimeOffset FailedPasswords(DateTimeOffset time, string ip, string user, bool valid, int attempts)
    {
        var pid = NewPid();
        var port = Port();
        attempts = Math.Clamp(attempts, 1, MaxAuthTries);
        if (!valid) Add(time, pid, LineForm.InvalidUser, user, ip, port);
        for (var i = 0; i < attempts; i++)
        {
            time += i == 0 ? Ms(5, 90) : Ms(250, 1_400);
            if (!valid) Add(time, pid, LineForm.PamCheckPassUserUnknown, user, ip, port);
            // pam_unix logs the first failure of a connection; the rest are summed up at the end.
            if (i == 0) Add(time, pid, valid ? LineForm.PamAuthFailure : LineForm.PamAuthFailureUnknownUser, user, ip, port);
            time += Ms(2_000, 2_700);
            Add(time, pid, valid ? LineForm.FailedPassword : LineForm.FailedPasswordInvalidUser, user, ip, port);
        }
        if (attempts == MaxAuthTries)
        {
            Add(time, pid, valid ? LineForm.MaxAttemptsExceeded : LineForm.MaxAttemptsExceededInvalidUser, user, ip, port);
            Add(time, pid, valid ? LineForm.DisconnectingTooManyFailures : LineForm.DisconnectingInvalidUserTooManyFailures,
                user, ip, port);
            Add(time, pid, valid ? LineForm.PamMoreFailures : LineForm.PamMoreFailuresUnknownUser, user, ip, port, attempts - 1);
            Add(time, pid, LineForm.PamIgnoringMaxRetries, user, ip, port, attempts);
            return time;
        }
        time += Ms(80, 1_300);
        Add(time, pid, valid ? LineForm.ConnectionClosedAuthenticating : LineForm.ConnectionClosedInvalidUser, user, ip, port);
        if (attempts > 1)
            Add(time, pid, valid ? LineForm.PamMoreFailures : LineForm.PamMoreFailuresUnknownUser, user, ip, port, attempts - 1);
        return time;
    }

    /// <summary>hydra's first connection: it asks which methods the server offers, then hangs up.</summary>
    public DateTimeOffset MethodProbe(DateTimeOffset time, string ip, string user)
    {
        var pid = NewPid();
        var port = Port();
        time += Ms(20, 200);
        Add(time, pid, LineForm.ReceivedDisconnectByeByePreauth, user, ip, port);
        Add(time, pid, LineForm.DisconnectedAuthenticatingPreauth, user, ip, port);
        return time;
    }

    /// <summary>
    /// A login (after <paramref name="typos"/> wrong passwords in the same connection), its session,
    /// and the logout <paramref name="sessionLength"/> later. Returns the time of the logout.
    /// </summary>
    public DateTimeOffset Login(DateTimeOffset time, string ip, string user, int uid, bool publicKey, int typos,
        TimeSpan sessionLength)
    {
        var pid = NewPid();
        var port = Port();
        typos = Math.Clamp(typos, 0, 2); // the ssh client gives up after three password prompts
        for (var i = 0; i < typos; i++)
        {
            time += i == 0 ? Ms(5, 90) : Ms(400, 2_000);
            if (i == 0) Add(time, pid, LineForm.PamAuthFailure, user, ip, port);
            time += Ms(2_000, 2_700);
            Add(time, pid, LineForm.FailedPassword, user, ip, port);
        }
        time += typos > 0 ? Ms(600, 2_500) : Ms(20, 400);
        if (publicKey) Add(time, pid, LineForm.AcceptedPublicKey, user, ip, port, KeyOf(user));
        else Add(time, pid, LineForm.AcceptedPassword, user, ip, port);
        time += Ms(2, 9);
        Add(time, pid, LineForm.SessionOpened, user, ip, port, uid);
        Add(time, pid, LineForm.PamSystemdNoBus, user, ip, port);
        Add(time, pid, LineForm.PamLimitsNofile, user, ip, port);
        Add(time, pid, LineForm.PamLimitsMemlock, user, ip, port);
        Add(time, pid, LineForm.PamEnvDeprecated, user, ip, port);
        // The session runs in a child that sshd forks after authentication.
        var child = NewPid();
        time += sessionLength;
        Add(time, child, LineForm.ReceivedDisconnectByUser, user, ip, port);
        Add(time, child, LineForm.DisconnectedFromUser, user, ip, port);
        time += Ms(1, 30);
        Add(time, pid, LineForm.SessionClosed, user, ip, port);
        return time;
    }

    // One key per user, the same in every run (string.GetHashCode is randomised per process).
    private static int KeyOf(string user) => user.Aggregate(0, (sum, c) => sum + c) % SshdMessages.Fingerprints.Length;

    /// <summary>One scanner connection that never authenticates; <paramref name="variant"/> picks what it does.</summary>
    public void Probe(DateTimeOffset time, string ip, int variant)
    {
        var pid = NewPid();
        var port = Port();
        switch (variant % 7)
        {
            case 0: // connect and close without a banner
                Add(time, pid, LineForm.KexClosedByRemote, null, ip, port);
                Add(time, pid, LineForm.ConnectionClosedByAddress, null, ip, port);
                break;
            case 1: // HTTP to port 22
                Add(time, pid, LineForm.KexInvalidProtocolHttp, null, ip, port);
                Add(time, pid, LineForm.BannerInvalidFormat, null, ip, port);
                break;
            case 2: // a banner, then FIN
                Add(time + Ms(5, 200), pid, LineForm.ConnectionClosedPreauth, null, ip, port);
                break;
            case 3: // a banner, then RST
                Add(time + Ms(5, 200), pid, LineForm.ConnectionResetPreauth, null, ip, port);
                break;
            case 4: // RST at once
                Add(time, pid, LineForm.KexReadReset, null, ip, port);
                Add(time, pid, LineForm.ConnectionResetByAddress, null, ip, port);
                break;
            case 5:
                Add(time + Ms(5, 60), pid, LineForm.UnableToNegotiateKex, null, ip, port);
                break;
            default:
                Add(time + Ms(5, 60), pid, LineForm.UnableToNegotiateHostKey, null, ip, port);
                break;
        }
    }

    /// <summary>A cron job's PAM session (root), as Debian logs it to auth.log.</summary>
    public void Cron(DateTimeOffset time)
    {
        var pid = NewPid();
        Add(time, pid, LineForm.CronSessionOpened, "root", null, 0, 0);
        Add(time + Ms(15, 900), pid, LineForm.CronSessionClosed, "root", null, 0);
    }
}

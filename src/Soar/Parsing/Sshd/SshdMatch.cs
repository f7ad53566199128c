using Soar.Events;

namespace Soar.Parsing.Sshd;

/// <summary>What one sshd message says: the parts of an <see cref="AuthEvent"/> that come from the message.</summary>
public readonly record struct SshdMatch(
    AuthEventKind Kind,
    AuthOutcome Outcome,
    string? User,
    bool InvalidUser,
    string? SourceIp,
    int? SourcePort,
    string? Method,
    int Count);

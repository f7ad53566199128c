namespace Soar.Detection.Rules;

/// <summary>
/// What one rule made of one signal. When the rule fires, <see cref="Match"/> holds the match in full; while it
/// goes on firing for the same key (the key is the signal's <see cref="RuleDefinition.GroupBy"/> field), each
/// further qualifying signal is a continuation, <see cref="Match"/> null: one more matching signal, at the
/// signal's time. Continuations are the bulk of a long attack, so they allocate nothing.
/// </summary>
public readonly record struct RuleHit(RuleDefinition Rule, string Reason, RuleMatch? Match)
{
    public bool IsContinuation => Match is null;
}

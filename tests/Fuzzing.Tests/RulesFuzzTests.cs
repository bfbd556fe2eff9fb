using FsCheck;
using FsCheck.Xunit;

namespace Telemetry.Fuzzing.Tests;

/// <summary>Rules' validator and rule engine fed hostile gateway messages on each of its topics.</summary>
public sealed class RulesFuzzTests : FuzzPaths
{
    [Property(MaxTest = Inputs)]
    public Property Any_telemetry_payload_is_judged_or_refused_with_a_counted_reason_and_the_next_valid_batch_is_judged() => Path("rules-telemetry");

    [Property(MaxTest = Inputs)]
    public Property Any_event_payload_is_judged_or_refused_with_a_counted_reason_and_the_next_valid_event_is_judged() => Path("rules-event");

    [Property(MaxTest = Inputs)]
    public Property Any_state_payload_is_judged_or_refused_with_a_counted_reason_and_the_next_valid_state_is_judged() => Path("rules-state");
}

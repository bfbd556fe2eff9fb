using FsCheck;
using FsCheck.Xunit;

namespace Telemetry.Fuzzing.Tests;

/// <summary>Ingest's encoder fed hostile gateway messages on each of its topics.</summary>
public sealed class IngestFuzzTests : FuzzPaths
{
    [Property(MaxTest = Inputs)]
    public Property Any_telemetry_payload_is_stored_or_refused_with_a_reason_and_the_next_valid_batch_is_stored() => Path("ingest-telemetry");

    [Property(MaxTest = Inputs)]
    public Property Any_event_payload_is_stored_or_refused_with_a_reason_and_the_next_valid_event_is_stored() => Path("ingest-event");

    [Property(MaxTest = Inputs)]
    public Property Any_state_payload_is_stored_or_refused_with_a_reason_and_the_next_valid_state_is_stored() => Path("ingest-state");
}

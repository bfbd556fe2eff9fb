using FsCheck;
using FsCheck.Xunit;

namespace Telemetry.Fuzzing.Tests;

/// <summary>The gateway's reading of command messages fed hostile payloads.</summary>
public sealed class GatewayFuzzTests : FuzzPaths
{
    [Property(MaxTest = Inputs)]
    public Property Any_command_payload_is_planned_or_refused_with_a_reason_and_the_next_valid_command_is_planned() => Path("gateway-command");
}

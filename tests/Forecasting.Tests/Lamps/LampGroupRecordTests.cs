using Telemetry.Forecasting.Lamps;
using Telemetry.Forecasting.Numerics;

namespace Telemetry.Forecasting.Tests.Lamps;

public sealed class LampGroupRecordTests
{
    private static readonly DateTimeOffset Start = new(2024, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Lamps_gone_dark_are_the_fall_in_lamps_lit_plus_the_lamps_refitted_meanwhile()
    {
        // 20 lit, 18 on day 3, two refitted on day 5 and one more dark the same night (19), 17 on day 9.
        var group = new LampGroupRecord("mast-01", null, 20,
            [new(Start, 20), new(Start.AddDays(3), 18), new(Start.AddDays(5), 19), new(Start.AddDays(9), 17)],
            [new(Start.AddDays(5).AddHours(-8), 2)]);

        Assert.Equal(5, group.FailuresBetween(Start, Start.AddDays(9)));
        Assert.Equal(2, group.FailuresBetween(Start, Start.AddDays(4)));
        Assert.Equal("mast-01", group.Asset);
    }

    [Fact]
    public void A_street_circuit_is_named_by_controller_and_circuit()
    {
        Assert.Equal("sc-03/2", new LampGroupRecord("sc-03", 2, 20, [], []).Asset);
    }
}

using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Tests.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

public sealed class ConfigurationRejectedRuleTests
{
    [Theory]
    [InlineData("rejected", "the gateway")]
    [InlineData("device_error", "the device")]
    public void A_refused_command_is_grade4_configuration_rejected_on_the_device(string result, string refusedBy)
    {
        var plant = new EngineHarness(TestPlant.Night);

        plant.Event(CommandResult("ltc-01", result));

        var rejected = Assert.Single(plant.Output.OfType<FaultDetected>());
        Assert.Equal(FaultType.ConfigurationRejected, rejected.Fault);
        Assert.Equal(FaultGrade.Grade4, rejected.Grade);
        Assert.Equal(new AssetRef(TestPlant.SiteId, TestPlant.GatewayId, "ltc-01"), rejected.Asset);
        Assert.Contains(refusedBy, rejected.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Repeated_refusals_are_one_fault_and_the_next_command_carried_out_clears_it()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Event(CommandResult("ltc-01", "rejected"));
        plant.Event(CommandResult("ltc-01", "device_error"));
        plant.Event(CommandResult("sc-01", "done"));
        Assert.Empty(plant.Output.OfType<FaultCleared>());

        plant.Event(CommandResult("ltc-01", "done"));

        Assert.Single(plant.Detected(FaultType.ConfigurationRejected));
        Assert.Single(plant.Cleared(FaultType.ConfigurationRejected));
    }

    [Fact]
    public void A_refusal_naming_no_device_is_on_the_gateway()
    {
        var plant = new EngineHarness(TestPlant.Night);

        plant.Event(CommandResult(null, "rejected"));

        Assert.Equal(new AssetRef(TestPlant.SiteId, TestPlant.GatewayId), Assert.Single(plant.Output).Asset);
    }

    [Fact]
    public void Other_event_kinds_are_ignored()
    {
        var plant = new EngineHarness(TestPlant.Night);

        plant.Event(new GatewayEvent { Kind = "device_error", Ts = TestPlant.Night, Device = "ltc-01", Message = "modbus timeout" });

        Assert.Empty(plant.Output);
    }

    private static GatewayEvent CommandResult(string? device, string result) => new()
    {
        Kind = "command_result",
        Ts = TestPlant.Night,
        Device = device,
        Message = result == "done" ? null : "value 25:61 is not a time of day",
        Attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["action"] = "set_schedule", ["result"] = result },
    };
}

using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Rules.Tests.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

public sealed class BatteryTestFailedRuleTests
{
    [Fact]
    public void A_failed_duration_test_is_grade2_failed_discharge_naming_the_runtime_reached()
    {
        var plant = new EngineHarness(TestPlant.Night);

        plant.Event(Finished("duration", "failed", runtimeS: 3120, ratedMin: 90));

        var failed = Assert.Single(plant.Output.OfType<FaultDetected>());
        Assert.Equal(FaultType.FailedDischarge, failed.Fault);
        Assert.Equal(FaultGrade.Grade2, failed.Grade);
        Assert.StartsWith("duration test failed after 52.0 min of the rated 90 min", failed.Summary, StringComparison.Ordinal);
        Assert.Equal(3120, failed.Evidence["runtime_s"]);
        Assert.Equal(5400, failed.Evidence["rated_s"]);
        Assert.Equal(new AssetRef(TestPlant.SiteId, TestPlant.GatewayId, "eps-01"), failed.Asset);
        Assert.Equal("crew-central", failed.Crew);
    }

    [Fact]
    public void A_failed_one_hour_test_is_a_grade2_failed_discharge_that_a_passed_one_hour_test_does_not_clear_but_a_passed_duration_test_does()
    {
        var plant = new EngineHarness(TestPlant.Night);

        plant.Event(Finished("one_hour", "failed", runtimeS: 2400, ratedMin: 90));
        plant.Event(Finished("one_hour", "passed", runtimeS: 3600, ratedMin: 90));

        var failed = Assert.Single(plant.Output.OfType<FaultDetected>());
        Assert.Equal((FaultType.FailedDischarge, FaultGrade.Grade2), (failed.Fault, failed.Grade));
        Assert.StartsWith("one-hour test failed after 40.0 min of the planned 60 min", failed.Summary, StringComparison.Ordinal);
        Assert.Empty(plant.Output.OfType<FaultCleared>());

        plant.Event(Finished("duration", "passed", runtimeS: 5400, ratedMin: 90));
        Assert.Equal(FaultType.FailedDischarge, Assert.Single(plant.Output.OfType<FaultCleared>()).Fault);
    }

    [Fact]
    public void A_failed_function_test_is_grade2_failed_function_test()
    {
        var plant = new EngineHarness(TestPlant.Night);

        plant.Event(Finished("function", "failed"));

        var failed = Assert.Single(plant.Output.OfType<FaultDetected>());
        Assert.Equal(FaultType.FailedFunctionTest, failed.Fault);
        Assert.Equal(FaultGrade.Grade2, failed.Grade);
    }

    [Fact]
    public void A_later_passed_test_of_the_same_kind_clears_it_and_one_of_the_other_kind_does_not()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Event(Finished("duration", "failed", runtimeS: 3120, ratedMin: 90));
        plant.Event(Finished("duration", "failed", runtimeS: 3000, ratedMin: 90));

        plant.Event(Finished("function", "passed"));
        Assert.Empty(plant.Output.OfType<FaultCleared>());

        plant.Event(Finished("duration", "passed", runtimeS: 5400, ratedMin: 90));
        Assert.Single(plant.Detected(FaultType.FailedDischarge));
        Assert.Single(plant.Cleared(FaultType.FailedDischarge));
    }

    [Fact]
    public void A_failed_duration_test_the_gateway_did_not_run_is_found_in_the_units_own_record()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Battery(testState: 0, lastResult: 1, runtimeS: 5400);
        plant.Battery(testState: 2, lastResult: 1, runtimeS: 5400);

        plant.Battery(testState: 0, lastResult: 3, runtimeS: 1860);
        plant.Battery(testState: 0, lastResult: 3, runtimeS: 1860);

        var failed = Assert.Single(plant.Detected(FaultType.FailedDischarge));
        Assert.StartsWith("duration test failed after 31.0 min of the rated 90 min", failed.Summary, StringComparison.Ordinal);
        Assert.Equal(1860, failed.Evidence["runtime_s"]);

        // The gateway's event for the same test adds nothing; the next passed duration test clears it.
        plant.Event(Finished("duration", "failed", runtimeS: 1860, ratedMin: 90));
        plant.Battery(testState: 2, lastResult: 3, runtimeS: 1860);
        plant.Battery(testState: 0, lastResult: 1, runtimeS: 5400);
        Assert.Single(plant.Detected(FaultType.FailedDischarge));
        Assert.Single(plant.Cleared(FaultType.FailedDischarge));
    }

    [Fact]
    public void A_pass_after_a_function_test_does_not_clear_a_failed_discharge()
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Battery(testState: 0, lastResult: 3, runtimeS: 1860);
        plant.Battery(testState: 1, lastResult: 3, runtimeS: 1860);
        plant.Battery(testState: 0, lastResult: 1, runtimeS: 30);

        Assert.Single(plant.Detected(FaultType.FailedDischarge));
        Assert.Empty(plant.Cleared(FaultType.FailedDischarge));
    }

    [Theory]
    [InlineData("aborted")]
    [InlineData("could_not_start")]
    public void An_aborted_test_or_one_that_could_not_start_changes_nothing(string outcome)
    {
        var plant = new EngineHarness(TestPlant.Night);
        plant.Event(Finished("duration", "failed", runtimeS: 3120, ratedMin: 90));

        plant.Event(Finished("duration", outcome));

        Assert.Single(plant.Output);
    }

    private static GatewayEvent Finished(string test, string outcome, double? runtimeS = null, double? ratedMin = null)
    {
        var values = new Dictionary<string, ReadingValue>(StringComparer.Ordinal) { ["samples"] = 12 };
        if (runtimeS is { } runtime)
        {
            values["runtime_s"] = runtime;
        }

        if (ratedMin is { } rated)
        {
            values["rated_duration_min"] = rated;
        }

        return new GatewayEvent
        {
            Kind = "battery_test_finished",
            Ts = TestPlant.Night,
            Device = "eps-01",
            Message = outcome == "failed" ? "battery reached its cut-off voltage 21.6 V" : "rated duration reached",
            Values = values,
            Attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["test"] = test, ["outcome"] = outcome },
        };
    }
}

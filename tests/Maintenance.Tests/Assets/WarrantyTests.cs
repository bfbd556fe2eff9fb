using Telemetry.Maintenance.Assets;

namespace Telemetry.Maintenance.Tests.Assets;

public sealed class WarrantyTests
{
    private static readonly DateOnly Today = new(2026, 12, 7);

    [Theory]
    [InlineData(null, WarrantyStatus.Unknown)]
    [InlineData("2026-12-06", WarrantyStatus.Expired)]
    [InlineData("2026-12-07", WarrantyStatus.Expiring)]
    [InlineData("2027-03-07", WarrantyStatus.Expiring)]
    [InlineData("2027-03-08", WarrantyStatus.InWarranty)]
    [InlineData("2030-01-08", WarrantyStatus.InWarranty)]
    public void The_last_day_is_covered_and_the_last_90_days_count_as_expiring(string? until, WarrantyStatus expected)
    {
        Assert.Equal(expected, Warranty.StatusOn(until is null ? null : DateOnly.Parse(until, System.Globalization.CultureInfo.InvariantCulture), Today));
    }

    [Fact]
    public void Every_status_reads_back_from_its_name_and_nothing_else_does()
    {
        foreach (var status in Enum.GetValues<WarrantyStatus>())
        {
            Assert.True(Warranty.TryParse(status.ToName(), out var parsed));
            Assert.Equal(status, parsed);
        }

        Assert.Equal(["unknown", "in_warranty", "expiring", "expired"], Enum.GetValues<WarrantyStatus>().Select(s => s.ToName()));
        Assert.False(Warranty.TryParse("InWarranty", out _));
        Assert.False(Warranty.TryParse(null, out _));
    }
}

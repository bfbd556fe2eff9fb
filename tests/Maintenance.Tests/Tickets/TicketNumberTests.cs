using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Maintenance.Tests.Tickets;

public sealed class TicketNumberTests
{
    [Fact]
    public void Number_is_unit_year_month_and_a_four_digit_sequence() =>
        Assert.Equal("YW2611-0007", new TicketNumber("YW", 26, 11, 7).ToString());

    [Fact]
    public void Sequence_grows_past_four_digits_when_a_month_needs_it() =>
        Assert.Equal("YW2611-12345", new TicketNumber("YW", 26, 11, 12345).ToString());

    [Theory]
    [InlineData("YW2611-0007", "YW", 26, 11, 7)]
    [InlineData("A12601-0001", "A1", 26, 1, 1)]
    [InlineData("SU12345M0012-9999", "SU12345M", 0, 12, 9999)]
    [InlineData("YW9912-10000", "YW", 99, 12, 10000)]
    public void Parse_reads_every_part(string text, string unit, int year, int month, int sequence)
    {
        var number = TicketNumber.Parse(text);

        Assert.Equal(new TicketNumber(unit, year, month, sequence), number);
        Assert.Equal(text, number.ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("YW2611", "no dash")]
    [InlineData("2611-0001", "unit code")]
    [InlineData("yw2611-0001", "unit code")]
    [InlineData("ABCDEFGHI2611-0001", "unit code")]
    [InlineData("YW-2611-0001", "unit code")]
    [InlineData("YW26A1-0001", "YYMM")]
    [InlineData("YW2613-0001", "month")]
    [InlineData("YW2600-0001", "month")]
    [InlineData("YW2611-007", "at least 4 digits")]
    [InlineData("YW2611-00007", "leading zero")]
    [InlineData("YW2611-0000", "between 0001")]
    [InlineData("YW2611-00a1", "at least 4 digits")]
    [InlineData("YW2611-99999999999", "between 0001")]
    public void Malformed_numbers_are_refused_naming_the_broken_part(string text, string reason)
    {
        Assert.False(TicketNumber.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        var thrown = Assert.Throws<FormatException>(() => TicketNumber.Parse(text));
        Assert.Contains(reason, thrown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yw")]
    [InlineData("ABCDEFGHI")]
    [InlineData("Y-W")]
    public void Invalid_unit_codes_are_refused(string unit) =>
        Assert.Throws<ArgumentException>(() => new TicketNumber(unit, 26, 11, 1));

    [Fact]
    public void Period_is_the_month_in_the_service_units_time_zone()
    {
        var lateOnTheLastDay = new DateTimeOffset(2026, 11, 30, 20, 0, 0, TimeSpan.Zero);

        Assert.Equal("2611", TicketNumber.PeriodOf(lateOnTheLastDay, TimeZoneInfo.Utc));
        Assert.Equal("2612", TicketNumber.PeriodOf(lateOnTheLastDay, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")));
    }

    [Property(MaxTest = 500)]
    public Property Formatting_then_parsing_gives_the_number_back()
    {
        var units = from length in Gen.Choose(1, TicketNumber.MaxUnitLength)
                    from chars in Gen.ArrayOf(Gen.Elements("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".ToCharArray()), length)
                    select new string(chars);
        var numbers = from unit in units
                      from year in Gen.Choose(0, 99)
                      from month in Gen.Choose(1, 12)
                      from sequence in Gen.OneOf(Gen.Choose(1, 9999), Gen.Choose(1, int.MaxValue))
                      select new TicketNumber(unit, year, month, sequence);

        return Prop.ForAll(numbers.ToArbitrary(), number => TicketNumber.Parse(number.ToString()) == number);
    }
}

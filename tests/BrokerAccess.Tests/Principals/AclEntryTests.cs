using Telemetry.BrokerAccess.Principals;

namespace Telemetry.BrokerAccess.Tests.Principals;

public sealed class AclEntryTests
{
    [Theory]
    [InlineData("topic read lighting/#")]
    [InlineData("topic write lighting/+/+/cmd/#")]
    [InlineData("topic readwrite #")]
    public void A_line_reads_back_as_written(string line) => Assert.Equal(line, AclEntry.Parse(line).ToString());

    [Theory]
    [InlineData("topic lighting/#")]
    [InlineData("topic delete lighting/#")]
    [InlineData("pattern read lighting/%u/#")]
    [InlineData("topic read lighting/#/x")]
    [InlineData("topic read lighting/a+")]
    public void A_line_the_broker_would_read_otherwise_is_refused(string line) => Assert.Throws<FormatException>(() => AclEntry.Parse(line));
}

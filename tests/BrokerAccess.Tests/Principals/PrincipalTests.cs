using Telemetry.BrokerAccess.Principals;

namespace Telemetry.BrokerAccess.Tests.Principals;

public sealed class PrincipalTests
{
    [Theory]
    [InlineData("gateway-demo-gw-demo-01")]
    [InlineData("crew.north_2")]
    public void Names_of_files_and_password_lines_are_accepted(string name) => Assert.True(Principal.IsValidName(name));

    [Theory]
    [InlineData("")]
    [InlineData("-leading-dash")]
    [InlineData("has:colon")]
    [InlineData("../escape")]
    [InlineData("has space")]
    public void A_name_that_would_break_the_password_file_or_leave_the_folder_is_refused(string name)
    {
        Assert.False(Principal.IsValidName(name));
        Assert.Throws<ArgumentException>(() => new Principal(name, []));
    }
}

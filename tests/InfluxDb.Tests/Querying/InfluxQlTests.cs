using Telemetry.InfluxDb.Querying;

namespace Telemetry.InfluxDb.Tests.Querying;

public sealed class InfluxQlTests
{
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("with \"quotes\"", "\"with \\\"quotes\\\"\"")]
    [InlineData(@"back\slash", @"""back\\slash""")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("new\nline", "\"new\\nline\"")]
    public void Identifiers_are_double_quoted_with_backslash_escapes(string identifier, string expected)
    {
        Assert.Equal(expected, InfluxQl.QuoteIdentifier(identifier));
    }

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("it's", @"'it\'s'")]
    [InlineData(@"trailing\", @"'trailing\\'")]
    [InlineData("say \"hi\"", "'say \"hi\"'")]
    [InlineData("new\nline", @"'new\nline'")]
    public void String_literals_are_single_quoted_with_backslash_escapes(string value, string expected)
    {
        Assert.Equal(expected, InfluxQl.QuoteString(value));
    }

    [Fact]
    public void Text_with_a_carriage_return_cannot_be_quoted()
    {
        Assert.Throws<ArgumentException>(() => InfluxQl.QuoteIdentifier("a\rb"));
        Assert.Throws<ArgumentException>(() => InfluxQl.QuoteString("a\rb"));
    }
}

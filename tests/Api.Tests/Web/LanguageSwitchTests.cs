using System.Net;
using Telemetry.Api.Tests.Access;

namespace Telemetry.Api.Tests.Web;

/// <summary>
/// The language switch (anonymous, so that the sign-in page has it): an unknown language is refused and the next
/// request with a known one is taken; it sends the browser back only to a page of this app, never to another site.
/// </summary>
public sealed class LanguageSwitchTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task An_unknown_language_is_refused_and_a_known_one_is_set_and_sends_the_browser_back()
    {
        using var client = host.As(null);
        using (var refused = await client.GetAsync(new Uri("/culture?name=fr&back=%2Fplant", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.False(refused.Headers.Contains("Set-Cookie"));
        }

        using var taken = await client.GetAsync(new Uri("/culture?name=zh-CN&back=%2Fplant%3Fx%3D1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, taken.StatusCode);
        Assert.Equal("/plant?x=1", taken.Headers.Location?.OriginalString);
        Assert.Contains(taken.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=c%3Dzh-CN%7Cuic%3Dzh-CN", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("//evil.example/plant")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("")]
    public async Task A_way_back_outside_the_app_goes_to_the_start_page(string back)
    {
        using var client = host.As(null);
        using var answer = await client.GetAsync(new Uri("/culture?name=en&back=" + Uri.EscapeDataString(back), UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal("/", answer.Headers.Location?.OriginalString);
    }
}

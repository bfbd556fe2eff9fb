using System.Net;
using System.Net.Http.Json;

namespace Telemetry.Api.Tests.Access;

/// <summary>Guessing is slowed per client address (the body size limit is the server's, tested on the running Api).</summary>
public sealed class SignInLimitTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Past_ten_sign_in_attempts_a_minute_from_one_address_the_answer_is_429_with_when_to_retry()
    {
        using var client = host.As(null);
        for (var i = 0; i < 10; i++)
        {
            using var refused = await client.PostAsJsonAsync("/api/auth/sign-in", new { name = "nobody", password = "guess number " + i });
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var limited = await client.PostAsJsonAsync("/api/auth/tokens", new { name = "operator.zhang", password = ApiHost.Password, client = "guesser" });

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter is not null || limited.Headers.Contains("Retry-After"));
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);

        // Signed-in work is not slowed by it.
        using var signedIn = host.As("operator.zhang");
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/api/me")).StatusCode);
    }
}

using System.Net;
using Telemetry.Api.Tests.Access;
using Telemetry.Testing;

namespace Telemetry.Api.Tests.Web;

/// <summary>A site's picture under its plan: served from the file its setting names to whoever may read the plant, nothing else.</summary>
public sealed class SiteImageTests
{
    // The PNG signature and the start of an image header: enough for a file that is a PNG.
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];

    [Fact]
    public async Task The_picture_a_setting_names_is_served_to_signed_in_users_and_no_other_file_or_kind_is()
    {
        var folder = RepositoryPaths.NewScratchDirectory("site-images");
        var png = Path.Combine(folder, "demo.png");
        var svg = Path.Combine(folder, "north.svg");
        await File.WriteAllBytesAsync(png, Png);
        await File.WriteAllTextAsync(svg, "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>");
        var host = new ApiHost(new Dictionary<string, string>
        {
            ["Api:SiteImages:demo"] = png,
            ["Api:SiteImages:north"] = svg,
            ["Api:SiteImages:east"] = Path.Combine(folder, "missing.png"),
        });
        await host.InitializeAsync();
        try
        {
            using var crew = host.As("crew.li");
            using var served = await crew.GetAsync(new Uri("/plant-images/demo", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
            Assert.Equal(Png, await served.Content.ReadAsByteArrayAsync());

            foreach (var site in new[] { "north", "east", "west", "..%2Fdemo" })
            {
                using var none = await crew.GetAsync(new Uri($"/plant-images/{site}", UriKind.Relative));
                Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
            }

            using var nobody = host.As(null);
            using var refused = await nobody.GetAsync(new Uri("/plant-images/demo", UriKind.Relative));
            Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
            Assert.NotEqual("image/png", refused.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}

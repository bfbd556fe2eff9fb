using Telemetry.Api.Plant;
using Telemetry.Testing;

namespace Telemetry.Api.Tests.Plant;

public sealed class ApiPlantTests
{
    [Fact]
    public void The_demo_plant_says_which_gateway_serves_each_device()
    {
        var plant = ApiPlant.Load(new ApiSettings { Database = "unused.db", SiteFiles = [Path.Combine(RepositoryPaths.Hardware, "sites", "demo.json")] });

        var found = plant.Find("demo", "sc-01");

        Assert.NotNull(found);
        Assert.Equal("gw-demo-01", found.Gateway.Id);
        Assert.Null(plant.Find("demo", "no-such-device"));
        Assert.Null(plant.Find("elsewhere", "sc-01"));
    }

    [Fact]
    public void Without_site_files_the_plant_is_empty_and_a_missing_file_is_named()
    {
        Assert.Empty(ApiPlant.Load(new ApiSettings { Database = "unused.db" }).Sites);

        var problems = new ApiSettings { Database = "unused.db", SiteFiles = ["/nowhere/site.json"] }.Validate().ToList();

        Assert.Contains(problems, p => p.Contains("Api:SiteFiles", StringComparison.Ordinal) && p.Contains("/nowhere/site.json", StringComparison.Ordinal));
    }
}

using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;
using Telemetry.Testing;

namespace Telemetry.Maintenance.Tests.WorkOrders;

/// <summary>The demo plant of hardware/sites/demo.json, as the services load it.</summary>
internal static class DemoPlant
{
    public static readonly Site Site = SiteLoader.LoadFile(
        Path.Combine(RepositoryPaths.Hardware, "sites", "demo.json"),
        ProfileLoader.LoadDirectory(Path.Combine(RepositoryPaths.Hardware, "profiles")),
        new SiteLoadOptions { Environment = _ => null });
}

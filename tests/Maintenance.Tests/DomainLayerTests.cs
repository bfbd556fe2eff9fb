using Telemetry.Maintenance.Tickets;

namespace Telemetry.Maintenance.Tests;

/// <summary>The maintenance domain stays apart from its storage, as in the README's layout: Maintenance.Storage has those.</summary>
public sealed class DomainLayerTests
{
    private static readonly string[] Infrastructure =
    [
        "Microsoft.Data.Sqlite",
        "SQLitePCLRaw",
        "System.Data",
        "System.Text.Json",
        "Newtonsoft.Json",
        "Microsoft.Extensions.Hosting",
    ];

    [Fact]
    public void Maintenance_domain_references_no_database_serialiser_or_hosting_assembly()
    {
        var referenced = typeof(Ticket).Assembly.GetReferencedAssemblies().Select(a => a.Name!);

        var infrastructure = referenced.Where(name => Infrastructure.Any(family => name == family || name.StartsWith(family + ".", StringComparison.Ordinal)));

        Assert.Empty(infrastructure);
    }
}

namespace Telemetry.Maintenance.ServiceLevels;

/// <summary>
/// Where a service finds the service-level terms in force when it opens, regrades or reopens a ticket: admins change
/// them at run time, so a ticket takes the terms of the moment its deadlines are set.
/// </summary>
public interface IServiceLevelSource
{
    /// <summary>The terms in force now; cheap, read on every ticket that sets deadlines.</summary>
    ServiceLevelTerms Current { get; }
}

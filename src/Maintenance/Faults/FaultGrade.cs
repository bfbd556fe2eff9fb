namespace Telemetry.Maintenance.Faults;

/// <summary>How bad a fault is (domain section 3); the grade sets the ticket's service deadlines.</summary>
public enum FaultGrade
{
    /// <summary>Service interruption: the basic function is lost.</summary>
    Grade1 = 1,

    /// <summary>Major part not working, or a latent hazard that can become grade 1.</summary>
    Grade2 = 2,

    /// <summary>An accessory or component failed; the service is still delivered.</summary>
    Grade3 = 3,

    /// <summary>Not a plant fault: operator action, configuration.</summary>
    Grade4 = 4,
}

using FsCheck;
using FsCheck.Xunit;

namespace Telemetry.Fuzzing.Tests;

/// <summary>The site and profile loaders fed hostile files.</summary>
public sealed class DeviceFileFuzzTests : FuzzPaths
{
    [Property(MaxTest = Inputs)]
    public Property Any_site_file_loads_or_is_refused_with_site_errors_only_and_the_valid_file_loads_after() => Path("site-file");

    [Property(MaxTest = Inputs)]
    public Property Any_profile_file_loads_or_is_refused_with_profile_errors_only_and_the_valid_file_loads_after() => Path("profile-file");
}

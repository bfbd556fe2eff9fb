using FsCheck;
using FsCheck.Xunit;

namespace Telemetry.Fuzzing.Tests;

/// <summary>The ticket endpoints fed hostile query strings and route values through ASP.NET Core's binding.</summary>
public sealed class ApiFuzzTests : FuzzPaths
{
    [Property(MaxTest = Inputs)]
    public Property Any_ticket_list_query_string_gets_its_page_or_a_400_naming_the_parameter() => Path("api-query");

    [Property(MaxTest = Inputs)]
    public Property Any_ticket_number_in_the_route_is_read_back_exactly_or_gets_a_400_naming_the_part() => Path("api-ticket-number");

    [Property(MaxTest = Inputs)]
    public Property Any_last_event_id_is_read_back_exactly_or_refused() => Path("api-event-id");
}

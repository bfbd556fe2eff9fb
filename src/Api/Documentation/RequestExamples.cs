using System.Text.Json.Nodes;
using Telemetry.Maintenance.ServiceLevels;

namespace Telemetry.Api.Documentation;

/// <summary>
/// An example body for each request that takes one, as a lighting contractor's people would send it, by method and
/// route. The OpenAPI document shows them; a test sends each one to the Api, so none can go stale.
/// </summary>
public static class RequestExamples
{
    private static readonly Dictionary<string, string> Bodies = new(StringComparer.Ordinal)
    {
        ["POST api/auth/sign-in"] = """{"name":"zhang.ops","password":"the password you were given"}""",
        ["POST api/auth/tokens"] = """{"name":"li.wei","password":"the password you were given","client":"li.wei's phone","days":30}""",
        ["POST api/tickets"] = """{"site":"north","location":"Renmin Road by the school gate","description":"caller: three street lights dark","fault":"single_lamps_dark","grade":3,"crew":"crew-north","zone":"inner"}""",
        ["POST api/tickets/{number}/resolve"] = """{"cause":"lamp drivers burnt out","action":"replaced two drivers","parts_used":["driver 150W","driver 150W"],"kind":"hardware","note":"water in the lamp head, resealed"}""",
        ["POST api/tickets/{number}/close"] = """{"note":"caller confirmed all 12 lamps lit"}""",
        ["POST api/tickets/{number}/reopen"] = """{"reason":"dark again the next night"}""",
        ["POST api/tickets/{number}/reassign"] = """{"crew":"crew-east","zone":"second"}""",
        ["POST api/tickets/{number}/regrade"] = """{"grade":1,"reason":"the mast lights a junction"}""",
        ["POST api/tickets/{number}/survey"] = """{"satisfaction":5,"comment":"the junction was lit again the same night"}""",
        ["POST api/tickets/{number}/return-visit"] = """{"outcome":"all 12 lamps lit, the new drivers run cool"}""",
        ["POST api/tickets/{number}/comment"] = """{"text":"drivers ordered, back tomorrow night"}""",
        ["POST api/thresholds/changes"] = """{"parameter":"lamps.outage_ratio","scope":"site:north","value":0.3,"reason":"junction masts: a third dark is an outage"}""",
        ["POST api/thresholds/backtest"] = """{"changes":[{"parameter":"lamps.outage_ratio","scope":"site:north","value":0.3}],"from":"2026-11-21T00:00:00+08:00","to":"2026-11-22T00:00:00+08:00"}""",
        ["POST api/sites/{site}/devices/{device}/commands"] = """{"action":"switch","circuit":1,"on":false}""",
        ["POST api/sites/{site}/commands/switch"] = """{"on":false}""",
        ["POST api/work-orders/{number}/complete"] = """{"checklist":{"earth_connection":true,"corrosion":false},"readings":{"earth_resistance_ohm":3.2},"note":"rust at the base flange, painted"}""",
        ["POST api/work-orders/{number}/skip"] = """{"reason":"mast cordoned off for road works until Friday"}""",
        ["PUT api/work-orders/intervals/{task}"] = """{"times":3,"per":"year","reason":"coastal site: lanterns salt up faster"}""",
        ["POST api/work-orders/extreme-weather"] = """{"site":"demo","expected":"2027-07-23","description":"typhoon warning: gusts over 30 m/s"}""",
    };

    /// <summary>The routes with an example body, as <c>METHOD route</c> (the route without its leading slash).</summary>
    public static IEnumerable<string> Routes => Bodies.Keys.Append(ServiceLevelsRoute);

    private const string ServiceLevelsRoute = "PUT api/service-levels";

    /// <summary>The example body of <paramref name="method"/> <paramref name="route"/>, or null when it has none.</summary>
    public static JsonNode? For(string? method, string? route)
    {
        var key = $"{method} {route?.TrimEnd('/')}";
        if (key == ServiceLevelsRoute)
        {
            var terms = new JsonObject();
            foreach (var (name, minutes) in ServiceLevelTerms.Default.ToMinutes())
            {
                terms[name] = minutes;
            }

            terms["reason"] = "the new maintenance contract's terms";
            return terms;
        }

        return Bodies.TryGetValue(key, out var body) ? JsonNode.Parse(body) : null;
    }
}

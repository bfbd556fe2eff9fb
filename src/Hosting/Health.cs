using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Telemetry.Hosting;

/// <summary>Something whose state belongs in the process health document.</summary>
public interface IHealthSource
{
    /// <summary>Key of this source in the health document.</summary>
    string Name { get; }

    /// <summary>False when the process cannot do its job (for example its broker is unreachable).</summary>
    bool IsHealthy { get; }

    /// <summary>Counters and state, written as a JSON object.</summary>
    void Write(Utf8JsonWriter writer);
}

/// <summary>Every health source of the process, registered as they start.</summary>
public sealed class HealthRegistry
{
    private readonly List<IHealthSource> _sources = [];
    private readonly Lock _gate = new();

    public void Add(IHealthSource source)
    {
        lock (_gate)
        {
            _sources.Add(source);
        }
    }

    public IReadOnlyList<IHealthSource> Sources
    {
        get
        {
            lock (_gate)
            {
                return [.. _sources];
            }
        }
    }
}

public static class HealthEndpoints
{
    /// <summary>Maps <c>GET /healthz</c>: 200 when every source is healthy, 503 otherwise; the body lists each source.</summary>
    public static IEndpointRouteBuilder MapServiceHealth(this IEndpointRouteBuilder endpoints)
    {
        // A plain request delegate, not a lambda with bound parameters: nothing to generate at run time, so it also
        // serves in a natively compiled service.
        endpoints.MapGet("/healthz", async context =>
        {
            var registry = context.RequestServices.GetRequiredService<HealthRegistry>();
            var identity = context.RequestServices.GetRequiredService<ServiceIdentity>();
            var clock = context.RequestServices.GetRequiredService<TimeProvider>();
            var sources = registry.Sources;
            var healthy = sources.All(s => s.IsHealthy);
            context.Response.StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "application/json";
            await using var writer = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Indented = true });
            writer.WriteStartObject();
            writer.WriteString("service", identity.Name);
            writer.WriteString("status", healthy ? "healthy" : "unhealthy");
            writer.WriteString("time", clock.GetUtcNow());
            foreach (var source in sources)
            {
                writer.WritePropertyName(source.Name);
                writer.WriteStartObject();
                writer.WriteBoolean("healthy", source.IsHealthy);
                source.Write(writer);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            await writer.FlushAsync(context.RequestAborted);
        });
        return endpoints;
    }
}

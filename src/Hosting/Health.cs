using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Telemetry.Hosting;

/// <summary>How well a process, or one part of it, does its job.</summary>
public enum HealthStatus
{
    Healthy,

    /// <summary>Working, but not as it should: retrying a failure, writes failing. HTTP 200 with the reason.</summary>
    Degraded,

    /// <summary>Not doing its job: disconnected, stalled, or blocked on something it cannot fix by itself. HTTP 503.</summary>
    Unhealthy,
}

/// <summary>A health status with the reasons for it, in words an operator can act on.</summary>
public sealed record HealthVerdict(HealthStatus Status, IReadOnlyList<string> Reasons)
{
    public static HealthVerdict Healthy { get; } = new(HealthStatus.Healthy, []);

    public static HealthVerdict Unhealthy(string reason) => new(HealthStatus.Unhealthy, [reason]);

    /// <summary>The worse status of the two, with the reasons of both.</summary>
    public HealthVerdict And(HealthVerdict other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.Status == HealthStatus.Healthy ? this
            : Status == HealthStatus.Healthy ? other
            : new((HealthStatus)Math.Max((int)Status, (int)other.Status), [.. Reasons, .. other.Reasons]);
    }

    /// <summary>This verdict, made worse by <paramref name="status"/> with <paramref name="reason"/> when <paramref name="condition"/> holds.</summary>
    public HealthVerdict When(bool condition, HealthStatus status, string reason) =>
        condition ? And(new HealthVerdict(status, [reason])) : this;
}

/// <summary>Something whose state belongs in the process health document.</summary>
public interface IHealthSource
{
    /// <summary>Key of this source in the health document.</summary>
    string Name { get; }

    /// <summary>Whether this part does its job now, and if not, why.</summary>
    HealthVerdict Verdict { get; }

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
    /// <summary>
    /// Maps <c>GET /healthz</c>: 200 when every source is healthy or degraded, 503 when one is unhealthy; the body gives
    /// the status (<c>healthy</c>, <c>degraded</c>, <c>unhealthy</c>) with its reasons, and lists each source.
    /// </summary>
    public static IEndpointRouteBuilder MapServiceHealth(this IEndpointRouteBuilder endpoints)
    {
        // A plain request delegate, not a lambda with bound parameters: nothing to generate at run time, so it also
        // serves in a natively compiled service.
        var health = endpoints.MapGet("/healthz", async context =>
        {
            var registry = context.RequestServices.GetRequiredService<HealthRegistry>();
            var identity = context.RequestServices.GetRequiredService<ServiceIdentity>();
            var clock = context.RequestServices.GetRequiredService<TimeProvider>();
            var sources = registry.Sources.Select(s => (Source: s, s.Verdict)).ToList();
            var overall = sources.Aggregate(HealthVerdict.Healthy, (all, s) => all.And(s.Verdict));
            context.Response.StatusCode = overall.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            await using var writer = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Indented = true });
            writer.WriteStartObject();
            writer.WriteString("service", identity.Name);
            WriteVerdict(writer, overall);
            writer.WriteString("time", clock.GetUtcNow());
            foreach (var (source, verdict) in sources)
            {
                writer.WritePropertyName(source.Name);
                writer.WriteStartObject();
                writer.WriteBoolean("healthy", verdict.Status == HealthStatus.Healthy);
                WriteVerdict(writer, verdict);
                source.Write(writer);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            await writer.FlushAsync(context.RequestAborted);
        });

        // Monitoring asks without signing in, in every service (the Api signs in everything else).
        health.AllowAnonymous();
        return endpoints;
    }

    private static void WriteVerdict(Utf8JsonWriter writer, HealthVerdict verdict)
    {
        writer.WriteString("status", verdict.Status switch
        {
            HealthStatus.Healthy => "healthy",
            HealthStatus.Degraded => "degraded",
            _ => "unhealthy",
        });
        writer.WriteStartArray("reasons");
        foreach (var reason in verdict.Reasons)
        {
            writer.WriteStringValue(reason);
        }

        writer.WriteEndArray();
    }
}

using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;
using Telemetry.Hosting;

namespace Telemetry.Hosting.Tests;

public sealed class CompiledLoggingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("compiled-logging-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    [Fact]
    public void The_services_usual_section_gives_levels_overrides_and_a_file_sink_with_its_template()
    {
        var path = Path.Combine(_folder, "service.log");
        var configuration = Settings(
            ("Serilog:Using:0", "Serilog.Sinks.File"),
            ("Serilog:MinimumLevel:Default", "Warning"),
            ("Serilog:MinimumLevel:Override:Chatty", "Error"),
            ("Serilog:MinimumLevel:Override:Telemetry.Gateway.Publishing", "Debug"),
            ("Serilog:WriteTo:0:Name", "File"),
            ("Serilog:WriteTo:0:Args:path", path),
            ("Serilog:WriteTo:0:Args:outputTemplate", "{Level:u3}|{SourceContext}|{Message:lj}{NewLine}"));

        using (var logger = CompiledLogging.FromConfiguration(configuration).CreateLogger())
        {
            logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "Telemetry.Gateway.Publishing").Debug("queued {Seq}", 7);
            logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "Chatty").Warning("not written");
            logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "Other").Information("not written either");
            logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "Other").Warning("written");
        }

        Assert.Equal(["DBG|Telemetry.Gateway.Publishing|queued 7", "WRN|Other|written"], File.ReadAllLines(path));
    }

    [Fact]
    public void Without_a_section_it_logs_information_and_above()
    {
        using var logger = CompiledLogging.FromConfiguration(Settings()).CreateLogger();
        Assert.True(logger.IsEnabled(LogEventLevel.Information));
        Assert.False(logger.IsEnabled(LogEventLevel.Debug));
    }

    [Fact]
    public void A_level_given_as_the_section_value_is_the_default()
    {
        using var logger = CompiledLogging.FromConfiguration(Settings(("Serilog:MinimumLevel", "Error"))).CreateLogger();
        Assert.False(logger.IsEnabled(LogEventLevel.Warning));
        Assert.True(logger.IsEnabled(LogEventLevel.Error));
    }

    [Fact]
    public void Every_problem_is_refused_naming_its_key()
    {
        var configuration = Settings(
            ("Serilog:MinimumLevel:Default", "Loud"),
            ("Serilog:MinimumLevel:Override:Microsoft", "7"),
            ("Serilog:WriteTo:0:Name", "Seq"),
            ("Serilog:WriteTo:1:Name", "Console"),
            ("Serilog:WriteTo:1:Args:theme", "Ansi"),
            ("Serilog:WriteTo:2:Name", "File"),
            ("Serilog:WriteTo:3:Name", "File"),
            ("Serilog:WriteTo:3:Args:path", Path.Combine(_folder, "x.log")),
            ("Serilog:WriteTo:3:Args:retainedFileCountLimit", "-1"),
            ("Serilog:WriteTo:3:Args:rollingInterval", "Fortnight"),
            ("Serilog:Enrich:0", "WithMachineName"));

        var refusal = Assert.Throws<InvalidConfigurationException>(() => CompiledLogging.FromConfiguration(configuration));

        Assert.Contains("Serilog:MinimumLevel:Default 'Loud' is not a level", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("Serilog:MinimumLevel:Override:Microsoft '7' is not a level", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("Serilog:WriteTo:0:Name 'Seq' is not a sink this service has", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("Serilog:WriteTo:1:Args:theme is not an argument of this sink", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("Serilog:WriteTo:2:Args:path is required", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("Serilog:WriteTo:3:Args:retainedFileCountLimit '-1'", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("Serilog:WriteTo:3:Args:rollingInterval 'Fortnight'", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("Serilog:Enrich is not a setting this service reads", refusal.Message, StringComparison.Ordinal);
    }
}

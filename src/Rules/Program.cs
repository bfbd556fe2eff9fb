using Telemetry.Hosting;

var app = ServiceHost.CreateBuilder(args, "Rules").Build();
app.MapServiceHealth();
await app.RunAsync();

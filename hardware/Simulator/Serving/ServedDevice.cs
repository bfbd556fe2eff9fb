using Telemetry.Devices.Sites;
using Telemetry.Simulator.Plant;

namespace Telemetry.Simulator.Serving;

/// <summary>A simulated device as the bus sees it: its model, its registers, what it answers, and where it is served.</summary>
public sealed record ServedDevice(SimulatedDevice Device, RegisterImage Image, AddressPlan Plan, SiteLink Link, string Endpoint);

namespace Telemetry.Api.Web.Tickets;

/// <summary>The words of the crew's work and the ticket pages (<c>TicketsText.resx</c>, <c>TicketsText.zh-CN.resx</c>).</summary>
public sealed class TicketsText;

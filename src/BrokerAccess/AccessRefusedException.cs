namespace Telemetry.BrokerAccess;

/// <summary>A request the site files do not allow: an unknown principal, a principal defined twice.</summary>
public sealed class AccessRefusedException : Exception
{
    public AccessRefusedException()
    {
    }

    public AccessRefusedException(string message)
        : base(message)
    {
    }

    public AccessRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace Telemetry.Contracts.Validation;

/// <summary>The <c>Validation</c> section: what Ingest accepts from a gateway.</summary>
public sealed class ValidationLimits
{
    public int MaxPayloadBytes { get; set; } = 256 * 1024;

    public int MaxReadingsPerBatch { get; set; } = 5_000;

    public int MaxValuesPerReading { get; set; } = 200;

    public int MaxTextLength { get; set; } = 500;

    /// <summary>Readings older than this are refused (clocks reset to 1970 are the usual cause).</summary>
    public DateTimeOffset Earliest { get; set; } = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far ahead of this server's clock a reading may be.</summary>
    public TimeSpan MaxFuture { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<string> Validate()
    {
        if (MaxPayloadBytes is < 1024 or > 16 << 20)
        {
            yield return $"Validation:MaxPayloadBytes {MaxPayloadBytes} must be 1 KiB to 16 MiB";
        }

        if (MaxReadingsPerBatch is < 1 or > 100_000)
        {
            yield return $"Validation:MaxReadingsPerBatch {MaxReadingsPerBatch} must be 1-100000";
        }

        if (MaxValuesPerReading is < 1 or > 10_000)
        {
            yield return $"Validation:MaxValuesPerReading {MaxValuesPerReading} must be 1-10000";
        }

        if (MaxTextLength is < 16 or > 64 * 1024)
        {
            yield return $"Validation:MaxTextLength {MaxTextLength} must be 16-65536";
        }

        if (MaxFuture < TimeSpan.Zero || MaxFuture > TimeSpan.FromDays(1))
        {
            yield return $"Validation:MaxFuture {MaxFuture} must be 0 to 1 day";
        }
    }
}

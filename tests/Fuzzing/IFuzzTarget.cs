using FsCheck;

namespace Telemetry.Fuzzing;

/// <summary>
/// One untrusted input path of the product, run in-process through the product's own handling code: a gateway
/// message into Ingest, a command into the gateway, a query string into the Api, a site or profile file into the
/// loaders. A target keeps the state its path keeps (an encoder, a batch being built), so it serves one run at a
/// time; <see cref="FuzzTargets"/> makes a fresh one per run.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>The path, as the tests and <c>bench/run fuzz</c> name it: <c>ingest-telemetry</c>, <c>api-query</c>...</summary>
    string Name { get; }

    /// <summary>What the path is fed: mutations of its valid documents with hostile leaves, truncations, random bytes.</summary>
    Gen<byte[]> Inputs { get; }

    /// <summary>Hands one input to the path and says what became of it. Never throws: a throw is a <see cref="FuzzVerdict.Failed"/>.</summary>
    FuzzOutcome Feed(byte[] input);

    /// <summary>Hands the path a valid input; true when it was processed as a valid one is (stored, planned, loaded).</summary>
    bool FeedValid();
}

/// <summary>What became of one input.</summary>
public enum FuzzVerdict
{
    /// <summary>Taken (stored, planned, loaded), perhaps with parts of it refused (<see cref="FuzzOutcome.Reason"/> then says why).</summary>
    Accepted,

    /// <summary>Refused as a whole, with a reason.</summary>
    Refused,

    /// <summary>The path broke its own rules: it threw, or refused without saying why. A bug.</summary>
    Failed,
}

/// <summary>What became of one input: the verdict, the reason counted for it (a refusal's, or a refused part's), and the detail.</summary>
/// <param name="Verdict">Accepted, refused or failed.</param>
/// <param name="Reason">What the product counts the refusal under (<c>malformed_json</c>, <c>UnknownTimeZone</c>...); null when nothing was refused.</param>
/// <param name="Detail">The product's words for the refusal, or what failed.</param>
public readonly record struct FuzzOutcome(FuzzVerdict Verdict, string? Reason, string? Detail)
{
    public static FuzzOutcome Accepted { get; } = new(FuzzVerdict.Accepted, null, null);

    /// <summary>Taken, with a part of it refused (readings of a batch, say).</summary>
    public static FuzzOutcome AcceptedInPart(string reason, string detail) => new(FuzzVerdict.Accepted, reason, detail);

    /// <summary>Refused with a reason; a reason or detail that is empty is itself a failure.</summary>
    public static FuzzOutcome Refused(string? reason, string? detail) =>
        string.IsNullOrWhiteSpace(reason) || string.IsNullOrWhiteSpace(detail)
            ? Failed($"refused without saying why (reason '{reason}', detail '{detail}')")
            : new(FuzzVerdict.Refused, reason, detail);

    public static FuzzOutcome Failed(string what) => new(FuzzVerdict.Failed, "failure", what);

    /// <summary>The path threw where it must refuse instead.</summary>
    public static FuzzOutcome Threw(Exception exception) => Failed($"threw {exception}");
}

namespace Telemetry.InfluxDb;

/// <summary>How <see cref="InfluxClient"/> sends credentials.</summary>
public enum InfluxAuthentication
{
    /// <summary>HTTP Basic authentication (<c>Authorization: Basic</c>) when a user name is set; the default.</summary>
    Basic,

    /// <summary>The <c>u</c> and <c>p</c> query-string parameters of the 1.x API (they may end up in proxy logs).</summary>
    QueryString,

    /// <summary><c>Authorization: Token &lt;password&gt;</c>, for the v1-compatibility API of InfluxDB 2.x/3.x
    /// (put the API token in <see cref="InfluxClientOptions.Password"/>).</summary>
    Token,
}

/// <summary>Settings of an <see cref="InfluxClient"/>. Can be bound from configuration.</summary>
public sealed record InfluxClientOptions
{
    /// <summary>The server's base address, e.g. <c>http://localhost:8086/</c> (a path prefix is kept).</summary>
    public Uri BaseAddress { get; init; } = new("http://localhost:8086/");

    /// <summary>The database written to, and queried when a query names no other.</summary>
    public string Database { get; init; } = string.Empty;

    /// <summary>The retention policy written to; null or empty for the database's default.</summary>
    public string? RetentionPolicy { get; init; }

    /// <summary>The user name; null or empty for no authentication (unless <see cref="Authentication"/> is Token).</summary>
    public string? Username { get; init; }

    /// <summary>The password (or the API token for <see cref="InfluxAuthentication.Token"/>).</summary>
    public string? Password { get; init; }

    /// <summary>How credentials are sent.</summary>
    public InfluxAuthentication Authentication { get; init; } = InfluxAuthentication.Basic;

    /// <summary>Whether write bodies are gzip-compressed (<c>Content-Encoding: gzip</c>). On by default.</summary>
    public bool Gzip { get; init; } = true;

    /// <summary>The time one HTTP attempt may take before it is abandoned (and retried).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times a request is tried in all (1 = no retry). Network errors, timeouts,
    /// 5xx, 408 and 429 answers are retried; other answers are not.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The delay before the first retry; it doubles with each retry up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest delay between two attempts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The share of each delay that is random (0 = none, 1 = anywhere between zero and the delay),
    /// so that clients restarting together do not retry in lockstep.</summary>
    public double BackoffJitter { get; init; } = 0.5;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public void Validate()
    {
        if (BaseAddress is null || !BaseAddress.IsAbsoluteUri || (BaseAddress.Scheme != Uri.UriSchemeHttp && BaseAddress.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"{nameof(BaseAddress)} must be an absolute http or https address.", nameof(BaseAddress));
        }

        if (string.IsNullOrWhiteSpace(Database))
        {
            throw new ArgumentException($"{nameof(Database)} must be set.", nameof(Database));
        }

        if (RequestTimeout <= TimeSpan.Zero && RequestTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"{nameof(RequestTimeout)} must be positive.", nameof(RequestTimeout));
        }

        if (MaxAttempts < 1)
        {
            throw new ArgumentException($"{nameof(MaxAttempts)} must be at least 1.", nameof(MaxAttempts));
        }

        if (InitialBackoff < TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            throw new ArgumentException($"{nameof(InitialBackoff)} must be non-negative and at most {nameof(MaxBackoff)}.", nameof(InitialBackoff));
        }

        if (!(BackoffJitter is >= 0 and <= 1))
        {
            throw new ArgumentException($"{nameof(BackoffJitter)} must be between 0 and 1.", nameof(BackoffJitter));
        }

        if (Authentication == InfluxAuthentication.Token && string.IsNullOrEmpty(Password))
        {
            throw new ArgumentException($"Token authentication needs the token in {nameof(Password)}.", nameof(Password));
        }
    }
}

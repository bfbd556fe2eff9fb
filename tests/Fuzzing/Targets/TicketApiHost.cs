using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Api.Access;
using Telemetry.Fuzzing.Inputs;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Tickets;

namespace Telemetry.Fuzzing.Targets;

/// <summary>
/// The ticket endpoints in-process: their own handlers made into request delegates by ASP.NET Core's own factory
/// (so route values and query strings go through the binding the service has), with the services the Api
/// registers and the SQLite ticket store on an empty temporary database. What reaches the store is shown.
/// </summary>
internal sealed class TicketApiHost : IDisposable
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), "telemetry-fuzz", $"api-{Environment.ProcessId}-{Guid.NewGuid():N}.db");
    private readonly ServiceProvider _services;
    private readonly MemoryStream _response = new();

    public TicketApiHost()
    {
        var clock = new FakeTimeProvider(ValidDocuments.Now);
        var store = new SqliteTicketRepository(new SqliteDatabase(_database), new TicketOptions(), clock);
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(RecordingTicketRepository.Around(store, query => Stored = query))
            .AddSingleton<TimeProvider>(clock)
            .BuildServiceProvider();
    }

    /// <summary>The query the last request handed the store; null when it did not reach it.</summary>
    public TicketQuery? Stored { get; private set; }

    /// <summary>The body of the last response.</summary>
    public string Body => Encoding.UTF8.GetString(_response.GetBuffer(), 0, (int)_response.Length);

    /// <summary>
    /// A request delegate of <paramref name="handler"/> as the service has it, except that a parameter that cannot
    /// be bound throws <see cref="BadHttpRequestException"/> with its reason instead of answering a bare 400.
    /// </summary>
    public RequestDelegate Endpoint(Delegate handler) =>
        RequestDelegateFactory.Create(handler, new RequestDelegateFactoryOptions { ServiceProvider = _services, ThrowOnBadRequest = true }).RequestDelegate;

    // The handlers run as a signed-in operator, who sees every ticket: authorization is the service's, not the fuzz target's.
    private static readonly ClaimsPrincipal Operator =
        Policies.Principal(new ApiUser("fuzz.operator", new HashSet<Role> { Role.Operator }, new HashSet<string>(), null), "fuzz");

    /// <summary>Runs a GET request; its status code.</summary>
    /// <param name="endpoint">The endpoint's request delegate.</param>
    /// <param name="path">The route, for diagnostics only: routing has already decoded its values.</param>
    /// <param name="query">The query string, raw, without its <c>?</c>.</param>
    /// <param name="number">The route value <c>number</c>, decoded.</param>
    public int Get(RequestDelegate endpoint, PathString path, string query = "", string? number = null)
    {
        Stored = null;
        _response.SetLength(0);
        var context = new DefaultHttpContext { RequestServices = _services, User = Operator };
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString("?" + query);
        if (number is not null)
        {
            context.Request.RouteValues["number"] = number;
        }

        context.Response.Body = _response;

        // The handlers and an empty SQLite store finish without waiting; a fuzz loop has no use for asynchrony. Run
        // outside the caller's synchronisation context (a test runner's), which would take every continuation.
        var caller = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            endpoint(context).GetAwaiter().GetResult();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(caller);
        }

        return context.Response.StatusCode;
    }

    public void Dispose()
    {
        _services.Dispose();
        _response.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _database, _database + "-wal", _database + "-shm" })
        {
            File.Delete(file);
        }
    }
}

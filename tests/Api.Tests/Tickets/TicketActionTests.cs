using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telemetry.Api.Tests.Access;
using Telemetry.Api.Tickets;
using Telemetry.Maintenance.Storage;

namespace Telemetry.Api.Tests.Tickets;

/// <summary>The ticket lifecycle over HTTP, through the Api's real pipeline on a SQLite file of its own.</summary>
public sealed class TicketActionTests(ApiHost host) : IClassFixture<ApiHost>
{
    private const string Resolve = """{"cause":"driver failed","action":"driver replaced","parts_used":["driver","fuse"],"kind":"hardware","note":"fuse was black"}""";

    [Fact]
    public async Task A_ticket_goes_open_acknowledged_on_site_resolved_closed_as_a_crew_and_an_operator_with_who_and_which_client()
    {
        var number = await host.FreshTicketAsync("crew-north");
        using var crew = host.As("crew.li");
        using var operatorClient = host.As("operator.zhang");

        var acknowledged = await PostAsync(crew, $"/api/tickets/{number}/acknowledge", null);
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        Assert.Equal("acknowledged", (await ApiHost.JsonAsync(acknowledged)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(crew, $"/api/tickets/{number}/arrive", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(crew, $"/api/tickets/{number}/resolve", Resolve)).StatusCode);
        var closed = await PostAsync(operatorClient, $"/api/tickets/{number}/close", """{"note":"caller confirms the mast is lit"}""");

        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        var ticket = await ApiHost.JsonAsync(closed);
        Assert.Equal("closed", ticket.GetProperty("status").GetString());
        Assert.Equal("operator.zhang", ticket.GetProperty("closed_by").GetString());
        Assert.Equal("fuse was black", ticket.GetProperty("resolution").GetProperty("note").GetString());
        Assert.Equal(["driver", "fuse"], ticket.GetProperty("resolution").GetProperty("parts_replaced").EnumerateArray().Select(p => p.GetString()));
        var steps = ticket.GetProperty("history").EnumerateArray().Where(s => s.TryGetProperty("client", out var c) && c.ValueKind == JsonValueKind.String).ToList();
        Assert.Equal(["acknowledged", "arrived_on_site", "resolved", "closed"], steps.Select(s => s.GetProperty("what").GetString()));
        Assert.Equal(["crew.li", "crew.li", "crew.li", "operator.zhang"], steps.Select(s => s.GetProperty("actor").GetString()));
        Assert.All(steps, s => Assert.Equal("tests", s.GetProperty("client").GetString()));

        // Within the repeat-repair window after closing, an operator reopens it with a reason.
        var reopened = await PostAsync(operatorClient, $"/api/tickets/{number}/reopen", """{"reason":"dark again the next night"}""");
        Assert.Equal(HttpStatusCode.OK, reopened.StatusCode);
        Assert.Equal("open", (await ApiHost.JsonAsync(reopened)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task After_the_closing_the_survey_and_return_visit_are_listed_as_due_recorded_and_a_bad_satisfaction_is_a_400_naming_it()
    {
        var number = await host.FreshTicketAsync("crew-north", Maintenance.Tickets.TicketStatus.Closed);
        using var operatorClient = host.As("operator.zhang");
        using var crew = host.As("crew.li");

        var owed = (await ApiHost.JsonAsync(await operatorClient.GetAsync($"/api/tickets/{number}"))).GetProperty("follow_ups").EnumerateArray()
            .Where(f => f.GetProperty("open").GetBoolean()).Select(f => f.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["survey", "return_visit"], owed);
        var due = await ApiHost.JsonAsync(await crew.GetAsync("/api/follow-ups?within_hours=720"));
        Assert.Contains(due.GetProperty("follow_ups").EnumerateArray(), f => f.GetProperty("number").GetString() == number && f.GetProperty("kind").GetString() == "survey");

        using var refused = await PostAsync(operatorClient, $"/api/tickets/{number}/survey", """{"satisfaction":9}""");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await ApiHost.JsonAsync(refused)).GetProperty("errors").TryGetProperty("satisfaction", out _));
        using var bad = await operatorClient.GetAsync("/api/follow-ups?within_hours=-1");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        using var surveyed = await PostAsync(operatorClient, $"/api/tickets/{number}/survey", """{"satisfaction":4,"comment":"lit the same night"}""");
        Assert.Equal(HttpStatusCode.OK, surveyed.StatusCode);
        using var visited = await PostAsync(crew, $"/api/tickets/{number}/return-visit", """{"outcome":"all lamps lit"}""");
        Assert.Equal(HttpStatusCode.OK, visited.StatusCode);
        var ticket = await ApiHost.JsonAsync(visited);
        var followUps = ticket.GetProperty("follow_ups").EnumerateArray().ToList();
        Assert.DoesNotContain(followUps, f => f.GetProperty("open").GetBoolean());
        var survey = followUps.Single(f => f.GetProperty("kind").GetString() == "survey");
        Assert.Equal((4, "lit the same night", "operator.zhang"), (survey.GetProperty("satisfaction").GetInt32(), survey.GetProperty("outcome").GetString(), survey.GetProperty("done_by").GetString()));
        Assert.Equal(["followed_up", "followed_up"], ticket.GetProperty("history").EnumerateArray().TakeLast(2).Select(s => s.GetProperty("what").GetString()));

        // Nothing more is owed: a second survey is a 409, and the ticket is off the list.
        using var again = await PostAsync(operatorClient, $"/api/tickets/{number}/survey", """{"satisfaction":5}""");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var after = await ApiHost.JsonAsync(await operatorClient.GetAsync("/api/follow-ups?within_hours=720"));
        Assert.DoesNotContain(after.GetProperty("follow_ups").EnumerateArray(), f => f.GetProperty("number").GetString() == number);
    }

    [Fact]
    public async Task A_cookie_session_is_recorded_as_the_web_client()
    {
        var number = await host.FreshTicketAsync("crew-north");
        using var client = host.As(null);
        using var signedIn = await client.PostAsJsonAsync("/api/auth/sign-in", new { name = "operator.zhang", password = ApiHost.Password });
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tickets/{number}/comment")
        {
            Content = new StringContent("""{"text":"called the crew"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Cookie", Assert.Single(signedIn.Headers.GetValues("Set-Cookie")).Split(';')[0]);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var step = (await ApiHost.JsonAsync(response)).GetProperty("history").EnumerateArray().Last();
        Assert.Equal("commented", step.GetProperty("what").GetString());
        Assert.Equal("web", step.GetProperty("client").GetString());
    }

    [Fact]
    public async Task Reading_a_ticket_and_every_action_carry_its_version_as_ETag_and_a_stale_If_Match_is_412()
    {
        var number = await host.FreshTicketAsync("crew-north");
        using var client = host.As("operator.zhang");
        using var read = await client.GetAsync($"/api/tickets/{number}");
        var etag = read.Headers.ETag?.Tag;
        Assert.Equal($"\"{(await ApiHost.JsonAsync(read)).GetProperty("version").GetInt64()}\"", etag);

        using var commented = await PostAsync(client, $"/api/tickets/{number}/comment", """{"text":"crew called"}""", ifMatch: etag);
        Assert.Equal(HttpStatusCode.OK, commented.StatusCode);
        var current = commented.Headers.ETag?.Tag;
        Assert.NotEqual(etag, current);

        using var stale = await PostAsync(client, $"/api/tickets/{number}/acknowledge", null, ifMatch: etag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);
        Assert.Equal(current, stale.Headers.ETag?.Tag);
        Assert.Equal("open", (await ApiHost.JsonAsync(await client.GetAsync($"/api/tickets/{number}"))).GetProperty("status").GetString());

        // With the current version, or without If-Match, it acts.
        using var fresh = await PostAsync(client, $"/api/tickets/{number}/acknowledge", null, ifMatch: current);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, $"/api/tickets/{number}/arrive", null)).StatusCode);
    }

    [Theory]
    [InlineData("close", """{"note":"verified"}""", "open")]
    [InlineData("arrive", null, "open")]
    [InlineData("reopen", """{"reason":"again"}""", "open")]
    public async Task An_invalid_move_is_a_409_problem_naming_the_state_and_the_action(string action, string? body, string state)
    {
        var number = await host.FreshTicketAsync("crew-north");
        using var client = host.As("operator.zhang");

        using var response = await PostAsync(client, $"/api/tickets/{number}/{action}", body);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await ApiHost.JsonAsync(response);
        Assert.Equal(state, problem.GetProperty("state").GetString());
        Assert.Equal(action, problem.GetProperty("action").GetString());
        Assert.Contains(state, problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, $"/api/tickets/{number}/acknowledge", null)).StatusCode);
    }

    [Fact]
    public async Task A_crew_acting_on_another_crews_ticket_is_403_and_the_ticket_is_unchanged()
    {
        var number = await host.FreshTicketAsync("crew-east");
        using var crew = host.As("crew.li");

        using var response = await PostAsync(crew, $"/api/tickets/{number}/acknowledge", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var operatorClient = host.As("operator.zhang");
        Assert.Equal("open", (await ApiHost.JsonAsync(await operatorClient.GetAsync($"/api/tickets/{number}"))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_same_resolve_sent_twice_with_one_idempotency_key_acts_once()
    {
        var number = await host.FreshTicketAsync("crew-north", Maintenance.Tickets.TicketStatus.OnSite);
        using var crew = host.As("crew.li");
        var key = Guid.NewGuid().ToString();

        using var first = await PostAsync(crew, $"/api/tickets/{number}/resolve", Resolve, key: key);
        using var retry = await PostAsync(crew, $"/api/tickets/{number}/resolve", Resolve, key: key);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        Assert.True(retry.Headers.Contains(ActionAnswer.ReplayedHeader));
        using var operatorClient = host.As("operator.zhang");
        var ticket = await ApiHost.JsonAsync(await operatorClient.GetAsync($"/api/tickets/{number}"));
        Assert.Single(ticket.GetProperty("history").EnumerateArray(), s => s.GetProperty("what").GetString() == "resolved");

        // The key with another request is refused; a new key acts, and resolving twice is an invalid move.
        using var other = await PostAsync(crew, $"/api/tickets/{number}/resolve", Resolve.Replace("driver failed", "lamp failed", StringComparison.Ordinal), key: key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        using var again = await PostAsync(crew, $"/api/tickets/{number}/resolve", Resolve, key: Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task A_retry_while_the_first_request_with_its_key_is_in_progress_is_told_so_and_one_after_its_answer_gets_it()
    {
        var store = host.Factory.Services.GetRequiredService<IdempotencyStore>();
        var hash = IdempotencyStore.HashOf("{}"u8);

        var (first, _) = await store.BeginAsync("crew.li", "k-1", "POST", "/api/tickets/x/arrive", hash, CancellationToken.None);
        var (during, _) = await store.BeginAsync("crew.li", "k-1", "POST", "/api/tickets/x/arrive", hash, CancellationToken.None);
        var (otherUser, _) = await store.BeginAsync("crew.zhao", "k-1", "POST", "/api/tickets/x/arrive", hash, CancellationToken.None);
        await store.CompleteAsync("crew.li", "k-1", new StoredAnswer(200, "application/json", "{}"u8.ToArray(), "\"3\"", null), CancellationToken.None);
        var (after, answer) = await store.BeginAsync("crew.li", "k-1", "POST", "/api/tickets/x/arrive", hash, CancellationToken.None);

        Assert.Equal(IdempotencyOutcome.Started, first);
        Assert.Equal(IdempotencyOutcome.InProgress, during);
        Assert.Equal(IdempotencyOutcome.Started, otherUser);
        Assert.Equal(IdempotencyOutcome.Answered, after);
        Assert.Equal("\"3\"", answer!.ETag);
    }

    [Fact]
    public async Task An_operator_opens_a_ticket_by_hand_for_an_asset_or_from_a_phone_report()
    {
        using var client = host.As("operator.zhang");

        using var forAsset = await PostAsync(client, "/api/tickets",
            $$"""{"asset":"north/gw-1/{{host.NewDevice()}}","fault":"mast_outage","grade":2,"description":"half the mast dark","crew":"crew-north","zone":"second"}""");
        using var reported = await PostAsync(client, "/api/tickets",
            """{"site":"north","location":"corner of Elm and 5th","description":"lamp flickers","fault":"single_lamps_dark","grade":3}""");

        Assert.Equal(HttpStatusCode.Created, forAsset.StatusCode);
        Assert.NotNull(forAsset.Headers.ETag);
        var ticket = await ApiHost.JsonAsync(forAsset);
        Assert.Equal($"/api/tickets/{ticket.GetProperty("number").GetString()}", forAsset.Headers.Location?.OriginalString);
        Assert.Equal("crew-north", ticket.GetProperty("crew").GetString());
        Assert.Equal(HttpStatusCode.Created, reported.StatusCode);
        Assert.Equal("corner of Elm and 5th: lamp flickers", (await ApiHost.JsonAsync(reported)).GetProperty("summary").GetString());
    }

    [Fact]
    public async Task Free_text_with_markup_is_stored_exactly_as_given_and_returned_as_a_json_string()
    {
        var number = await host.FreshTicketAsync("crew-north");
        using var client = host.As("operator.zhang");
        const string Text = "<script>alert('x')</script> & \"quoted\" \u2014 \u8def\u706f\u4e0d\u4eae\n<b>bold</b>";

        using var commented = await PostAsync(client, $"/api/tickets/{number}/comment", JsonSerializer.Serialize(new { text = Text }));
        using var read = await client.GetAsync($"/api/tickets/{number}");

        Assert.Equal(HttpStatusCode.OK, commented.StatusCode);
        Assert.Equal("application/json", read.Content.Headers.ContentType?.MediaType);
        var step = (await ApiHost.JsonAsync(read)).GetProperty("history").EnumerateArray().Last();
        Assert.Equal(Text, step.GetProperty("detail").GetString());
    }

    /// <summary>Hostile values: each is a 400 problem naming the field, and a valid action on the same ticket follows.</summary>
    [Theory]
    [InlineData("%3Cscript%3E", "acknowledge", null, null, "number")]
    [InlineData("YW2611-99999999999999999999", "acknowledge", null, null, "number")]
    [InlineData("", "resolve", null, null, "body")]
    [InlineData("", "resolve", "[1,2]", null, "body")]
    [InlineData("", "resolve", """{"cause":""", null, "body")]
    [InlineData("", "resolve", """{"cause":5,"action":"x","kind":"hardware"}""", null, "cause")]
    [InlineData("", "resolve", """{"cause":"x","action":"y","kind":"firmware"}""", null, "kind")]
    [InlineData("", "resolve", """{"cause":"x","action":"y","kind":"hardware","parts_used":"lamp"}""", null, "parts_used")]
    [InlineData("", "resolve", """{"cause":"x","action":"y","kind":"hardware","parts_used":[1]}""", null, "parts_used")]
    [InlineData("", "resolve", """{"cause":"x","action":"   ","kind":"hardware"}""", null, "action")]
    [InlineData("", "resolve", """{"cause":"x","action":"y","kind":"hardware","admin":true}""", null, "admin")]
    [InlineData("", "regrade", """{"grade":7,"reason":"x"}""", null, "grade")]
    [InlineData("", "regrade", """{"grade":"1","reason":"x"}""", null, "grade")]
    [InlineData("", "regrade", """{"grade":1.5,"reason":"x"}""", null, "grade")]
    [InlineData("", "regrade", """{"grade":1}""", null, "reason")]
    [InlineData("", "reassign", """{"crew":"<script>alert(1)</script>"}""", null, "crew")]
    [InlineData("", "reassign", """{"crew":"crew-east","zone":"moon"}""", null, "zone")]
    [InlineData("", "reassign", """{"crew":["crew-east"]}""", null, "crew")]
    [InlineData("", "reopen", """{"reason":null}""", null, "reason")]
    [InlineData("", "resolve", """{"cause":"x","action":"y","kind":"hardware","note":true}""", null, "note")]
    [InlineData("", "close", """{"note":42}""", null, "note")]
    [InlineData("", "close", "{}", null, "note")]
    [InlineData("", "reopen", """{"reason":["dark"]}""", null, "reason")]
    [InlineData("", "regrade", """{"grade":null,"reason":"x"}""", null, "grade")]
    [InlineData("", "comment", """{"text":"a\u0000b"}""", null, "text")]
    [InlineData("", "comment", """{"text":{"html":"<b>"}}""", null, "text")]
    [InlineData("", "comment", "{\"text\":\"ok\"}", "If-Match: W/\"x\"", "If-Match")]
    [InlineData("", "comment", "{\"text\":\"ok\"}", "Idempotency-Key: 129kkkkk", "Idempotency-Key")]
    public async Task A_hostile_value_is_a_400_problem_naming_the_field_and_a_valid_action_follows(
        string number, string action, string? body, string? header, string field)
    {
        var ticket = await host.FreshTicketAsync("crew-north", Maintenance.Tickets.TicketStatus.OnSite);
        using var client = host.As("operator.zhang");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tickets/{(number.Length > 0 ? number : ticket)}/{action}");
        request.Content = new StringContent(body ?? "", Encoding.UTF8, "application/json");
        if (header is not null)
        {
            var (name, value) = (header[..header.IndexOf(':', StringComparison.Ordinal)], header[(header.IndexOf(':', StringComparison.Ordinal) + 2)..]);
            request.Headers.TryAddWithoutValidation(name, value == "129kkkkk" ? new string('k', 129) : value);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await ApiHost.AssertNamesAsync(response, field);
        Assert.Equal("on_site", (await ApiHost.JsonAsync(await client.GetAsync($"/api/tickets/{ticket}"))).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, $"/api/tickets/{ticket}/resolve", Resolve)).StatusCode);
    }

    [Theory]
    [InlineData("""{"fault":"not_a_fault","grade":2,"description":"x","asset":"north/gw-1/mast-9"}""", "fault")]
    [InlineData("""{"fault":"mast_outage","grade":0,"description":"x","asset":"north/gw-1/mast-9"}""", "grade")]
    [InlineData("""{"fault":"mast_outage","grade":2,"description":"x","asset":"///"}""", "asset")]
    [InlineData("""{"fault":"mast_outage","grade":2,"description":"x"}""", "asset")]
    [InlineData("""{"fault":"mast_outage","grade":2,"description":"x","site":"north"}""", "location")]
    [InlineData("""{"fault":"mast_outage","grade":2,"description":"x","site":"../etc","location":"here"}""", "site")]
    [InlineData("""{"fault":"mast_outage","grade":2,"asset":"north/gw-1/mast-9"}""", "description")]
    [InlineData("""{"fault":"mast_outage","grade":2,"description":"x","asset":"north/gw-1/mast-9","crew":"Crew North!"}""", "crew")]
    public async Task A_hostile_opening_is_a_400_problem_naming_the_field_and_a_valid_one_follows(string body, string field)
    {
        using var client = host.As("operator.zhang");

        using var response = await PostAsync(client, "/api/tickets", body);

        await ApiHost.AssertNamesAsync(response, field);
        using var valid = await PostAsync(client, "/api/tickets", $$"""{"fault":"mast_outage","grade":2,"description":"x","asset":"north/gw-1/{{host.NewDevice()}}"}""");
        Assert.Equal(HttpStatusCode.Created, valid.StatusCode);
    }

    [Fact]
    public async Task Text_over_its_length_is_400_and_a_body_over_16_KiB_is_413_and_valid_actions_follow()
    {
        var number = await host.FreshTicketAsync("crew-north");
        using var client = host.As("operator.zhang");

        using var longText = await PostAsync(client, $"/api/tickets/{number}/comment", JsonSerializer.Serialize(new { text = new string('x', 5000) }));
        using var huge = await PostAsync(client, $"/api/tickets/{number}/comment", JsonSerializer.Serialize(new { text = new string('<', 100 * 1024) }));

        await ApiHost.AssertNamesAsync(longText, "text");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal("application/problem+json", huge.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, $"/api/tickets/{number}/comment", """{"text":"short"}""")).StatusCode);
    }

    [Fact]
    public async Task Past_the_action_limit_a_user_gets_429_with_when_to_retry_and_other_users_are_not_slowed()
    {
        var limited = new ApiHost(new Dictionary<string, string> { ["Api:ActionsPerMinute"] = "3" });
        await limited.InitializeAsync();
        try
        {
            await ActAsOneUserPastTheLimitAsync(limited);
        }
        finally
        {
            await limited.DisposeAsync();
        }
    }

    private static async Task ActAsOneUserPastTheLimitAsync(ApiHost limited)
    {
        var number = await limited.FreshTicketAsync("crew-north");
        using var crew = limited.As("crew.li");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(crew, $"/api/tickets/{number}/comment", """{"text":"on my way"}""")).StatusCode);
        }

        using var refused = await PostAsync(crew, $"/api/tickets/{number}/comment", """{"text":"on my way"}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using var operatorClient = limited.As("operator.zhang");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(operatorClient, $"/api/tickets/{number}/comment", """{"text":"noted"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await crew.GetAsync($"/api/tickets/{number}")).StatusCode);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string? body, string? ifMatch = null, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }

        if (key is not null)
        {
            request.Headers.Add(TicketActionPipeline.IdempotencyKeyHeader, key);
        }

        return await client.SendAsync(request);
    }
}

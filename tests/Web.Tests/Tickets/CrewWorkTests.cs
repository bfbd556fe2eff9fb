using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Telemetry.Web.Tests.Tickets;

/// <summary>
/// The crew's work on a phone: the list of its crews' open tickets, one tap for the next step, the resolve form, and the
/// ticket page with its actions, seen live by an operator at a desk; by keyboard, on a slow link, and with axe.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class CrewWorkTests(WebFixture web, ITestOutputHelper output)
{
    [Fact]
    public async Task A_crew_on_a_phone_acknowledges_arrives_and_resolves_while_the_operator_sees_each_step_live()
    {
        var number = await TicketRig.OpenAsync(web, "box-02", "door_open");

        await using var desk = await web.SignInAsync(web.Operator);
        await desk.Page.GotoAsync($"/tickets/{number}");
        var deskStatus = desk.Page.GetByTestId("ticket-status");
        await Assertions.Expect(deskStatus).ToHaveTextAsync("Open");
        var deskVersion = desk.Page.GetByTestId("ticket");

        // The Chinese phone first: the trade's words.
        await using (var chinese = await web.SignInAsync(web.Crew, "zh-CN", TicketRig.Phone))
        {
            await chinese.Page.WaitForURLAsync("**/my-work");
            var card = TicketRig.Card(chinese.Page, number);
            await Assertions.Expect(card.Locator("h2")).ToHaveTextAsync("箱门未关");
            await Assertions.Expect(card.GetByTestId("work-status")).ToHaveTextAsync("待响应");
            await Assertions.Expect(card.GetByTestId("work-step")).ToHaveTextAsync("响应");
            await Assertions.Expect(card.GetByTestId("time-left")).ToContainTextAsync("剩余时间");
            await Assertions.Expect(chinese.Page.Locator("h1")).ToHaveTextAsync("我的工单");
            await WebFixture.ScreenshotAsync(chinese.Page, "my-work.zh-CN");
        }

        await using var phone = await web.SignInAsync(web.Crew, "en", TicketRig.Phone);
        var page = phone.Page;
        await page.WaitForURLAsync("**/my-work");
        var mine = TicketRig.Card(page, number);
        await Assertions.Expect(mine.GetByTestId("work-step")).ToHaveTextAsync("Acknowledge");
        await Assertions.Expect(mine.GetByTestId("time-left")).ToContainTextAsync("Respond:");
        await WebFixture.ScreenshotAsync(page, "my-work.en");

        // One tap each: the card moves on, and the operator's page shows it without a reload.
        await mine.GetByTestId("work-step").ClickAsync();
        await Assertions.Expect(mine).ToHaveAttributeAsync("data-status", "acknowledged");
        await Assertions.Expect(mine.GetByTestId("work-step")).ToHaveTextAsync("Arrived on site");
        await Assertions.Expect(mine.GetByTestId("time-left")).ToContainTextAsync("Arrive:");
        await Assertions.Expect(deskStatus).ToHaveTextAsync("Acknowledged");

        await mine.GetByTestId("work-step").ClickAsync();
        await Assertions.Expect(mine).ToHaveAttributeAsync("data-status", "on_site");
        await Assertions.Expect(deskStatus).ToHaveTextAsync("On site");

        // Resolve opens the short form on the card.
        await mine.GetByTestId("work-step").ClickAsync();
        var form = mine.GetByTestId("resolve-form");
        await form.GetByLabel("Cause").FillAsync("Door lock worn");
        await form.GetByLabel("Action taken").FillAsync("Replaced the lock, door shut");
        await form.GetByLabel("Part", new() { Exact = true }).FillAsync("Door lock");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add part" }).ClickAsync();
        await Assertions.Expect(form.GetByTestId("parts")).ToContainTextAsync("Door lock");
        await form.GetByText("Hardware", new() { Exact = true }).ClickAsync();
        await form.GetByLabel("Note").FillAsync("Checked the breakers too");
        await WebFixture.ScreenshotAsync(page, "my-work-resolve.en");
        await form.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await Assertions.Expect(mine).ToHaveAttributeAsync("data-status", "resolved");
        await Assertions.Expect(mine).ToContainTextAsync("Waiting for verification");
        await Assertions.Expect(deskStatus).ToHaveTextAsync("Resolved");
        await Assertions.Expect(desk.Page.GetByTestId("resolution")).ToContainTextAsync("Door lock worn");

        // The ticket page on the phone: history with who, when and from where, the place with a maps link.
        await mine.GetByRole(AriaRole.Link).ClickAsync();
        await page.WaitForURLAsync($"**/tickets/{number}");
        await Assertions.Expect(page.GetByTestId("ticket-status")).ToHaveTextAsync("Resolved");
        var history = page.GetByTestId("history");
        foreach (var step in new[] { "acknowledged", "arrived_on_site", "resolved" })
        {
            await Assertions.Expect(history.Locator($"li[data-step={step}]")).ToContainTextAsync("web.crew");
            await Assertions.Expect(history.Locator($"li[data-step={step}]")).ToContainTextAsync("From: Web");
        }

        var geo = await page.GetByTestId("geo-link").GetAttributeAsync("href");
        Assert.Matches(@"^geo:-?\d+\.\d+,-?\d+\.\d+\?q=-?\d+\.\d+,-?\d+\.\d+\(.+\)$", geo);
        await Assertions.Expect(page.GetByTestId("coordinates")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^-?\d+\.\d{6}, -?\d+\.\d{6}$"));
        await WebFixture.ScreenshotAsync(page, "ticket.en");

        // The crew may not close; the operator may, and an empty note is refused first.
        Assert.Equal(0, await page.Locator("[data-testid=ticket-actions] [data-step=close]").CountAsync());
        await desk.Page.Locator("[data-testid=ticket-actions] [data-step=close]").ClickAsync();
        var closing = desk.Page.GetByTestId("step-form");
        await closing.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Assertions.Expect(closing).ToContainTextAsync("Required.");
        await Assertions.Expect(deskStatus).ToHaveTextAsync("Resolved");
        await closing.GetByLabel("Verification note").FillAsync("Customer checked the door");
        await closing.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Assertions.Expect(deskStatus).ToHaveTextAsync("Closed");
        await Assertions.Expect(page.GetByTestId("ticket-status")).ToHaveTextAsync("Closed");

        var stored = await web.Rig.TicketAsync(number);
        Assert.Equal("closed", stored.GetProperty("status").GetString());
        Assert.Equal(["Door lock"], stored.GetProperty("resolution").GetProperty("parts_replaced").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("hardware", stored.GetProperty("resolution").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task From_the_ticket_page_Tab_reaches_the_acknowledge_button_and_Enter_takes_the_step()
    {
        var number = await TicketRig.OpenAsync(web, "box-02", "breaker_tripped", grade: 2);
        await using var phone = await web.SignInAsync(web.Crew, "en", TicketRig.Phone);
        var page = phone.Page;
        await page.GotoAsync($"/tickets/{number}");
        await Assertions.Expect(page.GetByTestId("ticket-status")).ToHaveTextAsync("Open");

        var presses = await TicketRig.TabToAsync(page, "[data-step=acknowledge]");
        Assert.True(presses is not null, "Tab never reached the acknowledge button");
        output.WriteLine($"Tab presses to the acknowledge button: {presses}");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("ticket-status")).ToHaveTextAsync("Acknowledged");
        await Assertions.Expect(page.GetByTestId("step-message")).ToContainTextAsync("Done: Acknowledge");

        // The next step is reachable the same way.
        presses = await TicketRig.TabToAsync(page, "[data-step=arrive]");
        Assert.True(presses is not null, "Tab never reached the arrive button");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("ticket-status")).ToHaveTextAsync("On site");
    }

    [Fact]
    public async Task A_resolve_without_a_cause_names_the_field_then_a_full_one_is_taken()
    {
        var number = await TicketRig.OpenAsync(web, "box-02", "phase_lost", grade: 2);
        await TicketRig.StepAsync(web, number, "acknowledge");
        await using var phone = await web.SignInAsync(web.Crew, "en", TicketRig.Phone);
        var page = phone.Page;
        await page.GotoAsync($"/tickets/{number}");
        await Assertions.Expect(page.GetByTestId("ticket-status")).ToHaveTextAsync("Acknowledged");

        await page.Locator("[data-testid=ticket-actions] [data-step=resolve]").ClickAsync();
        var form = page.GetByTestId("resolve-form");
        await form.GetByLabel("Action taken").FillAsync("Reset the phase relay remotely");
        await form.GetByText("Software", new() { Exact = true }).ClickAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();

        var cause = form.GetByLabel("Cause");
        await Assertions.Expect(cause).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(form).ToContainTextAsync("Required.");
        await Assertions.Expect(page.GetByTestId("ticket-status")).ToHaveTextAsync("Acknowledged");

        await cause.FillAsync("Phase relay stuck");
        await form.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("ticket-status")).ToHaveTextAsync("Resolved");
        await Assertions.Expect(page.GetByTestId("resolution")).ToContainTextAsync("Phase relay stuck");
        Assert.Equal("resolved", (await web.Rig.TicketAsync(number)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_step_over_a_version_the_user_no_longer_sees_says_so_in_the_users_language_and_the_next_try_is_taken()
    {
        var number = await TicketRig.OpenAsync(web, "box-02", "high_leakage", grade: 3);
        await using var phone = await web.SignInAsync(web.Crew, "zh-CN", TicketRig.Phone);
        var page = phone.Page;
        await page.GotoAsync($"/tickets/{number}");
        await Assertions.Expect(page.GetByTestId("ticket-status")).ToHaveTextAsync("待响应");
        await page.Locator("[data-testid=ticket-actions] [data-step=comment]").ClickAsync();
        var commenting = page.GetByTestId("step-form");
        await commenting.GetByLabel("备注内容").FillAsync("已出发");

        // The operator comments and the crew sends at once, before the change reaches the page live: the crew's step
        // goes with the version it saw and is refused. The page shows the ticket anew, with the operator's comment.
        var stale = false;
        for (var attempt = 1; attempt <= 20 && !stale; attempt++)
        {
            await commenting.GetByLabel("备注内容").BlurAsync();
            using var other = await web.Rig.ApiClient.PostAsync(
                new Uri(web.BaseAddress, $"/api/tickets/{number}/comment"),
                new StringContent($$"""{"text":"客户再次来电 {{attempt}}"}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.True(other.IsSuccessStatusCode);

            // Sent as Enter in the form would, without the wait for the button a click makes.
            await page.EvaluateAsync("() => document.querySelector('[data-testid=step-form]').requestSubmit()");
            var message = page.GetByTestId("step-message");
            await Assertions.Expect(message).ToBeVisibleAsync();
            stale = (await message.InnerTextAsync()).Contains("工单已被他人更新", StringComparison.Ordinal);
            output.WriteLine($"attempt {attempt}: {(stale ? "refused as changed" : "taken over the new version")}");
            if (!stale)
            {
                // The change came live first and the comment was taken: try again.
                await page.Locator("[data-testid=ticket-actions] [data-step=comment]").ClickAsync();
                await commenting.GetByLabel("备注内容").FillAsync("已出发");
            }
        }

        Assert.True(stale, "the crew's comment always came after the operator's change reached the page");
        var before = await web.Rig.TicketAsync(number);
        await Assertions.Expect(page.GetByTestId("ticket")).ToHaveAttributeAsync("data-version", before.GetProperty("version").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("history").Locator("li").First).ToContainTextAsync("客户再次来电");
        await WebFixture.ScreenshotAsync(page, "ticket-changed.zh-CN");

        // The form is still there with the words typed; sent again, over the version now shown, it is taken.
        await commenting.GetByRole(AriaRole.Button, new() { Name = "备注" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("step-message")).ToContainTextAsync("已完成");
        await Assertions.Expect(page.GetByTestId("history").Locator("li").First).ToContainTextAsync("已出发");
        var after = await web.Rig.TicketAsync(number);
        Assert.Equal(before.GetProperty("version").GetInt64() + 1, after.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task A_crew_member_gets_the_not_allowed_view_for_another_crews_ticket_and_a_missing_one_is_named()
    {
        var others = await TicketRig.OpenAsync(web, "box-02", "surge_protector_spent", crew: "crew-north");
        await using var phone = await web.SignInAsync(web.Crew, "en", TicketRig.Phone);
        var page = phone.Page;
        await page.GotoAsync($"/tickets/{others}");
        await Assertions.Expect(page.GetByTestId("not-allowed")).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByTestId("ticket").CountAsync());
        await page.GotoAsync("/my-work");
        await Assertions.Expect(page.GetByTestId("my-work").Locator("h1")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("work-count")).ToBeVisibleAsync();
        Assert.Equal(0, await TicketRig.Card(page, others).CountAsync());

        await page.GotoAsync("/tickets/YW9901-9999");
        await Assertions.Expect(page.GetByTestId("ticket-not-found")).ToContainTextAsync("There is no ticket YW9901-9999.");

        // The operator sees it, and its crew's work list for operators holds it.
        await using var desk = await web.SignInAsync(web.Operator);
        await desk.Page.GotoAsync($"/tickets/{others}");
        await Assertions.Expect(desk.Page.GetByTestId("ticket-status")).ToHaveTextAsync("Open");
        await desk.Page.GotoAsync("/my-work");
        await Assertions.Expect(TicketRig.Card(desk.Page, others)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Each_role_gets_the_buttons_its_policies_allow_and_the_operators_regrade_and_reassign_reach_the_crew_live()
    {
        var number = await TicketRig.OpenAsync(web, "mast-02", "lamp_ring_lowered", grade: 3);
        await using var phone = await web.SignInAsync(web.Crew, "en", TicketRig.Phone);
        await phone.Page.WaitForURLAsync("**/my-work");
        var card = TicketRig.Card(phone.Page, number);
        await Assertions.Expect(card).ToContainTextAsync("Grade 3");

        Assert.Equal(["acknowledge", "comment"], await StepsOnAsync(phone.Page, number, back: "/my-work"));
        await Assertions.Expect(card).ToBeVisibleAsync();
        await using (var engineer = await web.SignInAsync(web.Engineer))
        {
            Assert.Equal(["comment", "regrade"], await StepsOnAsync(engineer.Page, number));
        }

        await using var desk = await web.SignInAsync(web.Operator);
        Assert.Equal(["acknowledge", "comment", "reassign", "regrade"], await StepsOnAsync(desk.Page, number));
        var actions = desk.Page.GetByTestId("ticket-actions");

        // Regrade: a reason is required; with one, the grade changes and the crew's card shows it without a reload.
        await actions.Locator("[data-step=regrade]").ClickAsync();
        var form = desk.Page.GetByTestId("step-form");
        await form.Locator(".mud-select").First.ClickAsync();
        await desk.Page.Locator(".mud-popover-open").GetByText("Grade 2", new() { Exact = true }).ClickAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "Regrade" }).ClickAsync();
        await Assertions.Expect(form).ToContainTextAsync("Required.");
        await form.GetByLabel("Reason").FillAsync("Ring lowered over a main road");
        await form.GetByRole(AriaRole.Button, new() { Name = "Regrade" }).ClickAsync();
        await Assertions.Expect(desk.Page.GetByTestId("ticket")).ToContainTextAsync("Grade 2");
        await Assertions.Expect(card).ToContainTextAsync("Grade 2");

        // Reassign to another crew: the ticket leaves this crew's list live.
        await actions.Locator("[data-step=reassign]").ClickAsync();
        await form.Locator(".mud-select").First.ClickAsync();
        await desk.Page.Locator(".mud-popover-open").GetByText("crew-north", new() { Exact = true }).ClickAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "Reassign" }).ClickAsync();
        await Assertions.Expect(desk.Page.GetByTestId("history").Locator("li").First).ToContainTextAsync("crew-masts (inner) -> crew-north (inner)");
        await Assertions.Expect(card).ToHaveCountAsync(0);
        Assert.Equal("crew-north", (await web.Rig.TicketAsync(number)).GetProperty("crew").GetString());
    }

    /// <summary>The steps the ticket page offers the signed-in user, by their names.</summary>
    private static async Task<string[]> StepsOnAsync(IPage page, string number, string? back = null)
    {
        await page.GotoAsync($"/tickets/{number}");
        var buttons = page.GetByTestId("ticket-actions").Locator("[data-step]");
        await Assertions.Expect(buttons.First).ToBeVisibleAsync();
        var steps = (await buttons.EvaluateAllAsync<string[]>("all => all.map(b => b.dataset.step)"));
        if (back is not null)
        {
            await page.GotoAsync(back);
        }

        return steps;
    }

    [Fact]
    public async Task The_list_puts_the_nearest_deadline_first_not_the_newest_ticket()
    {
        // Grade 1 must be acknowledged within 10 minutes, grade 4 within 2 hours: the older grade 1 comes first.
        var urgent = await TicketRig.OpenAsync(web, "mast-02", "mast_outage", grade: 1);
        var later = await TicketRig.OpenAsync(web, "box-02", "low_insulation", grade: 4);
        await using var phone = await web.SignInAsync(web.Crew, "en", TicketRig.Phone);
        var page = phone.Page;
        await page.WaitForURLAsync("**/my-work");
        await Assertions.Expect(TicketRig.Card(page, later)).ToBeVisibleAsync();
        var order = await page.Locator("[data-testid=work-card]").EvaluateAllAsync<string[]>("all => all.map(c => c.dataset.ticket)");
        Assert.True(Array.IndexOf(order, urgent) < Array.IndexOf(order, later), $"order: {string.Join(", ", order)}");
        await Assertions.Expect(TicketRig.Card(page, urgent).GetByTestId("time-left")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s*Respond: (9|10) min left\s*$"));
        await Assertions.Expect(TicketRig.Card(page, later).GetByTestId("time-left")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s*Respond: 1 h 5\d min left\s*$"));

        // An engineer does not work tickets: the page refuses, and the menu does not offer it.
        await using var engineer = await web.SignInAsync(web.Engineer);
        await engineer.Page.GotoAsync("/my-work");
        await Assertions.Expect(engineer.Page.GetByTestId("not-allowed")).ToBeVisibleAsync();
        Assert.Equal(0, await engineer.Page.GetByTestId("my-work").CountAsync());
    }

    [Fact]
    public async Task On_a_slow_link_the_list_loads_and_acknowledging_works()
    {
        var number = await TicketRig.OpenAsync(web, "mast-02", "lift_fault", grade: 2);
        await using var phone = await web.SignInAsync(web.Crew, "en", TicketRig.Phone);
        var page = phone.Page;
        await page.WaitForURLAsync("**/my-work");
        await page.GotoAsync("about:blank");

        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Network.enable");
        await cdp.SendAsync("Network.setCacheDisabled", new Dictionary<string, object> { ["cacheDisabled"] = true });
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false,
            ["latency"] = 400,
            ["downloadThroughput"] = 400 * 1000 / 8,
            ["uploadThroughput"] = 400 * 1000 / 8,
        });
        long http = 0;
        long socket = 0;
        var frames = 0;
        var urls = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        var sizes = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        cdp.Event("Network.responseReceived").OnEvent += (_, e) =>
        {
            if (e is { } r)
            {
                var response = r.GetProperty("response");
                var encoding = response.GetProperty("headers").EnumerateObject().FirstOrDefault(h => h.Name.Equals("content-encoding", StringComparison.OrdinalIgnoreCase)).Value;
                urls[r.GetProperty("requestId").GetString()!] = $"{new Uri(response.GetProperty("url").GetString()!).AbsolutePath} ({(encoding.ValueKind == JsonValueKind.String ? encoding.GetString() : "identity")})";
            }
        };
        cdp.Event("Network.loadingFinished").OnEvent += (_, e) =>
        {
            var bytes = (long)(e?.GetProperty("encodedDataLength").GetDouble() ?? 0);
            Interlocked.Add(ref http, bytes);
            sizes[e?.GetProperty("requestId").GetString() ?? ""] = bytes;
        };
        cdp.Event("Network.webSocketFrameReceived").OnEvent += (_, e) =>
        {
            Interlocked.Add(ref socket, e?.GetProperty("response").GetProperty("payloadData").GetString()?.Length ?? 0);
            Interlocked.Increment(ref frames);
        };

        var clock = Stopwatch.StartNew();
        await page.GotoAsync("/my-work", new() { Timeout = 120_000 });
        var card = TicketRig.Card(page, number);
        await Assertions.Expect(card.GetByTestId("work-step")).ToHaveTextAsync("Acknowledge", new() { Timeout = 120_000 });
        var loaded = clock.Elapsed;
        var loadedBytes = Interlocked.Read(ref http) + Interlocked.Read(ref socket);

        clock.Restart();
        await card.GetByTestId("work-step").ClickAsync();
        await Assertions.Expect(card).ToHaveAttributeAsync("data-status", "acknowledged", new() { Timeout = 60_000 });
        var acknowledged = clock.Elapsed;

        output.WriteLine($"400 kbit/s, 400 ms latency: /my-work usable after {loaded.TotalSeconds:0.0} s, {loadedBytes / 1024.0:0.0} KiB "
            + $"({Interlocked.Read(ref http) / 1024.0:0.0} KiB over HTTP, {Interlocked.Read(ref socket) / 1024.0:0.0} KiB in {frames} frames over the socket)");
        output.WriteLine($"acknowledge seen on the card after {acknowledged.TotalSeconds:0.0} s");
        foreach (var (request, bytes) in sizes.OrderByDescending(s => s.Value).Take(8))
        {
            output.WriteLine($"  {bytes / 1024.0,7:0.0} KiB {urls.GetValueOrDefault(request, request)}");
        }

        Assert.Equal("acknowledged", (await web.Rig.TicketAsync(number)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task My_work_and_the_ticket_page_on_a_phone_have_no_serious_accessibility_violations()
    {
        var number = await TicketRig.OpenAsync(web, "mast-02", "door_open", grade: 1);
        await using var phone = await web.SignInAsync(web.Crew, "en", TicketRig.Phone);
        var page = phone.Page;
        await page.GotoAsync("/my-work");
        await Assertions.Expect(TicketRig.Card(page, number)).ToBeVisibleAsync();
        output.WriteLine("/my-work:");
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);

        await page.GotoAsync($"/tickets/{number}");
        await Assertions.Expect(page.GetByTestId("ticket-status")).ToHaveTextAsync("Open");
        output.WriteLine("/tickets/{number}:");
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);

        // With the resolve form open too.
        await TicketRig.StepAsync(web, number, "acknowledge");
        await Assertions.Expect(page.GetByTestId("ticket-status")).ToHaveTextAsync("Acknowledged");
        await page.Locator("[data-testid=ticket-actions] [data-step=resolve]").ClickAsync();
        await Assertions.Expect(page.GetByTestId("resolve-form")).ToBeVisibleAsync();
        output.WriteLine("/tickets/{number} with the resolve form:");
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);
    }
}

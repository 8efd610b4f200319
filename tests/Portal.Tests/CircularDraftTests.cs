using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Web.Domain;

namespace Portal.Tests;

public sealed class CircularDraftTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private string Deadline => fixture.Clock.GetUtcNow().UtcDateTime.AddDays(14).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private Dictionary<string, string> ValidDraft(string title) => new()
    {
        ["Title"] = title,
        ["Severity"] = "High",
        ["Tlp"] = "Clear",
        ["AcknowledgementDeadline"] = Deadline,
        ["Summary"] = "Do not use the **Redmi 1S**: a lab found it sending contacts, SMS and the IMEI abroad.",
        ["Background"] = "CERT input received.",
        ["RiskAssessment"] = "",
        ["Impact"] = "",
        ["RequiredActions"] = "Stop using the phone for any official purpose.",
        ["References"] = "CERT-In CIVN-2014-0123",
    };

    private async Task<Guid> CreateDraftAsync(PortalClient officer, string title)
    {
        var response = await officer.PostFormAsync("/circulars/new", ValidDraft(title));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return Guid.Parse(response.Headers.Location!.OriginalString.Split('/').Last());
    }

    [Fact]
    public async Task Officer_drafts_a_circular_and_finds_it_in_the_list()
    {
        var officer = await fixture.SignedInAs("officer@portal.example");
        var id = await CreateDraftAsync(officer, "Redmi 1S sends personal data abroad");

        var saved = await fixture.Db(db => db.Circulars.SingleAsync(c => c.Id == id));
        saved.Status.ShouldBe(CircularStatus.Draft);
        saved.Text.Severity.ShouldBe(Severity.High);
        saved.ReferenceNumber.ShouldBeNull("reference numbers are assigned at publication");

        var (_, list) = await officer.GetPageAsync("/circulars?status=Draft&q=redmi");
        list.QuerySelectorAll("tbody tr a").Select(a => a.TextContent).ShouldContain("Redmi 1S sends personal data abroad");

        var (details, page) = await officer.GetPageAsync($"/circulars/{id}");
        details.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelector(".markdown strong")!.TextContent.ShouldBe("Redmi 1S");
    }

    [Fact]
    public async Task A_draft_with_errors_comes_back_with_messages_and_everything_typed()
    {
        var officer = await fixture.SignedInAs("officer@portal.example");
        var before = await fixture.Db(db => db.Circulars.CountAsync());
        var form = ValidDraft(new string('x', 201));
        form["Summary"] = "";
        form["Background"] = "Background the officer typed carefully.";

        var response = await officer.PostFormAsync("/circulars/new", form);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = await response.PageAsync();
        page.Errors().ShouldBe(["Keep the title to 200 characters or fewer (it has 201).", "Write a summary: what is banned and why, in a few sentences."], ignoreOrder: true);
        page.FieldValue("Title").ShouldBe(new string('x', 201));
        page.FieldValue("Background").ShouldBe("Background the officer typed carefully.");
        page.FieldValue("RequiredActions").ShouldBe("Stop using the phone for any official purpose.");
        (page.QuerySelector("select[name=Severity] option[selected]") as AngleSharp.Html.Dom.IHtmlOptionElement)!.Value.ShouldBe("High");
        (await fixture.Db(db => db.Circulars.CountAsync())).ShouldBe(before, "nothing is saved");
    }

    [Fact]
    public async Task A_malformed_value_is_a_field_error_not_a_crash()
    {
        var officer = await fixture.SignedInAs("officer@portal.example");
        var form = ValidDraft("Malformed");
        form["AcknowledgementDeadline"] = "next tuesday";
        form["Severity"] = "Apocalyptic";

        var response = await officer.PostFormAsync("/circulars/new", form);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.PageAsync()).Errors();
        errors.ShouldContain(e => e.Contains("next tuesday", StringComparison.Ordinal));
        errors.ShouldContain(e => e.Contains("Apocalyptic", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_deadline_in_the_past_is_refused()
    {
        var officer = await fixture.SignedInAs("officer@portal.example");
        var form = ValidDraft("Past deadline");
        form["AcknowledgementDeadline"] = fixture.Clock.GetUtcNow().UtcDateTime.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var response = await officer.PostFormAsync("/circulars/new", form);

        (await response.PageAsync()).Errors().ShouldBe(["The acknowledgement deadline cannot be in the past."]);
    }

    [Fact]
    public async Task Json_callers_get_problem_details_with_the_same_messages()
    {
        var response = await PostJsonDraftAsync(new { title = "", severity = "High", tlp = "Green", summary = "s", requiredActions = "a", acknowledgementDeadline = Deadline });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("errors").GetProperty("Title")[0].GetString().ShouldBe("Give the circular a title.");
    }

    [Fact]
    public async Task Json_callers_create_drafts_too()
    {
        var response = await PostJsonDraftAsync(new { title = "From an API", severity = "Low", tlp = "Green", summary = "s", requiredActions = "a", acknowledgementDeadline = Deadline });

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await fixture.Db(db => db.Circulars.AnyAsync(c => c.Text.Title == "From an API"))).ShouldBeTrue();
    }

    [Fact]
    public async Task Malformed_json_is_a_problem_details_400()
    {
        var response = await PostJsonDraftAsync("{ \"title\": ");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    /// <summary>As a cookie-authenticated script would: the antiforgery token travels in X-CSRF-TOKEN.</summary>
    private async Task<HttpResponseMessage> PostJsonDraftAsync(object body)
    {
        var officer = await fixture.SignedInAs("officer@portal.example");
        var token = await officer.AntiforgeryTokenAsync("/circulars/new");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/circulars/drafts")
        {
            Content = body is string raw ? new StringContent(raw, System.Text.Encoding.UTF8, "application/json") : JsonContent.Create(body),
        };
        request.Headers.Add("X-CSRF-TOKEN", token);
        return await officer.Http.SendAsync(request);
    }

    [Fact]
    public async Task Markdown_cannot_run_script()
    {
        var officer = await fixture.SignedInAs("officer@portal.example");
        var form = ValidDraft("Script attempt");
        form["Summary"] = "<script>alert('x')</script> and [click](javascript:alert(1)) and <img src=x onerror=alert(2)>";
        var id = await CreateDraftAsync(officer, "Script attempt");
        var editForm = new Dictionary<string, string>(form);
        var version = await fixture.Db(db => db.Circulars.Where(c => c.Id == id).Select(c => c.Version).SingleAsync());
        editForm["Version"] = version.ToString();
        (await officer.PostFormAsync($"/circulars/{id}/edit", editForm)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var (_, page) = await officer.GetPageAsync($"/circulars/{id}");

        var summary = page.QuerySelector(".markdown")!;
        summary.QuerySelector("script").ShouldBeNull();
        summary.QuerySelector("img").ShouldBeNull();
        summary.TextContent.ShouldContain("<script>alert('x')</script>");
        summary.QuerySelector("a")!.GetAttribute("href").ShouldBe("#");
    }

    [Fact]
    public async Task Editing_a_draft_from_a_stale_form_is_refused_and_keeps_the_typed_text()
    {
        var officer = await fixture.SignedInAs("officer@portal.example");
        var id = await CreateDraftAsync(officer, "Concurrent edit");
        var version = (await fixture.Db(db => db.Circulars.Where(c => c.Id == id).Select(c => c.Version).SingleAsync())).ToString();

        var first = ValidDraft("First editor's title");
        first["Version"] = version;
        (await officer.PostFormAsync($"/circulars/{id}/edit", first)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var second = ValidDraft("Second editor's title");
        second["Version"] = version;
        var response = await officer.PostFormAsync($"/circulars/{id}/edit", second, $"/circulars/{id}/edit");

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var page = await response.PageAsync();
        page.Errors().Single().ShouldStartWith("Someone else changed this record while you were editing it.");
        page.FieldValue("Title").ShouldBe("Second editor's title");
        (await fixture.Db(db => db.Circulars.Where(c => c.Id == id).Select(c => c.Text.Title).SingleAsync())).ShouldBe("First editor's title");
    }

    [Theory]
    [InlineData("staff@portal.example")]
    [InlineData("vendor@xiaomi.example")]
    [InlineData("commander@portal.example")]
    public async Task Staff_vendors_and_commanders_cannot_see_drafts(string email)
    {
        var officer = await fixture.SignedInAs("officer@portal.example");
        var id = await CreateDraftAsync(officer, "Secret draft for " + email);
        var reader = await fixture.SignedInAs(email);

        (await reader.Http.GetAsync($"/circulars/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await reader.Http.GetAsync($"/api/circulars/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var (_, list) = await reader.GetPageAsync("/circulars");
        var titles = list.QuerySelectorAll("tbody tr a").Select(a => a.TextContent.Trim()).ToList();
        titles.ShouldNotContain("Secret draft for " + email);
        titles.ShouldNotContain(Portal.Web.Data.DemoData.CircularAwaitingApprovalTitle, "nor the demo circular awaiting approval");
        (await reader.Http.GetAsync("/circulars/new")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await reader.Http.GetAsync($"/circulars/{id}/edit")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Approver_reads_drafts_but_cannot_write_them()
    {
        var officer = await fixture.SignedInAs("officer@portal.example");
        var id = await CreateDraftAsync(officer, "For the approver");
        var approver = await fixture.SignedInAs("approver@portal.example");

        (await approver.Http.GetAsync($"/circulars/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var forbidden = await approver.Http.GetAsync("/circulars/new");
        forbidden.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await forbidden.PageAsync()).QuerySelector("h1")!.TextContent.ShouldBe("You do not have access to this page");
    }

    [Fact]
    public async Task Unknown_ids_are_a_404_page()
    {
        var officer = await fixture.SignedInAs("officer@portal.example");
        var response = await officer.Http.GetAsync($"/circulars/{Guid.NewGuid()}");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.PageAsync()).QuerySelector("h1")!.TextContent.ShouldBe("Not found");
        (await officer.Http.GetAsync($"/circulars/{Guid.NewGuid()}/edit")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await officer.Http.GetAsync("/circulars/not-a-guid")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_list_pages_and_filters()
    {
        var officer = await fixture.SignedInAs("officer@portal.example");
        for (var i = 0; i < 23; i++)
            await CreateDraftAsync(officer, $"Paging sample {i:00}");

        var (_, first) = await officer.GetPageAsync("/circulars?q=paging+sample");
        first.QuerySelectorAll("tbody tr").Length.ShouldBe(20);
        first.QuerySelector(".pager")!.TextContent.ShouldContain("Page 1 of 2");
        var (_, second) = await officer.GetPageAsync("/circulars?q=paging+sample&page=2");
        second.QuerySelectorAll("tbody tr").Length.ShouldBe(3);
        var (_, none) = await officer.GetPageAsync("/circulars?q=paging+sample&severity=Critical");
        none.QuerySelectorAll("tbody tr").Length.ShouldBe(0);
    }
}

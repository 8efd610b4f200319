namespace Portal.Tests;

public sealed class FamilyMemberTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static Dictionary<string, string> Member(string name, string? email = null, string? mobile = null, bool consent = true) => new()
    {
        ["FullName"] = name,
        ["Relationship"] = "Spouse",
        ["Email"] = email ?? "",
        ["MobileNumber"] = mobile ?? "",
        ["PreferredLanguage"] = "hi",
        ["ConsentToContact"] = consent ? "true" : "false",
    };

    [Fact]
    public async Task A_staff_member_registers_a_family_member_with_consent_and_a_normalised_number()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        var response = await staff.PostFormAsync("/family-members", Member("Asha Staff", "asha@home.example", "+91 98765-43210"));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var saved = await fixture.Db(db => db.Dependents.SingleAsync(d => d.FullName == "Asha Staff"));
        saved.MobileNumber.ShouldBe("+919876543210");
        saved.PreferredLanguage.ShouldBe("hi");
        saved.ConsentToContact.ShouldBeTrue();
        var owner = await fixture.Db(db => db.StaffMembers.SingleAsync(s => s.Id == saved.StaffMemberId));
        (await fixture.Db(db => db.Users.SingleAsync(u => u.Id == owner.UserId))).Email.ShouldBe(Scenarios.Staff);
        (await staff.GetPageAsync("/family-members")).Page.QuerySelector("tbody")!.TextContent.ShouldContain("Asha Staff");
    }

    [Theory]
    [InlineData("not-an-address", "", "is not an e-mail address")]
    [InlineData("", "98765", "is not a mobile number in international form")]
    [InlineData("", "", "Give an e-mail address or a mobile number")]
    [InlineData("", "call me maybe", "is not a mobile number in international form")]
    [InlineData("", "+999 98765 43210", "+999 is not a country code")]
    [InlineData("", "011 2345 6789", "is a landline number")]
    public async Task Bad_contact_details_are_explained_and_what_was_typed_is_kept(string email, string mobile, string message)
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var before = await fixture.Db(db => db.Dependents.CountAsync());

        var response = await staff.PostFormAsync("/family-members", Member("Typed Name", email, mobile));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = await response.PageAsync();
        page.Errors().ShouldContain(e => e.Contains(message));
        page.FieldValue("FullName").ShouldBe("Typed Name");
        page.FieldValue("MobileNumber").ShouldBe(mobile);
        (await fixture.Db(db => db.Dependents.CountAsync())).ShouldBe(before);
    }

    [Fact]
    public async Task A_number_typed_without_a_country_code_is_stored_as_a_number_in_the_home_region()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        var response = await staff.PostFormAsync("/family-members", Member("Dialled Locally", mobile: "098765 43210"));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.Db(db => db.Dependents.SingleAsync(d => d.FullName == "Dialled Locally"))).MobileNumber.ShouldBe("+919876543210");
    }

    [Fact]
    public async Task A_family_member_without_consent_is_kept_but_never_contacted()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        (await staff.PostFormAsync("/family-members", Member("Quiet Relative", "quiet@home.example", consent: false))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var quiet = await fixture.Db(db => db.Dependents.SingleAsync(d => d.FullName == "Quiet Relative"));

        var id = await fixture.PublishedCircularAsync("Families too", Portal.Web.Domain.TlpLabel.Green, "SQ110", families: true);

        (await fixture.Db(db => db.Notifications.CountAsync(n => n.CircularId == id && n.DependentId == quiet.Id))).ShouldBe(0);
        (await fixture.Db(db => db.AcknowledgementRequests.CountAsync(a => a.CircularId == id && a.DependentId == quiet.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task Nobody_changes_another_staff_members_family_but_an_administrator_may()
    {
        var other = await fixture.Db(db => db.Dependents.Where(d => !db.StaffMembers.Any(s => s.Id == d.StaffMemberId && s.UserId != null))
            .Select(d => new { d.Id, d.StaffMemberId }).FirstAsync());
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        (await staff.GetPageAsync($"/family-members/{other.Id}")).Response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await staff.GetPageAsync($"/staff/{other.StaffMemberId}/family-members")).Response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var admin = await fixture.SignedInAs("admin@portal.example");
        var (response, page) = await admin.GetPageAsync($"/staff/{other.StaffMemberId}/family-members");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.PostFormAsync($"/staff/{other.StaffMemberId}/family-members", Member("Added By Admin", mobile: "+44 7400 123456"),
            $"/staff/{other.StaffMemberId}/family-members")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.Db(db => db.Dependents.SingleAsync(d => d.FullName == "Added By Admin"))).StaffMemberId.ShouldBe(other.StaffMemberId);
    }

    [Fact]
    public async Task A_post_about_someone_elses_family_member_is_not_found_whatever_its_body()
    {
        var other = await fixture.Db(db => db.Dependents.Where(d => !db.StaffMembers.Any(s => s.Id == d.StaffMemberId && s.UserId != null))
            .Select(d => new { d.Id, d.StaffMemberId }).FirstAsync());
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var token = await staff.AntiforgeryTokenAsync("/family-members");

        foreach (var fields in new[] { new Dictionary<string, string>(), Member("Changed By A Stranger", "stranger@home.example") })
            foreach (var url in new[] { $"/family-members/{other.Id}", $"/staff/{other.StaffMemberId}/family-members/{other.Id}", $"/staff/{other.StaffMemberId}/family-members" })
            {
                var body = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token };
                (await staff.Http.PostAsync(url, new FormUrlEncodedContent(body))).StatusCode.ShouldBe(HttpStatusCode.NotFound, $"{url} with {fields.Count} fields");
            }

        var own = await staff.PostFormAsync("/family-members", Member("Own Relative", "own@home.example"));
        own.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var ownId = await fixture.Db(db => db.Dependents.Where(d => d.FullName == "Own Relative").Select(d => d.Id).SingleAsync());
        var empty = await staff.Http.PostAsync($"/family-members/{ownId}", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "one's own family member's form is validated as usual");
    }
}

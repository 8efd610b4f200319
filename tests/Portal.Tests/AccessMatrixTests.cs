namespace Portal.Tests;

/// <summary>
/// Who may use each route, declared once for every route the app has (found from its own endpoint list):
/// a route added without a line in <see cref="Matrix"/> fails the test, and so does a line whose route is gone.
/// Each route is then requested by an anonymous visitor and by the demo account of every role.
/// </summary>
public sealed class AccessMatrixTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    /// <summary>The order of the columns of <see cref="Matrix"/>: anonymous, then one demo account per role.</summary>
    private static readonly string[] Columns = ["", "Administrator", "SecurityOfficer", "Approver", "UnitCommander", "Staff", "Vendor", "Auditor"];

    /// <summary>
    /// One line per route, "METHOD template" as the app declares it, then one answer per column
    /// (anonymous, admin, officer, approver, commander, staff, vendor, auditor; the demo vendor is also Xiaomi's VendorAdministrator):
    /// <c>ok</c> let through (any answer but a refusal of access or a server error), <c>in</c> must sign in first
    /// (redirect to the sign-in page, 401 on the API), <c>no</c> 403, <c>nf</c> 404 (hidden as if it did not exist).
    /// Ids in templates are real demo objects: the published TLP:CLEAR Redmi 1S circular, the staff member's
    /// family member, and so on (<see cref="DemoIds"/>). A post carries only its antiforgery token, so where the
    /// form's own validation answers first (400, "ok") nothing is revealed either way. ADDING A ROUTE: ADD ITS LINE HERE.
    /// </summary>
    private static readonly Dictionary<string, string> Matrix = new()
    {
        //                                                                         anon admin offcr apprv cmdr  staff vendr audtr
        ["GET "] =                                                                "in   ok    ok    ok    ok    ok    ok    ok",
        ["GET .well-known/csaf/provider-metadata.json"] =                         "ok   ok    ok    ok    ok    ok    ok    ok",
        ["GET .well-known/csaf/white/changes.csv"] =                              "ok   ok    ok    ok    ok    ok    ok    ok",
        ["GET .well-known/csaf/white/feed-tlp-white.json"] =                      "ok   ok    ok    ok    ok    ok    ok    ok",
        ["GET .well-known/csaf/white/index.txt"] =                                "ok   ok    ok    ok    ok    ok    ok    ok",
        ["GET .well-known/csaf/white/{year:int}/{name}.json"] =                   "ok   ok    ok    ok    ok    ok    ok    ok",
        ["GET .well-known/csaf/white/{year:int}/{name}.json.sha512"] =            "ok   ok    ok    ok    ok    ok    ok    ok",
        ["GET account/recovery-codes"] =                                          "in   ok    ok    ok    ok    ok    ok    ok",
        ["GET account/sign-in"] =                                                 "ok   ok    ok    ok    ok    ok    ok    ok",
        ["POST account/sign-in"] =                                                "ok   ok    ok    ok    ok    ok    ok    ok",
        ["POST account/sign-out"] =                                               "in   ok    ok    ok    ok    ok    ok    ok",
        ["GET account/two-factor"] =                                              "ok   ok    ok    ok    ok    ok    ok    ok",
        ["POST account/two-factor"] =                                             "ok   ok    ok    ok    ok    ok    ok    ok",
        ["GET account/two-factor-setup"] =                                        "in   ok    ok    ok    ok    ok    ok    ok",
        ["POST account/two-factor-setup"] =                                       "in   ok    ok    ok    ok    ok    ok    ok",
        ["GET admin/api-clients"] =                                               "in   ok    no    no    no    no    ok    no",
        ["GET admin/api-clients/new"] =                                           "in   ok    no    no    no    no    ok    no",
        ["POST admin/api-clients/new"] =                                          "in   ok    no    no    no    no    ok    no",
        ["POST admin/api-clients/{id:guid}/revoke"] =                             "in   ok    no    no    no    no    nf    no",
        ["POST admin/api-clients/{id:guid}/rotate"] =                             "in   ok    no    no    no    no    ok    no",
        ["GET admin/units"] =                                                     "in   ok    no    no    no    no    no    no",
        ["GET admin/units/new"] =                                                 "in   ok    no    no    no    no    no    no",
        ["POST admin/units/new"] =                                                "in   ok    no    no    no    no    no    no",
        ["GET admin/units/{id:guid}"] =                                           "in   ok    no    no    no    no    no    no",
        ["POST admin/units/{id:guid}"] =                                          "in   ok    no    no    no    no    no    no",
        ["GET admin/users"] =                                                     "in   ok    no    no    no    no    no    no",
        ["GET admin/users/new"] =                                                 "in   ok    no    no    no    no    no    no",
        ["POST admin/users/new"] =                                                "in   ok    no    no    no    no    no    no",
        ["GET admin/users/{id:guid}"] =                                           "in   ok    no    no    no    no    no    no",
        ["POST admin/users/{id:guid}"] =                                          "in   ok    no    no    no    no    no    no",
        ["GET admin/vendors"] =                                                   "in   ok    no    no    no    no    no    no",
        ["GET admin/vendors/new"] =                                               "in   ok    no    no    no    no    no    no",
        ["POST admin/vendors/new"] =                                              "in   ok    no    no    no    no    no    no",
        ["POST api/circulars/drafts"] =                                           "in   no    ok    no    no    no    no    no",
        ["GET api/circulars/{id:guid}"] =                                         "in   ok    ok    ok    ok    ok    ok    ok",
        ["GET api/v1/devices/check"] =                                            "in   ok    ok    ok    ok    ok    ok    ok",
        ["POST api/v1/devices/check"] =                                           "in   ok    ok    ok    ok    ok    ok    ok",
        ["POST api/v1/devices/imports"] =                                         "in   ok    ok    no    no    no    no    no",
        ["GET api/v1/devices/imports/{id:guid}"] =                                "in   ok    ok    no    no    no    no    no",
        ["GET api/v1/vendor/cases"] =                                             "in   no    ok    no    no    no    ok    no",
        ["GET api/v1/vendor/cases/{id:guid}"] =                                   "in   no    ok    no    no    no    ok    no",
        ["POST api/v1/vendor/cases/{id:guid}/statements"] =                       "in   no    ok    no    no    no    ok    no",
        ["POST api/v1/vendor/cases/{id:guid}/status"] =                           "in   no    ok    no    no    no    ok    no",
        ["POST api/v1/vendor/cases/{id:guid}/claims"] =                           "in   no    ok    no    no    no    ok    no",
        ["POST api/v1/vendor/cases/{id:guid}/claims/{claimId:guid}/files"] =      "in   no    ok    no    no    no    ok    no",
        ["GET api/v1/vendor/cases/{id:guid}/messages"] =                          "in   no    ok    no    no    no    ok    no",
        ["POST api/v1/vendor/cases/{id:guid}/messages"] =                         "in   no    ok    no    no    no    ok    no",
        ["GET catalogue"] =                                                       "in   ok    ok    ok    no    no    no    ok",
        ["GET catalogue/manufacturers/new"] =                                     "in   ok    ok    no    no    no    no    no",
        ["POST catalogue/manufacturers/new"] =                                    "in   ok    ok    no    no    no    no    no",
        ["GET catalogue/manufacturers/{id:guid}"] =                               "in   ok    ok    no    no    no    no    no",
        ["POST catalogue/manufacturers/{id:guid}"] =                              "in   ok    ok    no    no    no    no    no",
        ["GET catalogue/models/new"] =                                            "in   ok    ok    no    no    no    no    no",
        ["POST catalogue/models/new"] =                                           "in   ok    ok    no    no    no    no    no",
        ["GET catalogue/models/{id:guid}"] =                                      "in   ok    ok    no    no    no    no    no",
        ["POST catalogue/models/{id:guid}"] =                                     "in   ok    ok    no    no    no    no    no",
        ["GET catalogue/models/{id:guid}/firmware"] =                             "in   ok    ok    ok    no    no    no    ok",
        ["POST catalogue/models/{id:guid}/firmware"] =                            "in   ok    ok    no    no    no    no    no",
        ["GET circulars"] =                                                       "in   ok    ok    ok    ok    ok    ok    ok",
        ["GET circulars/feed.atom"] =                                             "ok   ok    ok    ok    ok    ok    ok    ok",
        ["GET circulars/new"] =                                                   "in   no    ok    no    no    no    no    no",
        ["POST circulars/new"] =                                                  "in   no    ok    no    no    no    no    no",
        ["GET circulars/{id:guid}"] =                                             "in   ok    ok    ok    ok    ok    ok    ok",
        ["POST circulars/{id:guid}/acknowledge"] =                                "in   ok    ok    ok    ok    ok    ok    ok",
        ["GET circulars/{id:guid}/acknowledgements"] =                            "in   no    ok    ok    ok    no    no    ok",
        ["GET circulars/{id:guid}/acknowledgements.csv"] =                        "in   no    ok    ok    ok    no    no    ok",
        ["POST circulars/{id:guid}/amend"] =                                      "in   no    ok    no    no    no    no    no",
        ["POST circulars/{id:guid}/approve"] =                                    "in   no    no    ok    no    no    no    no",
        ["GET circulars/{id:guid}/audience"] =                                    "in   no    ok    no    no    no    no    no",
        ["POST circulars/{id:guid}/audience"] =                                   "in   no    ok    no    no    no    no    no",
        ["POST circulars/{id:guid}/audience/{unitId:guid}/remove"] =              "in   no    ok    no    no    no    no    no",
        ["GET circulars/{id:guid}/destinations.csv"] =                            "ok   ok    ok    ok    ok    ok    ok    ok",
        ["GET circulars/{id:guid}/destinations.rpz"] =                            "ok   ok    ok    ok    ok    ok    ok    ok",
        ["GET circulars/{id:guid}/destinations.txt"] =                            "ok   ok    ok    ok    ok    ok    ok    ok",
        ["GET circulars/{id:guid}/diff"] =                                        "in   ok    ok    ok    ok    ok    ok    ok",
        ["GET circulars/{id:guid}/edit"] =                                        "in   no    ok    no    no    no    no    no",
        ["POST circulars/{id:guid}/edit"] =                                       "in   no    ok    no    no    no    no    no",
        ["GET circulars/{id:guid}/evidence/new"] =                                "in   no    ok    no    no    no    no    no",
        ["POST circulars/{id:guid}/evidence/new"] =                               "in   no    ok    no    no    no    no    no",
        ["GET circulars/{id:guid}/evidence/{evidenceId:guid}"] =                  "in   ok    ok    ok    ok    ok    nf    ok",
        ["POST circulars/{id:guid}/evidence/{evidenceId:guid}/files"] =           "in   no    ok    no    no    no    no    no",
        ["GET circulars/{id:guid}/evidence/{evidenceId:guid}/files/{fileId:guid}"] ="in   nf    nf    nf    nf    nf    nf    nf",
        ["POST circulars/{id:guid}/evidence/{evidenceId:guid}/files/{fileId:guid}/remove"] ="in   no    ok    no    no    no    no    no",
        ["POST circulars/{id:guid}/evidence/{evidenceId:guid}/findings"] =        "in   no    ok    no    no    no    no    no",
        ["POST circulars/{id:guid}/evidence/{evidenceId:guid}/findings/{findingId:guid}/remove"] ="in   no    ok    no    no    no    no    no",
        ["POST circulars/{id:guid}/evidence/{evidenceId:guid}/sharing"] =         "in   no    ok    no    no    no    no    no",
        ["POST circulars/{id:guid}/evidence/{evidenceId:guid}/supersede"] =       "in   no    ok    no    no    no    no    no",
        ["POST circulars/{id:guid}/return"] =                                     "in   no    no    ok    no    no    no    no",
        ["GET circulars/{id:guid}/revisions/{number:int:min(1)}/csaf.json"] =     "in   ok    ok    ok    ok    ok    ok    ok",
        ["GET circulars/{id:guid}/revisions/{number:int}"] =                      "in   ok    ok    ok    ok    ok    ok    ok",
        ["GET circulars/{id:guid}/revisions/{number:int}/print"] =                "in   ok    ok    ok    ok    ok    ok    ok",
        ["GET circulars/{id:guid}/impact"] =                                      "in   no    ok    ok    no    no    no    no",
        ["GET circulars/{id:guid}/rules"] =                                       "in   no    ok    no    no    no    no    no",
        ["POST circulars/{id:guid}/rules"] =                                      "in   no    ok    no    no    no    no    no",
        ["POST circulars/{id:guid}/rules/{ruleId:guid}/remove"] =                 "in   no    ok    no    no    no    no    no",
        ["GET circulars/{id:guid}/sources"] =                                     "in   no    ok    no    no    no    no    no",
        ["POST circulars/{id:guid}/sources"] =                                    "in   no    ok    no    no    no    no    no",
        ["POST circulars/{id:guid}/sources/{sourceId:guid}/remove"] =             "in   no    ok    no    no    no    no    no",
        ["POST circulars/{id:guid}/submit"] =                                     "in   no    ok    no    no    no    no    no",
        ["GET circulars/stale"] =                                                 "in   no    ok    ok    no    no    no    ok",
        ["POST circulars/{id:guid}/firmware-amendment"] =                         "in   no    ok    no    no    no    no    no",
        ["POST circulars/{id:guid}/supersede"] =                                  "in   no    ok    no    no    no    no    no",
        ["POST circulars/{id:guid}/withdraw"] =                                   "in   no    ok    no    no    no    no    no",
        ["GET connect/authorize"] =                                               "ok   ok    ok    ok    ok    ok    ok    ok",
        ["POST connect/authorize"] =                                              "ok   ok    ok    ok    ok    ok    ok    ok",
        ["GET connect/logout"] =                                                  "ok   ok    ok    ok    ok    ok    ok    ok",
        ["POST connect/logout"] =                                                 "ok   ok    ok    ok    ok    ok    ok    ok",
        ["POST connect/token"] =                                                  "ok   ok    ok    ok    ok    ok    ok    ok",
        ["GET devices"] =                                                         "in   no    no    no    no    ok    no    no",
        ["POST devices"] =                                                        "in   no    no    no    no    ok    no    no",
        ["GET devices/compliance"] =                                              "in   no    ok    no    ok    no    no    ok",
        ["GET devices/compliance/devices.csv"] =                                  "in   no    ok    no    ok    no    no    ok",
        ["POST devices/compliance/findings/{id:long}/decision"] =                 "in   no    ok    no    no    no    no    no",
        ["POST devices/compliance/findings/{id:long}/exemption"] =                "in   no    no    no    ok    no    no    no",
        ["GET devices/import"] =                                                  "in   no    ok    no    no    no    no    no",
        ["POST devices/import"] =                                                 "in   no    ok    no    no    no    no    no",
        ["GET devices/import/{id:guid}"] =                                        "in   no    ok    no    no    no    no    no",
        ["POST devices/import/{id:guid}"] =                                       "in   no    ok    no    no    no    no    no",
        ["POST devices/import/{id:guid}/mapping"] =                               "in   no    ok    no    no    no    no    no",
        ["GET devices/{id:guid}"] =                                               "in   no    no    no    no    ok    no    no",
        ["POST devices/{id:guid}"] =                                              "in   no    no    no    no    ok    no    no",
        ["POST devices/{id:guid}/remove"] =                                       "in   no    no    no    no    ok    no    no",
        ["GET error"] =                                                           "nf   nf    nf    nf    nf    nf    nf    nf",
        ["POST error"] =                                                          "nf   nf    nf    nf    nf    nf    nf    nf",
        ["GET error/{status:int}"] =                                              "nf   nf    nf    nf    nf    nf    nf    nf",
        ["POST error/{status:int}"] =                                             "nf   nf    nf    nf    nf    nf    nf    nf",
        ["GET family-members"] =                                                  "in   nf    nf    nf    nf    ok    nf    nf",
        ["POST family-members"] =                                                 "in   nf    nf    nf    nf    ok    nf    nf",
        ["GET family-members/{id:guid}"] =                                        "in   nf    nf    nf    nf    ok    nf    nf",
        ["POST family-members/{id:guid}"] =                                       "in   nf    nf    nf    nf    ok    nf    nf",
        ["POST family-members/{id:guid}/remove"] =                                "in   nf    nf    nf    nf    ok    nf    nf",
        ["GET family/{token}"] =                                                  "ok   ok    ok    ok    ok    ok    ok    ok",
        ["POST family/{token}"] =                                                 "ok   ok    ok    ok    ok    ok    ok    ok",
        ["POST family/{token}/check"] =                                           "ok   ok    ok    ok    ok    ok    ok    ok",
        ["GET inbox"] =                                                           "in   ok    ok    ok    ok    ok    ok    ok",
        ["GET inbox/{id:long}"] =                                                 "in   nf    nf    nf    nf    ok    nf    nf",
        ["POST language"] =                                                       "ok   ok    ok    ok    ok    ok    ok    ok",
        ["GET staff/{staffMemberId:guid}/family-members"] =                       "in   ok    no    no    no    no    no    no",
        ["POST staff/{staffMemberId:guid}/family-members"] =                      "in   ok    nf    nf    nf    ok    nf    nf",
        ["GET staff/{staffMemberId:guid}/family-members/{id:guid}"] =             "in   ok    nf    nf    nf    ok    nf    nf",
        ["POST staff/{staffMemberId:guid}/family-members/{id:guid}"] =            "in   ok    nf    nf    nf    ok    nf    nf",
        ["POST staff/{staffMemberId:guid}/family-members/{id:guid}/remove"] =     "in   ok    nf    nf    nf    nf    nf    nf",
        ["GET vendor-cases"] =                                                    "in   no    ok    ok    no    no    ok    ok",
        ["GET vendor-cases/{id:guid}"] =                                          "in   no    ok    ok    no    no    ok    ok",
        ["POST vendor-cases/{id:guid}/status"] =                                  "in   no    no    no    no    no    ok    no",
        ["POST vendor-cases/{id:guid}/statements"] =                              "in   no    no    no    no    no    ok    no",
        ["POST vendor-cases/{id:guid}/claims"] =                                  "in   no    no    no    no    no    ok    no",
        ["POST vendor-cases/{id:guid}/claims/{claimId:guid}/files"] =             "in   no    no    no    no    no    ok    no",
        ["GET vendor-cases/{id:guid}/claims/{claimId:guid}/files/{fileId:guid}"] = "in   no    nf    no    no    no    nf    no",
        ["POST vendor-cases/{id:guid}/claims/{claimId:guid}/completed"] =         "in   no    no    no    no    no    ok    no",
        ["POST vendor-cases/{id:guid}/messages"] =                                "in   no    ok    no    no    no    ok    no",
        ["POST vendor-cases/{id:guid}/claims/{claimId:guid}/review"] =            "in   no    ok    no    no    no    no    no",
        ["POST vendor-cases/{id:guid}/claims/{claimId:guid}/retest"] =            "in   no    ok    no    no    no    no    no",
        ["POST vendor-cases/{id:guid}/claims/{claimId:guid}/verify"] =            "in   no    nf    no    no    no    no    no",
        ["GET vendor-membership"] =                                               "in   no    no    no    no    no    ok    no",
        ["POST vendor-membership"] =                                              "in   no    no    no    no    no    ok    no",
        ["GET vendor-membership/requests"] =                                      "in   no    no    no    no    no    ok    no",
        ["POST vendor-membership/requests/{requestId:guid}"] =                    "in   no    no    no    no    no    nf    no",
    };

    /// <summary>Routes whose effect would end the test's own sessions: only the anonymous column is requested.</summary>
    private static readonly HashSet<string> SignedInNotRequested = ["POST account/sign-out", "POST connect/logout", "POST family-members/{id:guid}/remove",
        "POST staff/{staffMemberId:guid}/family-members/{id:guid}/remove"];

    [Fact]
    public void Every_route_has_exactly_one_declared_line()
    {
        var routes = AppRoutes.Discover(fixture.Factory.Services).Select(r => r.Key).ToHashSet();
        var undeclared = routes.Where(r => !Matrix.ContainsKey(r)).Order().ToList();
        var stale = Matrix.Keys.Where(k => !routes.Contains(k)).Order().ToList();

        undeclared.ShouldBeEmpty("these routes have no line in AccessMatrixTests.Matrix: declare who may use them");
        stale.ShouldBeEmpty("these lines of AccessMatrixTests.Matrix name routes the app no longer has");
        Matrix.Values.ShouldAllBe(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == Columns.Length);
    }

    /// <summary>The columns are requested in two test classes, each with its own app and database, so that this
    /// long walk runs beside the rest of the suite (anonymous, administrator, officer and approver: <see cref="AccessMatrixFirstColumnsTests"/>).</summary>
    [Fact]
    public Task Every_route_answers_each_role_as_declared() => RequestColumnsAsync(fixture, Columns.Length / 2, Columns.Length);

    internal static Task RequestFirstHalfAsync(PortalFixture fixture) => RequestColumnsAsync(fixture, 0, Columns.Length / 2);

    private static async Task RequestColumnsAsync(PortalFixture fixture, int from, int to)
    {
        var ids = await DemoIds.LoadAsync(fixture);
        var mismatches = new List<string>();
        var routes = AppRoutes.Discover(fixture.Factory.Services).Where(r => Matrix.ContainsKey(r.Key)).ToList();

        for (var column = from; column < to; column++)
        {
            var role = Columns[column];
            var client = role == "" ? fixture.Client() : await fixture.SignedInAs(AppRoutes.Accounts[role]);
            var token = await client.AntiforgeryTokenAsync("/account/sign-in");
            foreach (var route in routes)
            {
                if (role != "" && SignedInNotRequested.Contains(route.Key)) continue;
                var expected = Matrix[route.Key].Split(' ', StringSplitOptions.RemoveEmptyEntries)[column];
                var url = AppRoutes.Url(route, (p, c) => ids.For(route.Template, p, c));
                using var request = new HttpRequestMessage(new HttpMethod(route.Method), url);
                if (!route.IsGet)
                {
                    request.Content = route.JsonBody
                        ? System.Net.Http.Json.JsonContent.Create(new { })
                        : new FormUrlEncodedContent([new("__RequestVerificationToken", token)]);
                    request.Headers.Add("X-CSRF-TOKEN", token);
                }
                var response = await client.Http.SendAsync(request);
                var actual = Classify(response);
                if (!Satisfies(actual, expected))
                    mismatches.Add($"{route.Key} as {(role == "" ? "anonymous" : role)}: expected {expected}, got {actual} ({(int)response.StatusCode} {response.Headers.Location})");
            }
        }

        mismatches.ShouldBeEmpty(string.Join("\n", mismatches));
    }

    private static string Classify(HttpResponseMessage response) => response.StatusCode switch
    {
        HttpStatusCode.Unauthorized => "in",
        HttpStatusCode.Redirect when response.Headers.Location?.OriginalString.Contains("/account/sign-in", StringComparison.Ordinal) == true => "in",
        HttpStatusCode.Forbidden => "no",
        HttpStatusCode.NotFound => "nf",
        >= HttpStatusCode.InternalServerError => "5xx",
        _ => "ok",
    };

    private static bool Satisfies(string actual, string expected) => actual == expected;
}

/// <summary>The first four columns of <see cref="AccessMatrixTests.Every_route_answers_each_role_as_declared"/>.</summary>
public sealed class AccessMatrixFirstColumnsTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public Task Every_route_answers_anonymous_visitors_administrators_officers_and_approvers_as_declared() =>
        AccessMatrixTests.RequestFirstHalfAsync(fixture);
}

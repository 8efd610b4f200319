using System.Text;
using Portal.Web.Domain;
using Portal.Web.Features.Devices;
using static Portal.Tests.Devices.DeviceScenarios;

namespace Portal.Tests.Devices;

/// <summary>A confirmed import is background work: queued, taken by a worker, its progress kept in PostgreSQL, then done.</summary>
public sealed class DeviceImportJobTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private async Task<string> UploadedAsync(PortalClient officer, string csv)
    {
        var token = await officer.AntiforgeryTokenAsync("/devices/import");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "File", "export.csv" },
        };
        var response = await officer.Http.PostAsync("/devices/import", form);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return response.Headers.Location!.OriginalString;
    }

    private static string Csv(int rows, int from, string os, int bad = 0, string tac = "35000020") =>
        "IMEI,Manufacturer,Model,OS version,Primary user UPN\n"
        + string.Join("\n", Enumerable.Range(from, rows).Select(i => $"{Imei(tac, i)},Samsung,Galaxy A54,{os},{Scenarios.Staff}"))
        + string.Concat(Enumerable.Range(0, bad).Select(i => $"\n1234567890123{i},Samsung,Galaxy A54,{os},{Scenarios.Staff}"));

    [Fact]
    public async Task A_confirmed_import_shows_its_progress_until_a_worker_has_done_it_and_importing_again_updates()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var location = await UploadedAsync(officer, Csv(DeviceImporter.ProgressEvery + 7, 1, "14", bad: 3));
        var id = Guid.Parse(location.Split('/').Last());

        (await officer.PostFormAsync(location, [], location)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var (queued, waiting) = await officer.GetPageAsync(location);
        queued.Headers.GetValues("Refresh").Single().ShouldBe("3");
        waiting.QuerySelector(".import-progress h2")!.TextContent.ShouldBe("Waiting to start");
        waiting.QuerySelector("progress").ShouldNotBeNull();
        var (still, _) = await officer.GetPageAsync(location + "?refresh=off");
        still.Headers.Contains("Refresh").ShouldBeFalse();
        (await fixture.Db(db => db.Devices.CountAsync(d => d.Tac == "35000020"))).ShouldBe(0);
        (await officer.PostFormAsync(location, [], location)).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "confirmed once");

        var run = await fixture.SendAsync(new RunImport.Command());

        run.ImportId.ShouldBe(id);
        run.State.ShouldBe(DeviceImportState.Completed);
        var job = await fixture.Db(db => db.DeviceImports.AsNoTracking().SingleAsync(i => i.Id == id));
        (job.Rows, job.RowsDone, job.RowsRejected, job.Inserted, job.Attempts).ShouldBe((DeviceImporter.ProgressEvery + 10, DeviceImporter.ProgressEvery + 10, 3, DeviceImporter.ProgressEvery + 7, 1));
        job.StartedAt.ShouldNotBeNull();
        var (done, page) = await officer.GetPageAsync(location);
        done.Headers.Contains("Refresh").ShouldBeFalse();
        page.QuerySelector("[role=status].notice")!.TextContent.ShouldContain($"Imported: {DeviceImporter.ProgressEvery + 7:N0} new");
        page.QuerySelectorAll("table.rejections tbody tr").Count.ShouldBe(3);
        (await fixture.SendAsync(new RunImport.Command())).ImportId.ShouldBeNull("nothing else waits");

        var again = await UploadedAsync(officer, Csv(10, 1, "15"));
        (await officer.PostFormAsync(again, [], again)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.SendAsync(new RunImport.Command())).State.ShouldBe(DeviceImportState.Completed);
        var second = await fixture.Db(db => db.DeviceImports.AsNoTracking().SingleAsync(i => i.Id == Guid.Parse(again.Split('/').Last())));
        (second.Inserted, second.Updated, second.Unchanged).ShouldBe((0, 10, 0));
        (await fixture.Db(db => db.Devices.CountAsync(d => d.Tac == "35000020" && d.RemovedAt == null))).ShouldBe(DeviceImporter.ProgressEvery + 7);
    }

    [Fact]
    public async Task An_import_that_stopped_three_times_is_given_up_and_says_so()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var location = await UploadedAsync(officer, Csv(2, 900, "14", tac: "35000021"));
        var id = Guid.Parse(location.Split('/').Last());
        (await officer.PostFormAsync(location, [], location)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await fixture.Db(db => db.DeviceImports.Where(i => i.Id == id)
            .ExecuteUpdateAsync(set => set.SetProperty(i => i.Attempts, RunImport.MaxAttempts)));

        (await fixture.SendAsync(new RunImport.Command())).State.ShouldBe(DeviceImportState.Failed);

        var (_, page) = await officer.GetPageAsync(location);
        page.QuerySelector(".error-summary")!.TextContent.ShouldContain("Nothing was imported");
        (await fixture.Db(db => db.Devices.CountAsync(d => d.Tac == "35000021"))).ShouldBe(0);
    }
}

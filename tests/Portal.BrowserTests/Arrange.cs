using Portal.Web.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Circulars;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.Playwright;

namespace Portal.BrowserTests;

public static class Arrange
{
    /// <summary>A circular for the whole organisation with families, published through the same commands the pages send.</summary>
    /// <param name="tacs">The banned model's TACs (none: a family member's phone check cannot tell it by its IMEI).</param>
    public static async Task<(Guid Circular, Guid Dependent)> PublishedForFamiliesAsync(this BrowserFixture browser, string title = "Journey phone leaks contacts",
        string[]? tacs = null)
    {
        await using var scope = browser.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        var officer = await db.Users.SingleAsync(u => u.Email == "officer@portal.example");
        var approver = await db.Users.SingleAsync(u => u.Email == "approver@portal.example");
        var now = browser.Factory.Clock.GetUtcNow();
        var maker = Manufacturer.Create("Journey Phones " + Guid.NewGuid().ToString("N")[^6..], [], null, now);
        var model = DeviceModel.Create(maker.Id, "Journey One", ["J1"], tacs ?? [], now);
        db.AddRange(maker, model);
        var circular = Circular.Draft(new CircularText(title, Severity.High, TlpLabel.Green,
            "Full summary for staff.", "", "Risk.", "", "Staff must hand in the phone.", "", DateOnly.FromDateTime(now.UtcDateTime.AddDays(10)),
            IncludeFamilies: true, FamilySummary: "Please stop using a **Journey One** phone. It sends your contacts abroad."), officer.Id, now);
        circular.AddRule(maker.Id, model.Id, null, [], null, RuleAction.Banned, null, officer.Id, now);
        circular.AddAudienceUnit(await db.Units.Where(u => u.Code == "AC").Select(u => u.Id).SingleAsync(), officer.Id, now);
        circular.Submit(officer.Id, now);
        db.Circulars.Add(circular);
        await db.SaveChangesAsync();
        var version = await db.Circulars.Where(c => c.Id == circular.Id).Select(c => c.Version).SingleAsync();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Assume(CurrentUser.For(approver.Id, Roles.Approver));
        await mediator.Send(new Approve.Command { Id = circular.Id, Version = version });
        var dependent = await db.AcknowledgementRequests
            .Where(a => a.CircularId == circular.Id && a.DependentId != null && db.Dependents.Any(d => d.Id == a.DependentId && d.PreferredLanguage == "en"))
            .Select(a => a.DependentId!.Value).FirstAsync();
        return (circular.Id, dependent);
    }

    /// <summary>A draft with its text written and nothing else: rules, audience and sources still to add on their pages.</summary>
    public static async Task<Guid> DraftAsync(this BrowserFixture browser, string title)
    {
        await using var scope = browser.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var officer = await db.Users.SingleAsync(u => u.Email == "officer@portal.example");
        var now = browser.Factory.Clock.GetUtcNow();
        var circular = Circular.Draft(new CircularText(title, Severity.Medium, TlpLabel.Green,
            "Summary.", "", "Risk.", "", "Staff must act.", "", DateOnly.FromDateTime(now.UtcDateTime.AddDays(10)),
            IncludeFamilies: false, FamilySummary: ""), officer.Id, now);
        db.Circulars.Add(circular);
        await db.SaveChangesAsync();
        return circular.Id;
    }
}

public static class ArrangeVendors
{
    /// <summary>A circular banning one catalogue model, published through the approval command the page sends: it opens the model's vendor case.</summary>
    public static async Task<Guid> PublishedNamingAsync(this BrowserFixture browser, string manufacturer, string model, string title)
    {
        await using var scope = browser.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        var officer = await db.Users.SingleAsync(u => u.Email == "officer@portal.example");
        var approver = await db.Users.SingleAsync(u => u.Email == "approver@portal.example");
        var named = await db.DeviceModels.SingleAsync(m => m.MarketingName == model && db.Manufacturers.Any(x => x.Id == m.ManufacturerId && x.Name == manufacturer));
        var now = browser.Factory.Clock.GetUtcNow();
        var circular = Circular.Draft(new CircularText(title, Severity.High, TlpLabel.Green,
            $"Do not use the {model}.", "", "Contacts leave the country.", "", "Hand the phone in.", "", DateOnly.FromDateTime(now.UtcDateTime.AddDays(10))),
            officer.Id, now);
        circular.AddRule(named.ManufacturerId, named.Id, null, [], null, RuleAction.Banned, null, officer.Id, now);
        circular.AddAudienceUnit(await db.Units.Where(u => u.Code == "AC").Select(u => u.Id).SingleAsync(), officer.Id, now);
        circular.Submit(officer.Id, now);
        db.Circulars.Add(circular);
        await db.SaveChangesAsync();
        var version = await db.Circulars.Where(c => c.Id == circular.Id).Select(c => c.Version).SingleAsync();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Assume(CurrentUser.For(approver.Id, Roles.Approver));
        await mediator.Send(new Approve.Command { Id = circular.Id, Version = version });
        return circular.Id;
    }

    /// <summary>A second security officer (with the demo password and authenticator key), for four-eyes steps; answers the e-mail address.</summary>
    public static async Task<string> SecondOfficerAsync(this BrowserFixture browser)
    {
        const string email = "second.officer@portal.example";
        await using var scope = browser.Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        if (await users.FindByEmailAsync(email) is null)
        {
            var user = new PortalUser { UserName = email, Email = email, DisplayName = "Dev Second Officer", EmailConfirmed = true };
            (await users.CreateAsync(user, DemoData.Password)).Succeeded.ShouldBeTrue();
            (await users.AddToRolesAsync(user, [Roles.SecurityOfficer])).Succeeded.ShouldBeTrue();
            await users.SetAuthenticationTokenAsync(user, "[AspNetUserStore]", "AuthenticatorKey", DemoData.AuthenticatorKey);
            (await users.SetTwoFactorEnabledAsync(user, true)).Succeeded.ShouldBeTrue();
        }
        return email;
    }
}

public static class Layout
{
    /// <summary>The page needs no sideways scrolling on a phone (a page opened with JavaScript, to measure it).</summary>
    public static async Task ShouldFitAPhoneAsync(IPage page) =>
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390, $"{page.Url} is wider than the phone");

    /// <summary>A field and its button, on a phone: both inside the screen's width, the button wholly below the field (neither covers the other).</summary>
    public static async Task ShouldStackOnAPhoneAsync(ILocator field, ILocator button)
    {
        await field.ScrollIntoViewIfNeededAsync();
        var f = (await field.BoundingBoxAsync())!;
        var b = (await button.BoundingBoxAsync())!;
        (f.X + f.Width).ShouldBeLessThanOrEqualTo(390f, "the field fits the phone's width");
        (b.X + b.Width).ShouldBeLessThanOrEqualTo(390f, "the button fits the phone's width");
        b.Y.ShouldBeGreaterThanOrEqualTo(f.Y + f.Height, "the button sits below the field, not under it");
    }
}

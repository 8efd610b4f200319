using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.VendorCases;

/// <summary>
/// What has been said and done on a case: the vendor's statements, its claims with their files and the officers'
/// review, and the message thread. Vendors read the security unit's side without officers' names. The caller has
/// already found the case through <see cref="CaseAccess"/>.
/// </summary>
public static class CaseActivity
{
    public sealed record Query(Guid CaseId) : IRequest<Result>;

    public sealed record Statement(string Text, bool IsPublic, string By, DateTimeOffset At);

    public sealed record File(Guid Id, string FileName, long Length, string ContentType);

    public sealed record Claim(Guid Id, Guid DeviceModelId, string Model, RemediationKind Kind, string Description, string? FirmwareVersion,
        DateOnly? ReleasedOn, string? Link, string? RelocatedFrom, string? RelocatedTo, DateOnly? PlannedOn, DateOnly? CompletedOn,
        ClaimStatus Status, DateTimeOffset SubmittedAt, string SubmittedBy, string? ReviewNote, string? RetestTitle, Guid? RetestEvidenceId,
        Guid? RetestRecordedById, string? RetestRecordedBy, string? VerifiedBy, DateTimeOffset? VerifiedAt, uint Version, IReadOnlyList<File> Files);

    public sealed record Message(bool FromVendor, string By, string Body, DateTimeOffset At);

    public sealed record Result(IReadOnlyList<Statement> Statements, IReadOnlyList<Claim> Claims, IReadOnlyList<Message> Messages);

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var officerNames = user.CanReadDrafts || user.IsInRole(Roles.Auditor);
            const string unit = "Security unit";
            var statements = await db.CaseStatements.AsNoTracking().Where(s => s.CaseId == request.CaseId).OrderBy(s => s.PostedAt)
                .Select(s => new Statement(s.Text, s.IsPublic, db.Users.Where(u => u.Id == s.PostedById).Select(u => u.DisplayName).FirstOrDefault() ?? "", s.PostedAt))
                .ToListAsync(ct);
            var claims = await db.RemediationClaims.AsNoTracking().Where(c => c.CaseId == request.CaseId).OrderBy(c => c.SubmittedAt)
                .Select(c => new Claim(c.Id, c.DeviceModelId,
                    db.VendorCaseModels.Where(m => m.CaseId == c.CaseId && m.DeviceModelId == c.DeviceModelId).Select(m => m.MarketingName).FirstOrDefault() ?? "",
                    c.Kind, c.Description, c.FirmwareVersion, c.ReleasedOn, c.Link, c.RelocatedFrom, c.RelocatedTo, c.PlannedOn, c.CompletedOn,
                    c.Status, c.SubmittedAt, db.Users.Where(u => u.Id == c.SubmittedById).Select(u => u.DisplayName).FirstOrDefault() ?? "", c.ReviewNote,
                    db.Evidence.Where(e => e.Id == c.RetestEvidenceId).Select(e => e.Title).FirstOrDefault(), c.RetestEvidenceId, c.RetestRecordedById,
                    officerNames ? db.Users.Where(u => u.Id == c.RetestRecordedById).Select(u => u.DisplayName).FirstOrDefault() : null,
                    officerNames ? db.Users.Where(u => u.Id == c.VerifiedById).Select(u => u.DisplayName).FirstOrDefault() : null,
                    c.VerifiedAt, c.Version,
                    c.Files.OrderBy(f => f.UploadedAt).Select(f => new File(f.Id, f.FileName, f.Length, f.ContentType)).ToList()))
                .AsSplitQuery()
                .ToListAsync(ct);
            var messages = await db.CaseMessages.AsNoTracking().Where(m => m.CaseId == request.CaseId).OrderBy(m => m.PostedAt)
                .Select(m => new Message(m.FromVendor,
                    m.FromVendor || officerNames ? db.Users.Where(u => u.Id == m.AuthorId).Select(u => u.DisplayName).FirstOrDefault() ?? "" : unit,
                    m.Body, m.PostedAt))
                .ToListAsync(ct);
            return new Result(statements, claims, messages);
        }
    }
}

/// <summary>The case page: the case itself and what has happened on it.</summary>
public sealed record CasePage(OpenCase.Result Case, CaseActivity.Result Activity);

/// <summary>The circular's lab evidence an officer may link as a claim's re-test (not superseded, with files).</summary>
public sealed class RetestEvidenceViewComponent(PortalDbContext db) : ViewComponent
{
    public sealed record Choice(Guid Id, string Title, DateOnly TestedOn);

    public async Task<IViewComponentResult> InvokeAsync(Guid caseId, Guid? selected, string id)
    {
        var circular = await db.VendorCases.AsNoTracking().Where(c => c.Id == caseId).Select(c => (Guid?)c.CircularId).FirstOrDefaultAsync();
        var choices = await db.Evidence.AsNoTracking().Where(e => e.CircularId == circular && e.SupersededAt == null && e.Files.Any())
            .OrderByDescending(e => e.TestedOn).Select(e => new Choice(e.Id, e.Title, e.TestedOn)).Take(200).ToListAsync();
        return View("~/Features/VendorCases/RetestEvidence.cshtml", ((IReadOnlyList<Choice>)choices, selected, id));
    }
}

/// <summary>The models of a case the reader may see, as a select; nothing for a case they may not.</summary>
public sealed class CaseModelPickerViewComponent(ICurrentUser user, PortalDbContext db) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid caseId, Guid? selected)
    {
        var models = await db.CasesVisibleTo(user).AsNoTracking().Where(c => c.Id == caseId)
            .SelectMany(c => c.Models).OrderBy(m => m.MarketingName)
            .Select(m => new OpenCase.ModelRow(m.DeviceModelId, m.MarketingName, m.Status)).ToListAsync();
        return View("~/Features/VendorCases/CaseModelPicker.cshtml", ((IReadOnlyList<OpenCase.ModelRow>)models, selected));
    }
}

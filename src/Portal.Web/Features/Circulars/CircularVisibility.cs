using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Circulars;

/// <summary>What decides which circulars a person may read, looked up once per request.</summary>
public sealed record Reader(
    Guid? UserId, bool ReadsDrafts, bool ReadsAllPublished, bool IsVendorOnly,
    Guid[] UnitAncestry, Guid[] VendorManufacturerIds)
{
    public static readonly Reader Anonymous = new(null, false, false, false, [], []);

    public bool IsAnonymous => UserId is null;

    /// <summary>Staff and commanders: what <see cref="CircularVisibility.StaffMayRead"/> decides for them.</summary>
    public bool ReadsAsStaff => !ReadsDrafts && !ReadsAllPublished && !IsAnonymous && !IsVendorOnly;

    /// <summary>Internal notes are the security unit's: officers, approvers and auditors only; never staff, commanders, vendors or the public.</summary>
    public bool SeesInternalNotes => ReadsDrafts || ReadsAllPublished;

    // Compiled: every page a signed-in person opens asks it (docs/decisions/0060-circular-page-and-acknowledgement-storm.md).
    private static readonly Func<PortalDbContext, Guid, CancellationToken, Task<string?>> UnitPath =
        EF.CompileAsyncQuery((PortalDbContext db, Guid unitId, CancellationToken ct) => db.Units.Where(u => u.Id == unitId).Select(u => u.Path).FirstOrDefault());

    // One per request's context: the circular page and its evidence section both ask (docs/decisions/0062-the-circular-page-at-the-peak.md).
    // Contexts are pooled, so the answer also names the lease it was asked in: a context's next lease asks again.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<PortalDbContext, Tuple<System.Security.Claims.ClaimsPrincipal, int, Reader>> Asked = [];

    public static async Task<Reader> ForAsync(PortalDbContext db, ICurrentUser user, CancellationToken ct)
    {
        if (!user.IsSignedIn)
            return Anonymous;
        var principal = user.Principal;
        var lease = db.ContextId.Lease;
        if (Asked.TryGetValue(db, out var asked) && ReferenceEquals(asked.Item1, principal) && asked.Item2 == lease)
            return asked.Item3;
        var reader = await LookUpAsync(db, user, ct);
        Asked.AddOrUpdate(db, Tuple.Create(principal, lease, reader));
        return reader;
    }

    private static async Task<Reader> LookUpAsync(PortalDbContext db, ICurrentUser user, CancellationToken ct)
    {
        var ancestry = Array.Empty<Guid>();
        if (user.UnitId is { } unitId)
        {
            var path = user.UnitPathReadWithSession ?? await UnitPath(db, unitId, ct);
            ancestry = path is null ? [] : path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse).ToArray();
        }
        var vendorOnly = user.IsInRole(Roles.Vendor) && !user.IsInRole(Roles.Staff);
        var manufacturers = Array.Empty<Guid>();
        if (user.VendorOrganisationId is { } vendorId)
            manufacturers = await db.Manufacturers.AsNoTracking().Where(m => m.VendorOrganisationId == vendorId).Select(m => m.Id).ToArrayAsync(ct);
        return new Reader(user.Id, user.CanReadDrafts, user.IsInRole(Roles.Auditor), vendorOnly, ancestry, manufacturers);
    }
}

/// <summary>
/// Who may read which circular, applied as a Where on every read (see docs/decisions/0004).
/// Drafts and circulars awaiting approval: officers and approvers. Published, by the current revision's
/// TLP: CLEAR to anyone, also without an account; GREEN to all signed-in staff; AMBER, AMBER+STRICT and
/// RED to staff of a unit in the audience (whole subtrees). Vendors: only circulars naming their products.
/// Auditors: every published circular.
/// </summary>
public static class CircularVisibility
{
    public static IQueryable<Circular> VisibleTo(this IQueryable<Circular> circulars, Reader reader)
    {
        if (reader.ReadsDrafts)
            return circulars;
        var published = circulars.Where(c => c.CurrentRevisionId != null);
        if (reader.ReadsAllPublished)
            return published;
        if (reader.IsAnonymous)
            return published.Where(c => c.CurrentRevision!.Text.Tlp == TlpLabel.Clear);
        if (reader.IsVendorOnly)
        {
            var mine = reader.VendorManufacturerIds;
            return published.Where(c => c.CurrentRevision!.ManufacturerIds.Any(m => mine.Contains(m)));
        }
        var ancestry = reader.UnitAncestry;
        return published.Where(Expand<Func<Circular, bool>>(c => StaffMayReadRevision(c.CurrentRevision!, ancestry)));
    }

    /// <summary>
    /// Staff and commanders, on one revision: TLP CLEAR and GREEN to all, AMBER, AMBER+STRICT and RED to the units in its
    /// audience and their subtrees (<paramref name="ancestry"/>: the reader's unit and the units above it). Written once:
    /// <see cref="VisibleTo"/> applies it to the current revision, <see cref="RevisionVisibility"/> to each revision, and the
    /// circular page's compiled head query to both (docs/decisions/0059-the-circular-pages-head-compiled.md).
    /// </summary>
    private static readonly Expression<Func<CircularRevision, Guid[], bool>> StaffMayRead = (r, ancestry) =>
        r.Text.Tlp == TlpLabel.Clear || r.Text.Tlp == TlpLabel.Green || r.AudienceUnitIds.Any(u => ancestry.Contains(u));

    /// <summary>Where <see cref="StaffMayRead"/> goes in a query; <see cref="Expand{T}"/> writes the rule in its place.</summary>
    public static bool StaffMayReadRevision(CircularRevision revision, Guid[] ancestry) =>
        throw new InvalidOperationException("Only inside a query expression passed through CircularVisibility.Expand.");

    /// <summary>The query with each <see cref="StaffMayReadRevision"/> replaced by the rule itself, on the same arguments.</summary>
    public static Expression<T> Expand<T>(Expression<T> query) => (Expression<T>)new RuleExpander().Visit(query);

    private sealed class RuleExpander : ExpressionVisitor
    {
        private static readonly System.Reflection.MethodInfo Marker = typeof(CircularVisibility).GetMethod(nameof(StaffMayReadRevision))!;

        protected override Expression VisitMethodCall(MethodCallExpression node) =>
            node.Method == Marker
                ? new Substitution(StaffMayRead.Parameters[0], Visit(node.Arguments[0]), StaffMayRead.Parameters[1], Visit(node.Arguments[1])).Visit(StaffMayRead.Body)
                : base.VisitMethodCall(node);
    }

    private sealed class Substitution(ParameterExpression revision, Expression revisionValue, ParameterExpression ancestry, Expression ancestryValue) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) =>
            node == revision ? revisionValue : node == ancestry ? ancestryValue : node;
    }
}

using System.Security.Claims;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Circulars;

/// <summary>
/// Who may read which circular, applied as a Where on every read. Drafts and circulars in review are
/// for officers and approvers only. Vendors see nothing until circulars name products (their own
/// products' circulars come with the rules); everyone else sees what has been published.
/// </summary>
public static class CircularVisibility
{
    public static IQueryable<Circular> VisibleTo(this IQueryable<Circular> circulars, ClaimsPrincipal user)
    {
        if (user.CanReadDrafts())
            return circulars;
        if (user.IsInRole(Roles.Vendor) && !user.IsInRole(Roles.Staff))
            return circulars.Where(_ => false);
        return circulars.Where(c => c.Status != CircularStatus.Draft && c.Status != CircularStatus.InReview);
    }
}

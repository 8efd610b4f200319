namespace Portal.Web.Infrastructure.Web;

internal static class SecurityHeaders
{
    /// <summary>Scripts and styles only from our own origin; no framing; no MIME sniffing.</summary>
    public static IApplicationBuilder UsePortalSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";
        // Answers about one person (the API, a family member's link) stay out of shared and browser caches (without the
        // warning antiforgery would log for every family link page opened at the peak of a publication).
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/family"))
            context.Response.NeverCached();
        return next(context);
    });

    /// <summary>
    /// Kept by no cache, shared or the browser's. "no-cache" as well as "no-store": it is what antiforgery sets on a page with
    /// a form, and it overrides, with a warning in the log, a header that lacks it.
    /// </summary>
    public static void NeverCached(this HttpResponse response) => response.Headers.CacheControl = "no-cache, no-store";
}

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
        // Answers about one person (the API, a family member's link) stay out of shared and browser caches. "no-cache" too:
        // it is what antiforgery sets on a page with a form, and it logs a warning for each page whose header lacks it
        // (every family link page opened, at the peak of a publication).
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/family"))
            headers.CacheControl = "no-cache, no-store";
        return next(context);
    });
}

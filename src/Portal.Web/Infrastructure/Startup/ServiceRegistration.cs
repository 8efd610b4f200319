using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Features.Acknowledgements;
using Portal.Web.Features.Circulars;
using Portal.Web.Features.Notifications;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Infrastructure.Startup;

public static class ServiceRegistration
{
    public static IServiceCollection AddPortalOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PortalOptions>().Bind(configuration.GetSection(PortalOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Portal.Web.Infrastructure.Text.MobileNumbers>();
        return services;
    }

    public static IServiceCollection AddPortalData(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Portal");
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new StartupException("ConnectionStrings:Portal is not set (environment variable ConnectionStrings__Portal).");
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new StartupException($"ConnectionStrings:Portal is not a valid PostgreSQL connection string: {ex.Message}");
        }

        services.AddSingleton(_ => PortalDataSource.Build(connectionString));
        // The options are built once, not per request: building them (Npgsql, OpenIddict's entities) cost more CPU than
        // the acknowledgement it served (docs/decisions/0065-what-an-acknowledgement-costs.md).
        // Pooled: a context's start-up (its internal service scope and dependencies) cost every page about a tenth of
        // its CPU (docs/decisions/0058-pooled-contexts.md). A leased context is reset when it is returned (change tracker,
        // transaction, connection); the context holds no state of its own.
        services.AddDbContextPool<PortalDbContext>((sp, options) =>
            PortalDbContext.Configure(options.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()).UseOpenIddict<Guid>()));
        services.AddScoped<Migrator>();
        services.AddScoped<DemoData>();
        services.AddSingleton<IXmlRepository, DatabaseXmlRepository>();
        services.AddDataProtection().SetApplicationName("advisory-portal");
        services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
            .Configure<IXmlRepository>((o, repository) => o.XmlRepository = repository);
        services.AddHealthChecks().AddDbContextCheck<PortalDbContext>("database", tags: ["ready"]);
        return services;
    }

    public static IServiceCollection AddPortalIdentity(this IServiceCollection services)
    {
        services.AddPortalCurrentUser();
        services.AddIdentity<PortalUser, PortalRole>(options =>
            {
                options.Password.RequiredLength = 12;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = true;
                options.Password.RequireLowercase = true;
                options.Password.RequireDigit = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = true;
                options.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<Features.Account.OneTimeAuthenticator>(TokenOptions.DefaultAuthenticatorProvider)
            .AddClaimsPrincipalFactory<PortalClaimsPrincipalFactory>();

        services.AddScoped<Features.Account.AuthenticatorReuse>();
        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = "portal.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.LoginPath = "/account/sign-in";
            options.LogoutPath = "/account/sign-out";
            options.AccessDeniedPath = "/error/403";
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(5));

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return services;
    }

    public static IServiceCollection AddPortalWeb(this IServiceCollection services)
    {
        services.AddControllersWithViews(options =>
            {
                options.Filters.Add(new AutoValidateAntiforgeryTokenAttribute());
                options.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true;
                options.Filters.Add<RequestFailureFilter>();
                options.Filters.Add<InvalidModelStateFilter>();
                options.Filters.Add<BoundModelFilter>();
            })
            .AddJsonOptions(o => o.JsonSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()))
            .AddRazorOptions(options =>
            {
                options.ViewLocationFormats.Clear();
                options.ViewLocationFormats.Add("/Features/{1}/{0}" + RazorViewEngine.ViewExtension);
                options.ViewLocationFormats.Add("/Features/Shared/{0}" + RazorViewEngine.ViewExtension);
            });
        services.Configure<RouteOptions>(o => o.LowercaseUrls = true);
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "portal.antiforgery";
            o.HeaderName = "X-CSRF-TOKEN";
        });
        services.Configure<ApiBehaviorOptions>(o => o.SuppressModelStateInvalidFilter = true);
        services.AddProblemDetails();
        services.AddSingleton<MarkdownRenderer>();
        services.AddPortalRevisionContent();
        services.AddPortalAcknowledgementBatches();
        services.AddScoped<Publication>();
        services.AddScoped<Portal.Web.Features.VendorCases.VendorCaseOpening>();
        services.AddScoped<FanOut>();
        services.AddSingleton<Portal.Web.Features.Acknowledgements.FamilyLinks>();
        services.AddHostedService<ScheduledPublishing>();
        services.AddHostedService<Chasing>();
        return services;
    }

    /// <summary>The e-mail and SMS outbox: message wording, the two senders, and the background dispatcher.</summary>
    public static IServiceCollection AddPortalNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DispatchOptions>().Bind(configuration.GetSection(DispatchOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SmsOptions>().Bind(configuration.GetSection(SmsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ViewRenderer>();
        services.AddSingleton<MessageComposer>();
        // Scoped: one SMTP session per dispatch worker, closed when its batch ends.
        services.AddScoped<IEmailSender, SmtpEmailSender>();
        // The sender bounds each request with Portal:Sms:TimeoutSeconds itself.
        services.AddHttpClient<ISmsSender, HttpSmsSender>(http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.AddScoped<NotificationDelivery>();
        services.AddHostedService<NotificationDispatcher>();
        return services;
    }
}

using Microsoft.AspNetCore.Mvc;
using Portal.Web.Infrastructure.Auth;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.Account;

/// <summary>Shows the key and QR code on the enrolment form, also when the form is re-rendered after a wrong code.</summary>
public sealed class AuthenticatorKeyViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() =>
        View("~/Features/Account/AuthenticatorKey.cshtml", await mediator.Send(new TwoFactorSetup.Query()));
}

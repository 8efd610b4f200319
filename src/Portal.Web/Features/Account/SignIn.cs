using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.Account;

public static class SignIn
{
    public enum Outcome { SignedIn, NeedsTwoFactorCode }

    public sealed record Command : IRequest<Outcome>
    {
        public string? Email { get; init; }
        public string? Password { get; init; }
        public bool RememberMe { get; init; }
        public string? ReturnUrl { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Email).NotEmpty().WithMessage("Enter your e-mail address.").MaximumLength(256);
            RuleFor(c => c.Password).NotEmpty().WithMessage("Enter your password.").MaximumLength(256);
        }
    }

    internal sealed class Handler(SignInManager<PortalUser> signIn) : IRequestHandler<Command, Outcome>
    {
        public async ValueTask<Outcome> Handle(Command request, CancellationToken ct)
        {
            var result = await signIn.PasswordSignInAsync(request.Email!.Trim(), request.Password!, request.RememberMe, lockoutOnFailure: true);
            if (result.Succeeded) return Outcome.SignedIn;
            if (result.RequiresTwoFactor) return Outcome.NeedsTwoFactorCode;
            if (result.IsLockedOut)
                throw new ValidationException("This account is locked after too many failed sign-in attempts. Try again in 15 minutes, or ask an administrator to unlock it.");
            if (result.IsNotAllowed)
                throw new ValidationException("This account may not sign in yet. Ask an administrator.");
            throw new ValidationException("The e-mail address or password is not right.");
        }
    }
}

public static class TwoFactorSignIn
{
    public sealed record Command : IRequest<Done>
    {
        public string? Code { get; init; }
        public bool RememberMe { get; init; }
        public bool RememberMachine { get; init; }
        public string? ReturnUrl { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() =>
            RuleFor(c => c.Code).NotEmpty().WithMessage("Enter the 6-digit code from your authenticator app.")
                .Matches(@"^\s*[0-9 ]{6,8}\s*$").WithMessage("The code is the 6 digits your authenticator app shows.");
    }

    internal sealed class Handler(SignInManager<PortalUser> signIn) : IRequestHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
                throw new ValidationException("Your sign-in has expired. Go back to the sign-in page and start again.");
            var code = request.Code!.Replace(" ", "", StringComparison.Ordinal).Trim();
            var result = await signIn.TwoFactorAuthenticatorSignInAsync(code, request.RememberMe, request.RememberMachine);
            if (result.Succeeded) return Done.Value;
            if (result.IsLockedOut)
                throw new ValidationException("This account is locked after too many failed attempts. Try again in 15 minutes, or ask an administrator.");
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(Command.Code), "That code is not right. Codes change every 30 seconds: enter the one shown now.")]);
        }
    }
}

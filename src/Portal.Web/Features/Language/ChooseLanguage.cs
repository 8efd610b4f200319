using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Infrastructure.Localization;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Language;

/// <summary>A signed-in user's choice is saved on their account, so it follows them to any browser. A code not offered is English.</summary>
public static class ChooseLanguage
{
    public sealed record Command : ICommand<Done>
    {
        public string? Language { get; init; }
        public string? ReturnUrl { get; init; }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var language = Languages.Normalise(request.Language);
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Language, language), ct);
            return Done.Value;
        }
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.Circulars;

/// <summary>
/// The same use cases for JSON callers. Refusals come back as problem details with the messages
/// the form shows. Reading takes a token with circulars.read (or the sign-in cookie); drafting stays with
/// signed-in officers, whose cookie calls send the antiforgery token in X-CSRF-TOKEN.
/// </summary>
[ApiController]
[Route("api/circulars")]
public sealed class CircularsApiController(IMediator mediator) : ControllerBase
{
    [Authorize(Policy = ApiScopes.CircularsRead)]
    [HttpGet("{id:guid}")]
    public async Task<Details.Result> Get(Guid id, CancellationToken ct) => await mediator.Send(new Details.Query(id), ct);

    [Authorize(Roles = Roles.CircularAuthors)]
    [HttpPost("drafts")]
    public async Task<IActionResult> CreateDraft(Draft.Command command, CancellationToken ct)
    {
        var id = await mediator.Send(command, ct);
        return CreatedAtAction(nameof(Get), new { id }, new { id });
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.Csaf;

/// <summary>
/// The CSAF provider (CSAF 2.0 section 7): TLP:CLEAR circulars only, open to anyone without an account,
/// generated from the database on every request.
/// </summary>
[AllowAnonymous]
[Route(".well-known/csaf")]
public sealed class ProviderController(IMediator mediator) : Controller
{
    private const string JsonType = "application/json";
    private const string TextType = "text/plain; charset=utf-8";

    [HttpGet("provider-metadata.json")]
    public async Task<IActionResult> Metadata(CancellationToken ct) =>
        File(await mediator.Send(new ProviderMetadata.Query(), ct), JsonType);

    [HttpGet("white/index.txt")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        File(await mediator.Send(new WhiteIndex.Query(), ct), TextType);

    [HttpGet("white/changes.csv")]
    public async Task<IActionResult> Changes(CancellationToken ct) =>
        File(await mediator.Send(new WhiteChanges.Query(), ct), "text/csv; charset=utf-8");

    [HttpGet("white/feed-tlp-white.json")]
    public async Task<IActionResult> Feed(CancellationToken ct) =>
        File(await mediator.Send(new RolieFeed.Query(), ct), JsonType);

    [HttpGet("white/{year:int}/{name}.json")]
    public async Task<IActionResult> Document(int year, string name, CancellationToken ct) =>
        File((await mediator.Send(new WhiteDocument.Query(year, name + ".json"), ct)).Json, JsonType);

    [HttpGet("white/{year:int}/{name}.json.sha512")]
    public async Task<IActionResult> Hash(int year, string name, CancellationToken ct) =>
        File((await mediator.Send(new WhiteDocument.Query(year, name + ".json"), ct)).Sha512, TextType);
}

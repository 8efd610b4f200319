using Microsoft.AspNetCore.Mvc;

namespace Portal.Web.Features.Home;

[Route("")]
public sealed class HomeController : Controller
{
    [HttpGet("")]
    public IActionResult Index() => View();
}

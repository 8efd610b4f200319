using Microsoft.AspNetCore.Mvc;

namespace Portal.Web.Features.Home;

/// <summary>
/// The start page answers "what do I need to do?": one section per role the user holds, each a view
/// component with its own query (StaffTasks, OfficerTasks ...). A new concern (stale circulars, vendor
/// cases, banned devices) is one more component and one line in Index.cshtml.
/// </summary>
[Route("")]
public sealed class HomeController : Controller
{
    [HttpGet("")]
    public IActionResult Index() => View();
}

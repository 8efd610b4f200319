using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Localization;

namespace Portal.Web.Infrastructure.Web;

/// <summary>Something the user asked for does not exist (or is not theirs to see): a 404, never a 500.</summary>
public sealed class NotFoundException(string what) : Exception($"{what} was not found.");

/// <summary>
/// The one path by which refusals reach the user. A validation failure, a domain rule or a stale form
/// becomes field errors on the same form, re-rendered with what was typed; a JSON caller gets a
/// problem-details 400 (409 for a stale edit). An unknown id becomes a 404 page.
/// Fixed messages are shown in the reader's language when Text.hi.resx (docs/decisions/0070) has them.
/// </summary>
internal sealed class RequestFailureFilter(IStringLocalizer<Localization.Text> text) : IExceptionFilter
{
    public void OnException(ExceptionContext context)
    {
        switch (context.Exception)
        {
            case ValidationException validation:
                foreach (var error in validation.Errors)
                    context.ModelState.AddModelError(error.PropertyName ?? "", error.CustomState is Sentence sentence ? text.Say(sentence) : text[error.ErrorMessage]);
                if (!validation.Errors.Any())
                    context.ModelState.AddModelError("", validation.Message);
                context.Result = FormResults.Refused(context, StatusCodes.Status400BadRequest);
                context.ExceptionHandled = true;
                break;
            case DomainException domain:
                context.ModelState.AddModelError("", text.Say(domain.Reason));
                context.Result = FormResults.Refused(context, StatusCodes.Status400BadRequest);
                context.ExceptionHandled = true;
                break;
            case DbUpdateConcurrencyException:
                context.ModelState.AddModelError("", text["Someone else changed this record while you were editing it. Your text is kept below; reload the page to see their change, then apply yours again."]);
                context.Result = FormResults.Refused(context, StatusCodes.Status409Conflict);
                context.ExceptionHandled = true;
                break;
            case TooManyAttemptsException tooMany:
                context.ModelState.AddModelError("", text.Say(tooMany.Reason));
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(tooMany.Wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                context.Result = FormResults.Refused(context, StatusCodes.Status429TooManyRequests);
                context.ExceptionHandled = true;
                break;
            case NotFoundException:
                context.Result = FormResults.Status(context, StatusCodes.Status404NotFound);
                context.ExceptionHandled = true;
                break;
        }
    }
}

/// <summary>
/// Model binding already failed (a malformed date, a control character): answer as a validation failure,
/// before the handler runs; a GET (a search, say) gets the message on the error page.
/// </summary>
internal sealed class InvalidModelStateFilter : IActionFilter
{
    public void OnActionExecuting(ActionExecutingContext context)
    {
        // The error pages answer whatever request failed, however malformed: they never refuse it again.
        if (!context.ModelState.IsValid && context.Controller is not Features.Errors.ErrorsController)
            context.Result = FormResults.Refused(context, StatusCodes.Status400BadRequest);
    }

    public void OnActionExecuted(ActionExecutedContext context) { }
}

internal static class FormResults
{
    public static IActionResult Refused(FilterContext context, int status)
    {
        if (IsApi(context))
        {
            var problem = new ValidationProblemDetails(context.ModelState)
            {
                Status = status,
                Title = status == StatusCodes.Status409Conflict ? "The record changed meanwhile." : "The request is not valid.",
            };
            return new ObjectResult(problem) { StatusCode = status, ContentTypes = { "application/problem+json" } };
        }

        if (HttpMethods.IsGet(context.HttpContext.Request.Method))
            return ErrorPage(context, status);

        // Re-render the action's own view with the posted model, so nothing the user typed is lost.
        var services = context.HttpContext.RequestServices;
        var descriptor = (Microsoft.AspNetCore.Mvc.Controllers.ControllerActionDescriptor)context.ActionDescriptor;
        // A post without a form of its own (a "remove" button) has no view to show again: the message on the error page.
        if (!services.GetRequiredService<Microsoft.AspNetCore.Mvc.ViewEngines.ICompositeViewEngine>()
                .FindView(context, descriptor.ActionName, isMainPage: true).Success)
            return ErrorPage(context, status);
        var model = context is ActionExecutingContext executing
            ? FormModel(executing.ActionArguments.Values)
            : context.HttpContext.Items[BoundModelKey];
        var viewData = new ViewDataDictionary(services.GetRequiredService<IModelMetadataProvider>(), context.ModelState)
        {
            Model = model,
        };
        return new ViewResult
        {
            ViewName = descriptor.ActionName,
            ViewData = viewData,
            TempData = services.GetRequiredService<ITempDataDictionaryFactory>().GetTempData(context.HttpContext),
            StatusCode = status,
        };
    }

    private static ViewResult ErrorPage(FilterContext context, int status)
    {
        var message = string.Join(" ", context.ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage));
        return new ViewResult
        {
            // By path: "Error" alone is looked for in the acting controller's feature folder, where it is not.
            ViewName = "/Features/Errors/Error.cshtml",
            ViewData = new ViewDataDictionary(context.HttpContext.RequestServices.GetRequiredService<IModelMetadataProvider>(), context.ModelState)
            {
                Model = new Features.Errors.ErrorModel(status, "This cannot be done now", message),
            },
            StatusCode = status,
        };
    }

    public static object? FormModel(IEnumerable<object?> arguments) =>
        arguments.FirstOrDefault(a => a is not null and not string and not Guid and not int and not CancellationToken);

    public static IActionResult Status(FilterContext context, int status) =>
        IsApi(context) ? new ProblemDetailsResult(status) : new StatusCodeResult(status);

    public const string BoundModelKey = "portal.bound-model";

    private static bool IsApi(FilterContext context) =>
        context.HttpContext.Request.Path.StartsWithSegments("/api")
        || context.ActionDescriptor.EndpointMetadata.OfType<ApiControllerAttribute>().Any();

    private sealed class ProblemDetailsResult(int status) : ObjectResult(new ProblemDetails { Status = status })
    {
        public override Task ExecuteResultAsync(ActionContext context)
        {
            StatusCode = status;
            ContentTypes.Add("application/problem+json");
            return base.ExecuteResultAsync(context);
        }
    }
}

/// <summary>Remembers the bound form model so an exception filter can re-render it.</summary>
internal sealed class BoundModelFilter : IActionFilter
{
    public void OnActionExecuting(ActionExecutingContext context) =>
        context.HttpContext.Items[FormResults.BoundModelKey] =
            FormResults.FormModel(context.ActionArguments.Values);

    public void OnActionExecuted(ActionExecutedContext context) { }
}

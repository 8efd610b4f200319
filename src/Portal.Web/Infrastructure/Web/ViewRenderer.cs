using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Portal.Web.Infrastructure.Web;

/// <summary>
/// Renders a Razor view to a string outside any request (e-mail bodies written by the background dispatcher),
/// with the same view engine, _ViewImports and localizer as the pages. The caller sets the culture.
/// </summary>
public sealed class ViewRenderer(IRazorViewEngine engine, ITempDataProvider tempData, IServiceScopeFactory scopes)
{
    public async Task<string> RenderAsync<TModel>(string viewPath, TModel model)
    {
        await using var scope = scopes.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var action = new ActionContext(http, new Microsoft.AspNetCore.Routing.RouteData(), new ActionDescriptor());
        var found = engine.GetView(executingFilePath: null, viewPath, isMainPage: true);
        if (!found.Success)
            throw new InvalidOperationException($"The view {viewPath} was not found: {string.Join(", ", found.SearchedLocations)}");
        await using var writer = new StringWriter();
        var view = new ViewContext(action, found.View,
            new ViewDataDictionary<TModel>(new EmptyModelMetadataProvider(), new ModelStateDictionary()) { Model = model },
            new TempDataDictionary(http, tempData), writer, new HtmlHelperOptions());
        await found.View.RenderAsync(view);
        return writer.ToString();
    }
}

using Microsoft.AspNetCore.Mvc.ApplicationModels;

namespace Portal.Web.Infrastructure.Web;

/// <summary>
/// Gives a controller the name of the feature it belongs to, so its views are found in that feature's
/// folder (/Features/{controller}/) while its actions live in a controller of their own.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ControllerNameAttribute(string name) : Attribute, IControllerModelConvention
{
    public void Apply(ControllerModel controller) => controller.ControllerName = name;
}

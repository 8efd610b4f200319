using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Binders;

namespace Portal.Web.Infrastructure.Web;

/// <summary>
/// The one place where input that no handler should ever see is refused (docs/decisions/0020): control
/// characters in any bound text (form, query, route or JSON), page numbers out of range, and bodies
/// larger than the portal accepts. Each refusal is a 400 (413 for size) with a sentence a person
/// understands, on the same form when there is one.
/// </summary>
public static class HostileInput
{
    /// <summary>The largest page number any list binds; past it the list shows its last page anyway.</summary>
    public const int MaxPage = 100_000;

    /// <summary>The largest request body without an endpoint's own [RequestSizeLimit].</summary>
    public const long MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>The largest single form value: far above any text field of the portal.</summary>
    public const int MaxFormValueBytes = 1024 * 1024;

    public const int MaxFormFields = 1000;

    public const string ControlCharacterMessage =
        "This text contains an invisible control character (such as a NUL byte), which the portal does not accept. Remove it, or type the text again instead of pasting it.";

    /// <summary>Tab, line feed and carriage return are text; every other C0/C1 control character and the lone surrogate halves are not.</summary>
    public static bool HasControlCharacter(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\t' or '\n' or '\r') continue;
            if (char.IsControl(c)) return true;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                return true;
            }
            if (char.IsLowSurrogate(c)) return true;
        }
        return false;
    }

    public static IServiceCollection AddPortalHostileInput(this IServiceCollection services)
    {
        // A rule stops at its first failure: "Enter the code" is enough, and the checks after it (a
        // database lookup of the trimmed text, say) never see the null they were not written for.
        FluentValidation.ValidatorOptions.Global.DefaultRuleLevelCascadeMode = FluentValidation.CascadeMode.Stop;
        services.Configure<MvcOptions>(o => o.ModelBinderProviders.Insert(0, new SafeBinderProvider()));
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => o.JsonSerializerOptions.Converters.Add(new SafeStringConverter()));
        services.Configure<FormOptions>(o =>
        {
            o.ValueLengthLimit = MaxFormValueBytes;
            o.ValueCountLimit = MaxFormFields;
            o.KeyLengthLimit = 1024;
        });
        return services;
    }

    /// <summary>
    /// Refuses a body larger than the endpoint accepts before anything reads it: by its Content-Length at once,
    /// or (chunked) when the server's own limit trips while reading.
    /// </summary>
    public static IApplicationBuilder UsePortalRequestLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null
            || context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is not null)
        {
            await next(context);
            return;
        }
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>() is { } metadata
            ? metadata.MaxRequestBodySize
            : MaxBodyBytes;
        if (limit is { } max && context.Request.ContentLength > max)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = limit;
        await next(context);
    });

    /// <summary>
    /// The status a failure while reading the request deserves: too large (413) or malformed (400); a
    /// client that went away is not a server error either. Null for real server errors.
    /// </summary>
    public static int? StatusFor(Exception? exception) => exception switch
    {
        null => null,
        NotFoundException => StatusCodes.Status404NotFound,
        BadHttpRequestException bad => bad.StatusCode,
        InvalidDataException => StatusCodes.Status400BadRequest,
        ValueProviderException => StatusCodes.Status400BadRequest,
        Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException => StatusCodes.Status400BadRequest,
        _ when exception.InnerException is { } inner => StatusFor(inner),
        _ => null,
    };

    private sealed class SafeBinderProvider : IModelBinderProvider
    {
        public IModelBinder? GetBinder(ModelBinderProviderContext context)
        {
            var metadata = context.Metadata;
            if (metadata.IsComplexType || metadata.BindingSource == BindingSource.Body) return null;
            var loggers = context.Services.GetRequiredService<ILoggerFactory>();
            if (metadata.ModelType == typeof(string))
                return new SafeTextBinder(new SimpleTypeModelBinder(typeof(string), loggers));
            if (metadata.ModelType == typeof(bool))
                return new CheckboxBinder();
            if (metadata.UnderlyingOrModelType == typeof(int) && string.Equals(metadata.Name, "page", StringComparison.OrdinalIgnoreCase))
                return new PageBinder(new SimpleTypeModelBinder(metadata.ModelType, loggers));
            return null;
        }
    }

    /// <summary>Bound text with a control character is a model error (the form is shown again with it), never a value.</summary>
    private sealed class SafeTextBinder(IModelBinder inner) : IModelBinder
    {
        public async Task BindModelAsync(ModelBindingContext context)
        {
            await inner.BindModelAsync(context);
            if (context.Result.Model is string text && HasControlCharacter(text))
            {
                context.ModelState.TryAddModelError(context.ModelName, ControlCharacterMessage);
                context.Result = ModelBindingResult.Failed();
            }
        }
    }

    /// <summary>A page number outside 1..<see cref="MaxPage"/> (or not a number at all) is the nearest page, so paging arithmetic never overflows.</summary>
    private sealed class PageBinder(IModelBinder inner) : IModelBinder
    {
        public async Task BindModelAsync(ModelBindingContext context)
        {
            var raw = context.ValueProvider.GetValue(context.ModelName);
            if (raw == ValueProviderResult.None) return;
            await inner.BindModelAsync(context);
            context.ModelState.Remove(context.ModelName);
            var value = context.Result.Model is int page ? page
                : long.TryParse(raw.FirstValue, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var big)
                    ? (big > MaxPage ? MaxPage : 1)
                    : 1;
            var bounded = Math.Clamp(value, 1, MaxPage);
            context.ModelState.SetModelValue(context.ModelName, raw);
            context.Result = ModelBindingResult.Success(bounded);
        }
    }

    /// <summary>
    /// A tick box posts "true" (and its hidden "false"); anything else is refused as unticked, and the
    /// form is shown again with the box unticked rather than failing to draw it.
    /// </summary>
    private sealed class CheckboxBinder : IModelBinder
    {
        public Task BindModelAsync(ModelBindingContext context)
        {
            var raw = context.ValueProvider.GetValue(context.ModelName);
            if (raw == ValueProviderResult.None) return Task.CompletedTask;
            if (bool.TryParse(raw.FirstValue, out var value))
            {
                context.ModelState.SetModelValue(context.ModelName, raw);
                context.Result = ModelBindingResult.Success(value);
                return Task.CompletedTask;
            }
            context.ModelState.SetModelValue(context.ModelName, new ValueProviderResult("false"));
            context.ModelState.TryAddModelError(context.ModelName, "A tick box is either ticked or not; tick it again or leave it.");
            context.Result = ModelBindingResult.Success(false);
            return Task.CompletedTask;
        }
    }

    /// <summary>The same refusal for JSON bodies: the API answers a problem-details 400 naming the field.</summary>
    private sealed class SafeStringConverter : JsonConverter<string>
    {
        public override bool HandleNull => false;

        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString();
            if (text is not null && HasControlCharacter(text))
                throw new JsonException(ControlCharacterMessage);
            return text;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}

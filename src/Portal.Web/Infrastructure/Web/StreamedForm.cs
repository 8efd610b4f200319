using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Portal.Web.Infrastructure.Storage;

namespace Portal.Web.Infrastructure.Web;

/// <summary>A multipart form read section by section: the small fields before the file, and the file already in a temporary file.</summary>
public sealed class StreamedUpload(IReadOnlyDictionary<string, string> fields, string fileName, ReceivedFile file) : IDisposable
{
    public IReadOnlyDictionary<string, string> Fields => fields;
    public string FileName => fileName;
    public ReceivedFile File => file;

    public void Dispose() => file.Dispose();
}

/// <summary>
/// Reads an upload form without buffering it: MVC's form binding would first copy the whole body to a
/// temporary file (and antiforgery validation would make it do so), so actions that take files use
/// <see cref="DisableFormValueModelBindingAttribute"/> and <c>[IgnoreAntiforgeryToken]</c> and call
/// <see cref="ReceiveAsync"/>, which validates the antiforgery token from the form's first fields before it
/// reads the file, and streams the file into the <see cref="ContentStore"/>. Forms must put their hidden
/// fields before the file input.
/// </summary>
public static class StreamedForm
{
    private const int FieldLimit = 16 * 1024;
    private const long Slack = 1 << 20;

    /// <summary>
    /// The upload, or null when the antiforgery token is missing or wrong (answer 400). API callers authenticated
    /// by a bearer token send no antiforgery token (<paramref name="antiforgery"/> false): a browser never attaches one.
    /// </summary>
    public static async Task<StreamedUpload?> ReceiveAsync(this HttpContext http, ContentStore store, string fileField, long limit, CancellationToken ct, bool antiforgery = true)
    {
        var request = http.Request;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit + Slack;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 70 } boundary)
            throw Refusal(fileField, "Send the file with the upload form.");
        if (request.ContentLength > limit + Slack)
            throw Refusal(fileField, $"The file is larger than the limit of {ContentStore.Describe(limit)}. Upload a smaller file (split or compress a long capture).");

        // A larger buffer than the default 4 KB: the boundary is looked for in fewer, bigger reads.
        var reader = new MultipartReader(boundary, request.Body, 256 * 1024) { HeadersLengthLimit = FieldLimit };
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var validated = !antiforgery;
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFormDisposition() && !disposition.IsFileDisposition())
                continue;
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (disposition.IsFileDisposition())
            {
                if (!validated && !(validated = await ValidAntiforgeryAsync(http, fields)))
                    return null;
                if (name != fileField)
                    continue;
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "";
                var received = await store.ReceiveAsync(section.Body, limit, fileField, ct);
                return new StreamedUpload(fields, fileName, received);
            }
            using var text = new StreamReader(section.Body);
            var buffer = new char[FieldLimit];
            var read = await text.ReadBlockAsync(buffer, ct);
            if (read == FieldLimit)
                throw Refusal("", "A field of the form is too long.");
            fields[name] = new string(buffer, 0, read);
        }
        if (!validated && !await ValidAntiforgeryAsync(http, fields))
            return null;
        throw Refusal(fileField, "Choose a file to upload.");
    }

    /// <summary>The form's token is checked as if it had come in the antiforgery header, so validation never reads the body.</summary>
    private static async Task<bool> ValidAntiforgeryAsync(HttpContext http, IReadOnlyDictionary<string, string> fields)
    {
        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        var options = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AntiforgeryOptions>>().Value;
        if (options.HeaderName is not { } header || !fields.TryGetValue(options.FormFieldName, out var token))
            return false;
        http.Request.Headers[header] = token;
        return await antiforgery.IsRequestValidAsync(http);
    }

    private static ValidationException Refusal(string field, string message) => new([new ValidationFailure(field, message)]);
}

/// <summary>Keeps MVC from reading (and buffering) the form before the action streams it.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class DisableFormValueModelBindingAttribute : Attribute, IResourceFilter
{
    public void OnResourceExecuting(ResourceExecutingContext context)
    {
        var factories = context.ValueProviderFactories;
        factories.RemoveType<FormValueProviderFactory>();
        factories.RemoveType<FormFileValueProviderFactory>();
        factories.RemoveType<JQueryFormValueProviderFactory>();
    }

    public void OnResourceExecuted(ResourceExecutedContext context) { }
}

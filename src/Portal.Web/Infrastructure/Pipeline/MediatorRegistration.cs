using FluentValidation;
using Mediator;

namespace Portal.Web.Infrastructure.Pipeline;

public static class MediatorRegistration
{
    /// <summary>
    /// The source-generated mediator (handlers found at build time: a request without a handler does not
    /// compile), every validator of the assembly, and the pipeline in order: logging, validation, transaction.
    /// Scoped, because handlers and the transaction behaviour share the request's DbContext.
    /// </summary>
    public static IServiceCollection AddPortalMediator(this IServiceCollection services)
    {
        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.PipelineBehaviors =
            [
                typeof(LoggingBehavior<,>),
                typeof(ValidationBehavior<,>),
                typeof(TransactionBehavior<,>),
            ];
        });
        // A field's rules stop at its first failure: an empty field is told once that it is empty, not also
        // that it is too short and badly formed. Each item of a list still gets its own message.
        ValidatorOptions.Global.DefaultRuleLevelCascadeMode = CascadeMode.Stop;
        // Messages in the reader's language: FluentValidation's own through its LanguageManager (which follows the
        // UI culture), ours through Text.hi.resx before the placeholders are filled (docs/decisions/0071).
        ValidatorOptions.Global.MessageFormatterFactory = () => new LocalizedMessageFormatter();
        services.AddValidatorsFromAssemblyContaining<Done>(ServiceLifetime.Scoped, includeInternalTypes: true);
        return services;
    }
}

/// <summary>Looks a message template up in the portal's resources (the English text is the key), then fills it in.</summary>
internal sealed class LocalizedMessageFormatter : FluentValidation.Internal.MessageFormatter
{
    public override string BuildMessage(string messageTemplate) =>
        base.BuildMessage(Localization.Text.Localizer[messageTemplate].Value);
}

using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi.Models;

namespace Marketplace.ServiceDefaults.OpenApi;

// The service's HTTP/JSON routes (the google.api.http options of protos/) as an OpenAPI document, and a
// page to browse and try them. Both are anonymous: they describe the public contract that protos/
// already publishes, and every route still needs a token. The page is Swagger UI's own files, embedded
// in the package and served from here: it loads nothing from elsewhere.
public static class OpenApiDescription
{
    public const string DocumentPath = "/openapi/v1.json", PagePath = "/openapi";
    const string Document = "v1";

    public static WebApplicationBuilder AddOpenApiDescription(this WebApplicationBuilder builder, string serviceName)
    {
        builder.Services.AddGrpcSwagger();
        builder.Services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc(Document, new OpenApiInfo { Title = Title(serviceName), Version = Document });
            // The proto comments, compiled into the generated code's XML docs.
            var comments = Path.Combine(AppContext.BaseDirectory, "Marketplace.Protos.xml");
            if (File.Exists(comments))
                swagger.IncludeGrpcXmlComments(comments, includeControllerXmlComments: true);
            var bearer = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                Description = "An HS256 JWT with a `role` and the subject's id in `sub`",
                Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = "bearer" },
            };
            swagger.AddSecurityDefinition("bearer", bearer);
            swagger.AddSecurityRequirement(new OpenApiSecurityRequirement { [bearer] = [] });
        });
        builder.Services.AddSingleton(new OpenApiTitle(Title(serviceName)));
        return builder;
    }

    // Middleware, not an endpoint: it goes before sign-in, whose fallback policy covers every request.
    public static WebApplication UseOpenApiPage(this WebApplication app)
    {
        var title = app.Services.GetRequiredService<OpenApiTitle>().Value;
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = PagePath.TrimStart('/');
            ui.SwaggerEndpoint($"{Document}.json", title); // relative to the page: behind any path prefix too
            ui.DocumentTitle = title;
        });
        return app;
    }

    public static WebApplication MapOpenApiDocument(this WebApplication app)
    {
        app.MapSwagger(PagePath + "/{documentName}.json").AllowAnonymous();
        return app;
    }

    static string Title(string serviceName) => $"Marketplace {serviceName}";

    sealed record OpenApiTitle(string Value);
}

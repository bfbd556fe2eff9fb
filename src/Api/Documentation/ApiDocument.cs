using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using Telemetry.Api.Access;

namespace Telemetry.Api.Documentation;

/// <summary>
/// What the OpenAPI document says beyond what the endpoints declare: how to sign in, which roles each endpoint
/// admits (read from its authorization policy, so the document cannot drift from what the Api enforces), and the
/// problems every endpoint can answer with (RFC 7807, with an example each), and an example of every request body.
/// The document is checked into the tests.
/// </summary>
public static class ApiDocument
{
    /// <summary>The problem schema's name in the document's components.</summary>
    public const string ProblemSchema = "Problem";

    private const string ProblemJson = "application/problem+json";

    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                Describe(document);
                return Task.CompletedTask;
            });
            o.AddOperationTransformer(async (operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var problems = new List<(int Status, string Title)>();
                if (!metadata.OfType<IAllowAnonymous>().Any())
                {
                    var policies = context.ApplicationServices.GetRequiredService<IAuthorizationPolicyProvider>();
                    var roles = new SortedSet<string>(StringComparer.Ordinal);
                    foreach (var name in metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>())
                    {
                        var policy = await policies.GetPolicyAsync(name);
                        roles.UnionWith(policy?.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles) ?? []);
                    }

                    Secure(operation, context.Document, roles);
                    problems.Add((401, "Not signed in"));
                    problems.Add((403, "Not allowed"));
                }

                var hasBody = operation.RequestBody is not null;
                if (operation.RequestBody?.Content is { } content && content.TryGetValue("application/json", out var json)
                    && RequestExamples.For(context.Description.HttpMethod, context.Description.RelativePath) is { } example)
                {
                    json.Example = example;
                }

                if (hasBody || context.Description.ParameterDescriptions.Count > 0)
                {
                    problems.Add((400, "One or more validation errors occurred."));
                }

                if (hasBody)
                {
                    problems.Add((413, "Request body too large"));
                }

                if (metadata.OfType<EnableRateLimitingAttribute>().Any())
                {
                    problems.Add((429, "Too many requests"));
                }

                var declared = operation.Responses?.Keys.Select(k => int.TryParse(k, out var status) ? status : 0).Where(status => status >= 400).ToList() ?? [];
                foreach (var status in declared.Where(d => problems.All(p => p.Status != d)))
                {
                    problems.Add((status, ReasonPhrases.GetReasonPhrase(status)));
                }

                foreach (var (status, title) in problems.OrderBy(p => p.Status))
                {
                    AddProblem(operation, context.Document, status, title);
                }

                // Answers in the order of their status, as a reader looks them up.
                var answers = operation.Responses?.OrderBy(r => r.Key, StringComparer.Ordinal).ToList() ?? [];
                operation.Responses?.Clear();
                foreach (var (status, answer) in answers)
                {
                    operation.Responses![status] = answer;
                }
            });
        });

    private static void Describe(OpenApiDocument document)
    {
        document.Info.Title = "Telemetry Api";
        document.Info.Description =
            "Tickets, live plant status, readings history, thresholds and commands of the street lighting plant. " +
            "Browsers sign in with a cookie (POST /api/auth/sign-in); API clients send a bearer token " +
            "(POST /api/auth/tokens). Each operation lists the roles it admits under x-roles. Every error is a " +
            "problem (RFC 7807); a validation problem names each wrong field under errors.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[Policies.BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A token from POST /api/auth/tokens, revocable, with an expiry.",
        };
        document.Components.SecuritySchemes["cookie"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = "telemetry",
            Description = "The browser's session from POST /api/auth/sign-in.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        document.Components.Schemas[ProblemSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 7807 problem details; errors names each wrong field of a validation problem.",
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object | JsonSchemaType.Null,
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
        };
    }

    private static void Secure(OpenApiOperation operation, OpenApiDocument? document, SortedSet<string> roles)
    {
        operation.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Policies.BearerScheme, document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("cookie", document)] = [] },
        ];
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>(StringComparer.Ordinal);
        operation.Extensions["x-roles"] = new JsonNodeExtension(new JsonArray([.. roles.Select(r => JsonValue.Create(r))]));
        var admitted = roles.Count == 0 ? "Roles: anyone signed in." : $"Roles: {string.Join(", ", roles)}.";
        operation.Description = string.IsNullOrEmpty(operation.Description) ? admitted : $"{operation.Description} {admitted}";
    }

    /// <summary>
    /// The problem response of <paramref name="status"/>: added when the endpoint did not declare it, and given the one
    /// problem schema with an example when it did (an endpoint's own declaration names the framework's schema).
    /// </summary>
    private static void AddProblem(OpenApiOperation operation, OpenApiDocument? document, int status, string title)
    {
        operation.Responses ??= [];
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var example = new JsonObject { ["title"] = title, ["status"] = status };
        if (status == 400)
        {
            example["errors"] = new JsonObject { ["field"] = new JsonArray("what is wrong with it") };
        }

        var description = operation.Responses.TryGetValue(key, out var declared) && !string.IsNullOrEmpty(declared.Description) ? declared.Description : title;
        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                [ProblemJson] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchema, document), Example = example },
            },
        };
    }
}

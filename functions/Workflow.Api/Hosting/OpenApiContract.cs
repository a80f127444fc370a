using Workflow.Application;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Workflow.Api.Features.Workflows;
using Workflow.Api.Identity;
using Workflow.Domain;

namespace Workflow.Api.Hosting;

/// <summary>
/// The OpenAPI document (GET /api/openapi.json, and contract/openapi.json at build time) as the whole contract: every
/// body a route reads, every status it answers with, how callers authenticate. ASP.NET Core's generator sees only the
/// handlers' signatures, and the handlers' bodies and headers bind themselves (IRequestBody.BindAsync over
/// Features/JsonBody.cs, IdempotencyKey, IfMatch), which it cannot see, and problems are answered through one result type, so the routes state the rest with <see cref="Contract"/> and <see cref="TakesJson{TBody}"/>, and
/// the transformers here add what holds for every route alike (authentication, rate limits, storage being down).
/// </summary>
/// <remarks>The document is generated when first requested, never at start-up (StartupCostTests).</remarks>
public static class OpenApiContract
{
    public const string DocumentRoute = "/api/openapi.json";
    private const string SecuritySchemeName = "entra";
    private const string PersonalLinkSchemeName = "personalLink";
    private const string MoveSchema = "Move";

    public static IServiceCollection AddOpenApiContract(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.AddDocumentTransformer(DescribeDocument);
        options.AddOperationTransformer(DescribeOperation);
        options.AddSchemaTransformer(DescribeSchema);
    });

    /// <summary>
    /// Names the operation and lists every status code it answers with besides those every route shares (401, 403,
    /// 429, 503 — added for all). Success codes not listed are dropped from what the handler's result type suggests
    /// (one result type serves reads and writes, so it names 201 where a read never creates); 4xx codes are problem
    /// details.
    /// </summary>
    public static RouteHandlerBuilder Contract(this RouteHandlerBuilder endpoint, string operationId, string summary, params int[] statusCodes)
    {
        endpoint.WithName(operationId).WithSummary(summary).WithMetadata(new DeclaredStatusCodes(statusCodes));
        foreach (var code in statusCodes.Where(c => c >= 400))
        {
            endpoint.ProducesProblem(code);
        }
        return endpoint;
    }

    /// <summary>
    /// The route binds a JSON body of <typeparamref name="TBody"/> (Features/JsonBody.cs): it can also answer 400
    /// (malformed, unknown or missing fields), 413 (over <see cref="Features.JsonBody.MaxBytes"/>) and 415 (not JSON).
    /// </summary>
    public static RouteHandlerBuilder TakesJson<TBody>(this RouteHandlerBuilder endpoint) where TBody : class =>
        endpoint.Accepts<TBody>(isOptional: false, "application/json")
            .ProducesProblem(400).ProducesProblem(413).ProducesProblem(415);

    /// <summary>Request headers the route binds itself (Features/Requests.cs), so the document declares them.</summary>
    public static RouteHandlerBuilder Reads(this RouteHandlerBuilder endpoint, params RequestHeader[] headers) =>
        endpoint.WithMetadata(new ReadsHeaders(headers));

    /// <summary>A query parameter the handler reads as text but takes only these values of.</summary>
    public static RouteHandlerBuilder QueryOneOf(this RouteHandlerBuilder endpoint, string name, params string[] values) =>
        endpoint.WithMetadata(new QueryValues(name, values, null));

    /// <summary>A query parameter the handler reads as text but takes only a whole number in this range of.</summary>
    public static RouteHandlerBuilder QueryWholeNumber(this RouteHandlerBuilder endpoint, string name, int minimum, int maximum) =>
        endpoint.WithMetadata(new QueryValues(name, null, (minimum, maximum)));

    public enum RequestHeader
    {
        /// <summary>Required: the ETag of the version a move was decided on.</summary>
        IfMatch,

        /// <summary>Optional: makes a retry of the same request safe.</summary>
        IdempotencyKey,

        /// <summary>Required on the guest routes: the token of a personal link.</summary>
        WorkflowLink,
    }

    private sealed record DeclaredStatusCodes(int[] Codes);

    private sealed record ReadsHeaders(RequestHeader[] Headers);

    private sealed record QueryValues(string Name, string[]? Values, (int Minimum, int Maximum)? Range);

    /// <summary>Every move of the model, by its API name: an enum in the document, so clients generate it.</summary>
    private static IReadOnlyList<string> MoveNames { get; } = [.. Enum.GetValues<Move>().Select(WorkflowDecider.Name)];

    private static readonly Dictionary<int, string> Meanings = new()
    {
        [200] = "OK.",
        [201] = "Created: `Location` names the new workflow.",
        [204] = "Done; nothing to return.",
        [400] = "The request is not valid: `detail` says what.",
        [401] = "No valid bearer token.",
        [403] = "The token lacks the API's scope, or its tenant is not allowed; or it is another person's to do, such as a role's holder's (`not-yours`).",
        [404] = "No such workflow, role or item, or you are not one of its parties, nor its role's holder (`type` names which).",
        [409] = "Refused: the move is not possible now (`move-not-allowed`), is the other party's (`not-your-move`), or the workflow kept changing (`busy`). A refusal names the `state`, your `party` and your `availableMoves`.",
        [412] = "`If-Match` names a version that is no longer current: `currentVersion` and `currentETag` say which is.",
        [413] = $"The body is over {Features.JsonBody.MaxBytes / 1024} KiB.",
        [415] = "The body is not `application/json`.",
        [422] = "This `Idempotency-Key` was used for a different request.",
        [428] = "`If-Match` is missing.",
        [429] = "Too many requests: wait as `Retry-After` says.",
        [503] = "Storage is unavailable: retry after `Retry-After` (with the same `Idempotency-Key`, a retry is safe).",
    };

    private static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var configuration = context.ApplicationServices.GetRequiredService<IConfiguration>();
        var access = context.ApplicationServices.GetRequiredService<AccessOptions>();
        var authority = (configuration["AzureAd:Instance"] ?? "https://login.microsoftonline.com/").TrimEnd('/')
            + "/" + (configuration["AzureAd:TenantId"] ?? "organizations");

        document.Info = new OpenApiInfo
        {
            Title = "Workflow API",
            Version = "v1",
            Description = "Promises between people, made explicit and tracked: a customer's request, a performer's promise, "
                + "and the loop from Listen to Assess until the customer is satisfied. Every error is RFC 9457 problem details.",
            License = new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-Proprietary" },
        };
        // Relative to wherever the document is served, so one document fits every deployment and the local host.
        document.Servers = [new OpenApiServer { Url = "/", Description = "The host that serves this document." }];
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = "Workflows", Description = "Open workflows, make moves, read them, their histories and my lists." },
            new() { Name = "Items", Description = "Workflows linked to a mail thread or a meeting." },
            new() { Name = "Mailbox", Description = "Mail items resolved and tagged on the server through Microsoft Graph." },
            new() { Name = "Review", Description = "The weekly review." },
            new() { Name = "Me", Description = "Who I am to the product, and my preferences." },
        };

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[PersonalLinkSchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = Features.Guests.GuestToken.Header,
            Description = "The token of a personal link mailed to someone outside the organisation: one party of one workflow, expiring, revocable.",
        };
        document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.OAuth2,
            Description = "Microsoft Entra ID access tokens for the API's app registration, sent as `Authorization: Bearer <token>`. "
                + $"The token must carry the delegated scope `{access.RequiredScope}` (requested as `api://<API client id>/{access.RequiredScope}`) "
                + "and come from an allowed tenant.",
            Flows = new OpenApiOAuthFlows
            {
                AuthorizationCode = new OpenApiOAuthFlow
                {
                    AuthorizationUrl = new Uri(authority + "/oauth2/v2.0/authorize"),
                    TokenUrl = new Uri(authority + "/oauth2/v2.0/token"),
                    Scopes = new Dictionary<string, string> { [access.RequiredScope] = "Use the Workflow API as the signed-in user." },
                },
            },
        };

        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[MoveSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "A move of the state machine, named exactly as in the model. The details each takes:\n\n"
                + string.Join("\n", Enum.GetValues<Move>().Select(m => $"- `{WorkflowDecider.Name(m)}`: {WorkflowDecider.DetailsTaken(m).Takes}")),
            Enum = [.. MoveNames.Select(n => (JsonNode)JsonValue.Create(n))],
        };

        var schemas = document.Components.Schemas;
        foreach (var schema in schemas.Values.OfType<OpenApiSchema>())
        {
            OptionalWhereNullable(schema);
        }

        // Bodies are read strictly (Features/JsonBody.cs): a member the type does not have is refused with 400.
        var bodies = context.DescriptionGroups.SelectMany(g => g.Items)
            .SelectMany(d => d.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>())
            .Select(a => a.RequestType).OfType<Type>().Distinct();
        foreach (var type in bodies)
        {
            ClosedToUnknownMembers(schemas, type.Name);
        }

        // Patched here rather than in DescribeSchema: references made while schemas are generated break the generator.
        if (schemas.TryGetValue(nameof(WorkflowEndpoints.MoveBody), out var moveBody) && moveBody is OpenApiSchema { Properties: { } body } described)
        {
            body["move"] = new OpenApiSchemaReference(MoveSchema, document);
            described.Description = "A move and the details it takes (see `Move`); details a move does not take are ignored.";
            described.AllOf = [.. RequiredDetails(body)];
        }
        if (schemas.TryGetValue(nameof(WorkflowView), out var view) && view.Properties?.TryGetValue("availableMoves", out var moves) == true
            && moves is OpenApiSchema available)
        {
            available.Items = new OpenApiSchemaReference(MoveSchema, document);
            available.Description = "The moves you may make now, in the model's order. A client may meet a move it does not know yet.";
        }
        if (schemas.TryGetValue(nameof(Microsoft.AspNetCore.Mvc.ProblemDetails), out var problem) && problem is OpenApiSchema { Properties: { } members } problemSchema)
        {
            // The extensions a problem type adds (Features/Problems.cs); other members may appear (traceId, say).
            problemSchema.Description = "RFC 9457 problem details. `type` names the problem; some add members of their own.";
            members["state"] = new OpenApiSchemaReference(nameof(WorkflowStatus), document) { Description = "409 refusals: the workflow's state." };
            members["party"] = new OpenApiSchemaReference(nameof(PartyRole), document) { Description = "409 refusals: your party." };
            members["availableMoves"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchemaReference(MoveSchema, document),
                Description = "409 refusals: the moves you may make now.",
            };
            members["currentVersion"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "412: the version now current." };
            members["currentETag"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "412: its ETag, for `If-Match` once you have decided again." };
        }
        if (schemas.TryGetValue(nameof(HistoryEntryView), out var entry) && entry.Properties?.TryGetValue("details", out var carried) == true
            && carried is OpenApiSchema details)
        {
            DescribeEventDetails(details, document);
        }
        return Task.CompletedTask;
    }

    private static Task DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        operation.Responses ??= [];

        if (metadata.OfType<DeclaredStatusCodes>().LastOrDefault() is { } declared)
        {
            foreach (var code in operation.Responses.Keys.ToList())
            {
                if (int.TryParse(code, CultureInfo.InvariantCulture, out var status) && status < 400 && !declared.Codes.Contains(status))
                {
                    operation.Responses.Remove(code);
                }
            }
        }

        if (metadata.OfType<ReadsHeaders>().Any(h => h.Headers.Contains(RequestHeader.WorkflowLink)))
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(PersonalLinkSchemeName, context.Document)] = [] }];
        }

        var requiresUser = metadata.OfType<IAuthorizeData>().Any(a => a.Policy == Authentication.UserPolicy);
        if (requiresUser)
        {
            var scope = context.ApplicationServices.GetRequiredService<AccessOptions>().RequiredScope;
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, context.Document)] = [scope] }];
            // Every signed-in route reads or writes storage, and every route under /api/ is rate limited (Hosting/RateLimits.cs).
            foreach (var status in new[] { 401, 403, 503 })
            {
                operation.Responses.TryAdd(status.ToString(CultureInfo.InvariantCulture), Problem(context.Document));
            }
        }
        operation.Responses.TryAdd("429", Problem(context.Document));

        foreach (var (code, response) in operation.Responses)
        {
            if (response is not OpenApiResponse described || !int.TryParse(code, CultureInfo.InvariantCulture, out var status))
            {
                continue;
            }
            described.Description = Meanings.GetValueOrDefault(status, described.Description ?? "");
            if (status is 429 or 503)
            {
                described.Headers ??= new Dictionary<string, IOpenApiHeader>();
                described.Headers["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } };
            }
            if (status is 200 or 201 && IsWorkflow(described))
            {
                described.Headers ??= new Dictionary<string, IOpenApiHeader>();
                described.Headers["ETag"] = new OpenApiHeader { Description = "The version shown, as `If-Match` takes it for the next move.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            }
            if (status == 201)
            {
                described.Headers ??= new Dictionary<string, IOpenApiHeader>();
                described.Headers["Location"] = new OpenApiHeader { Description = "The new workflow.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            }
        }

        foreach (var query in metadata.OfType<QueryValues>())
        {
            if (operation.Parameters?.FirstOrDefault(p => p.In == ParameterLocation.Query && p.Name == query.Name) is OpenApiParameter { Schema: OpenApiSchema schema })
            {
                if (query.Values is { } values)
                {
                    schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
                }
                if (query.Range is var (minimum, maximum))
                {
                    schema.Type = JsonSchemaType.Integer;
                    schema.Minimum = minimum.ToString(CultureInfo.InvariantCulture);
                    schema.Maximum = maximum.ToString(CultureInfo.InvariantCulture);
                }
            }
        }

        foreach (var header in metadata.OfType<ReadsHeaders>().SelectMany(h => h.Headers))
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(header switch
            {
                RequestHeader.IfMatch => new OpenApiParameter
                {
                    Name = "If-Match",
                    In = ParameterLocation.Header,
                    Required = true,
                    Description = "The ETag of the version you decided on, such as `\"3\"`: missing → 428, stale → 412.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^\"[1-9][0-9]*\"$" },
                },
                RequestHeader.WorkflowLink => new OpenApiParameter
                {
                    Name = Features.Guests.GuestToken.Header,
                    In = ParameterLocation.Header,
                    Required = true,
                    Description = "The token of the personal link a mail gave someone outside the organisation (the part after `#guest=`).",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = GuestTokens.Length, MaxLength = GuestTokens.Length, Pattern = "^[A-Za-z0-9_-]+$" },
                },
                _ => new OpenApiParameter
                {
                    Name = "Idempotency-Key",
                    In = ParameterLocation.Header,
                    Description = "Send the same key to retry the same request safely; the same key with another body → 422.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = Features.IdempotencyKey.MaxLength, Pattern = "^[!-~]+$" },
                },
            });
        }
        return Task.CompletedTask;
    }

    private static bool IsWorkflow(OpenApiResponse response) =>
        response.Content?.Values.Any(m => m.Schema is OpenApiSchemaReference { Reference.Id: nameof(WorkflowView) }) == true;

    private static OpenApiResponse Problem(OpenApiDocument? document) => new()
    {
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(nameof(Microsoft.AspNetCore.Mvc.ProblemDetails), document) },
        },
    };

    private static Task DescribeSchema(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;

        // Numbers are written as numbers; the generator allows strings too because the web defaults read them.
        if (schema.Type is { } numeric && numeric.HasFlag(JsonSchemaType.Integer | JsonSchemaType.String) && schema.Pattern is not null)
        {
            schema.Type = numeric & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        var enumType = Nullable.GetUnderlyingType(type) ?? type;
        if (enumType == typeof(Quadrant))
        {
            // Hosting/JsonConverters.cs writes quadrants as people say them.
            schema.Type = JsonSchemaType.String;
            schema.Enum = [.. Enum.GetValues<Quadrant>().Select(q => (JsonNode)JsonValue.Create(q == Quadrant.Closed ? "closed" : q.ToString()))];
        }
        else if (enumType.IsEnum && schema.Enum is { Count: > 0 })
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = [.. schema.Enum.Where(v => v is not null)];
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The details a move cannot do without, as JSON Schema: if the move is one of those, then the detail is present
    /// and not null. Generated clients see one body type; validators see every move's requirement.
    /// </summary>
    private static IEnumerable<IOpenApiSchema> RequiredDetails(IDictionary<string, IOpenApiSchema> body) =>
        Enum.GetValues<Move>()
            .SelectMany(move => WorkflowDecider.DetailsTaken(move).Requires.Select(detail => (Detail: detail, Move: WorkflowDecider.Name(move))))
            .GroupBy(r => r.Detail, r => r.Move)
            .Select(required => (IOpenApiSchema)new OpenApiSchema
            {
                If = new OpenApiSchema
                {
                    Required = new HashSet<string> { "move" },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["move"] = new OpenApiSchema { Enum = [.. required.Select(m => (JsonNode)JsonValue.Create(m))] },
                    },
                },
                Then = new OpenApiSchema
                {
                    Required = new HashSet<string> { required.Key },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        [required.Key] = new OpenApiSchema { Type = ((OpenApiSchema)body[required.Key]).Type & ~JsonSchemaType.Null },
                    },
                },
            });

    /// <summary>
    /// What a history entry's event carried: the event's own fields, which differ per event. Those clients read are
    /// named; others may appear.
    /// </summary>
    private static void DescribeEventDetails(OpenApiSchema details, OpenApiDocument? document)
    {
        details.Type = JsonSchemaType.Object;
        details.Description = "The event's own fields (they differ per `event`).";
        details.Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["terms"] = new OpenApiSchemaReference(nameof(Terms), document),
            ["termsVersion"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["replyBy"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
            ["assessBy"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
            ["text"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["reason"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["gaps"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["by"] = new OpenApiSchemaReference(nameof(PartyRole), document),
            ["at"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
        };
    }

    private static void ClosedToUnknownMembers(IDictionary<string, IOpenApiSchema> schemas, string name)
    {
        if (!schemas.TryGetValue(name, out var found) || found is not OpenApiSchema { Properties: { } properties } schema
            || schema.AdditionalPropertiesAllowed == false)
        {
            return;
        }
        schema.AdditionalPropertiesAllowed = false;
        foreach (var property in properties.Values)
        {
            foreach (var reference in (property.OneOf ?? []).Append(property).OfType<OpenApiSchemaReference>())
            {
                ClosedToUnknownMembers(schemas, reference.Reference.Id!);
            }
        }
    }

    /// <summary>Nulls are never written (Program.cs: WhenWritingNull), so a member that may be null may be absent.</summary>
    private static void OptionalWhereNullable(OpenApiSchema schema)
    {
        foreach (var (name, property) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (AdmitsNull(property))
            {
                schema.Required?.Remove(name);
            }
            if (property is OpenApiSchema { Properties.Count: > 0 } inline)
            {
                OptionalWhereNullable(inline);
            }
        }
    }

    private static bool AdmitsNull(IOpenApiSchema schema) =>
        (schema.Type is { } type && type.HasFlag(JsonSchemaType.Null))
        || schema.OneOf?.Any(s => s.Type == JsonSchemaType.Null) == true;
}

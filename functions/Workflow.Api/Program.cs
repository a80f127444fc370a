using Microsoft.AspNetCore.Authentication.JwtBearer;
using Workflow.Application;
using Workflow.Api.Features;
using Workflow.Api.Features.Items;
using Workflow.Api.Features.Meetings;
using Workflow.Api.Features.Profile;
using Workflow.Api.Features.Figures;
using Workflow.Api.Features.Guests;
using Workflow.Api.Features.Notifications;
using Workflow.Api.Features.Review;
using Workflow.Api.Features.Roles;
using Workflow.Api.Graph;
using Workflow.Api.Mail;
using Workflow.Api.Features.Workflows;
using Workflow.Api.Hosting;
using Workflow.Api.Identity;
using Workflow.Api.Storage;

var builder = WebApplication.CreateBuilder(args);
builder.ListenWhereTheHostSays();

// Identity: Entra tokens via Microsoft.Identity.Web; in Development also the local sign-in.
builder.Services.AddWorkflowAuthentication(builder.Configuration, builder.Environment);

// Storage: Azure Table Storage (Azurite locally).
builder.Services.AddSingleton(builder.Configuration.GetSection(TableStorageOptions.Section).Get<TableStorageOptions>() ?? new());
builder.Services.AddSingleton<TableStorage>();
builder.Services.AddHostedService<StorageWarmUp>();
builder.Services.AddSingleton<TableWorkflowStore>();
builder.Services.AddSingleton<IWorkflowStore>(sp => sp.GetRequiredService<TableWorkflowStore>());
builder.Services.AddSingleton<IOutbox>(sp => sp.GetRequiredService<TableWorkflowStore>());
builder.Services.AddSingleton<IWorkflowIndex, TableWorkflowIndex>();
builder.Services.AddSingleton(_ => new KnownIndexRows());
builder.Services.AddSingleton<IIndexProjection>(sp => new IndexProjector(
    sp.GetRequiredService<TableStorage>(), sp.GetRequiredService<IPeopleRegistry>(), sp.GetRequiredService<KnownIndexRows>()));
builder.Services.AddSingleton(builder.Configuration.GetSection(PeopleRegistryOptions.Section).Get<PeopleRegistryOptions>() ?? new());
builder.Services.AddSingleton<IPeopleRegistry, TablePeopleRegistry>();
builder.Services.AddSingleton<IDigestLedger, TableDigestLedger>();
builder.Services.AddSingleton<IOpenLedger, TableOpenLedger>();
builder.Services.AddSingleton<IMeetingStore, TableMeetings>();
builder.Services.AddSingleton<IChildIndex, TableChildIndex>();
builder.Services.AddSingleton<ChildrenService>();
builder.Services.AddSingleton<MeetingService>();
builder.Services.AddSingleton<OutcomeRecorder>();
builder.Services.AddSingleton<IRoleStore, TableRoles>();
builder.Services.AddSingleton<RoleService>();
builder.Services.AddSingleton<RoleCycleJob>();
builder.Services.AddSingleton(builder.Configuration.GetSection(PrivacyOptions.Section).Get<PrivacyOptions>() ?? new());
builder.Services.AddSingleton<IPersonalRecords, TablePersonalRecords>();
builder.Services.AddSingleton<PersonalData>();
builder.Services.AddSingleton<TableFigures>();
builder.Services.AddSingleton<IFigureStore>(sp => sp.GetRequiredService<TableFigures>());
builder.Services.AddSingleton<IFigureProjection>(sp => sp.GetRequiredService<TableFigures>());
builder.Services.AddSingleton<FigureService>();
builder.Services.AddSingleton<ITeamStore, TableTeams>();
builder.Services.AddSingleton<TeamService>();
builder.Services.AddSingleton<IPersonalFigures, FiguresAsPersonalData>();
builder.Services.AddSingleton(builder.Configuration.GetSection(LimitOptions.Section).Get<LimitOptions>() ?? new());

// Follow-ups: written to the outbox by each commit, dispatched here off the request path, swept for leftovers.
builder.Services.AddSingleton(builder.Configuration.GetSection(FollowUpOptions.Section).Get<FollowUpOptions>() ?? new());
builder.Services.AddSingleton<PendingFollowUps>();
builder.Services.AddSingleton<IFollowUps>(sp => sp.GetRequiredService<PendingFollowUps>());
builder.Services.AddSingleton<FollowUpDispatcher>();
// The worker starts with the host but needs storage only for its first job or sweep.
builder.Services.AddSingleton(sp => new Lazy<FollowUpDispatcher>(sp.GetRequiredService<FollowUpDispatcher>));
builder.Services.AddHostedService<FollowUpWorker>();

// Notifications: each commit's notify rows become notices in the recipient's box, mailed by their preferences, or a
// mail this instance holds for the move it committed (docs/decisions/0017).
builder.Services.AddSingleton(builder.Configuration.GetSection(NotificationOptions.Section).Get<NotificationOptions>() ?? new());
builder.Services.AddSingleton<INoticeBox, TableNoticeBox>();
builder.Services.AddSingleton<IGuestLinks, TableGuestLinks>();
builder.Services.AddSingleton<HeldMails>();
builder.Services.AddSingleton<Notifier>();
builder.Services.AddSingleton<NotificationMailer>();
builder.Services.AddSingleton<ReminderJob>();
builder.Services.AddSingleton(sp => new Lazy<NotificationMailer>(sp.GetRequiredService<NotificationMailer>));
builder.Services.AddSingleton(sp => new Lazy<ReminderJob>(sp.GetRequiredService<ReminderJob>));
builder.Services.AddHostedService<NotificationWorker>();

// Directory (who an email names), mail, Teams and mailbox time zones: Microsoft Graph in Azure; the development directory
// and an outbox folder locally.
var graph = builder.Configuration.GetSection(GraphOptions.Section).Get<GraphOptions>() ?? new();
builder.Services.AddSingleton(builder.Configuration.GetSection(FileMailOptions.Section).Get<FileMailOptions>() ?? new());
builder.Services.AddSingleton(builder.Configuration.GetSection(DirectoryOptions.Section).Get<DirectoryOptions>() ?? new());
if (builder.Environment.IsDevelopment())
{
    builder.Services.AddSingleton(builder.Configuration.GetSection(DevelopmentDirectoryOptions.Section).Get<DevelopmentDirectoryOptions>() ?? new());
    builder.Services.AddSingleton<DevelopmentDirectory>();
    builder.Services.AddSingleton<IDirectory>(sp => sp.GetRequiredService<DevelopmentDirectory>());
    builder.Services.AddSingleton<IDirectoryGroups>(sp => sp.GetRequiredService<DevelopmentDirectory>());
    builder.Services.AddSingleton<IMailSender, FileMailSender>();
    builder.Services.AddSingleton<IMailbox, NoMailbox>();
    builder.Services.AddSingleton<ITeamsNotifier, NoTeams>();
    builder.Services.AddSingleton<IMailboxTimeZones, NoMailboxTimeZones>();
}
else if (graph.Enabled)
{
    // One HTTP pipeline for every Graph call of the process, app-only and on behalf of users alike.
    builder.Services.AddSingleton(_ => new GraphPipeline());
    builder.Services.AddSingleton<UserGraphClients>();
    builder.Services.AddSingleton<IMailbox>(sp => new GraphMailbox(sp.GetRequiredService<UserGraphClients>().ForUser));
    var homeTenant = builder.Configuration["AzureAd:HomeTenantId"] ?? "";
    builder.Services.AddSingleton(sp => new AppGraphClients(homeTenant, graph.PartnerDirectoryTenants,
        AppGraphClients.AzureCredentials(homeTenant, builder.Configuration["AzureAd:ClientId"] ?? "",
            builder.Configuration["AzureAd:ClientCredentials:0:ManagedIdentityClientId"]), sp.GetRequiredService<GraphPipeline>()));
    builder.Services.AddSingleton(sp => new GraphDirectory(sp.GetRequiredService<AppGraphClients>().ForTenant));
    builder.Services.AddSingleton<IDirectory>(sp => sp.GetRequiredService<GraphDirectory>());
    builder.Services.AddSingleton<IDirectoryGroups>(sp => sp.GetRequiredService<GraphDirectory>());
    builder.Services.AddSingleton<IMailSender>(sp => new GraphMailSender(sp.GetRequiredService<AppGraphClients>().HomeTenant, graph.ServiceMailbox, sp.GetRequiredService<TimeProvider>()));
    builder.Services.AddSingleton<ITeamsNotifier>(sp => new GraphTeamsNotifier(sp.GetRequiredService<AppGraphClients>().HomeTenant, homeTenant, graph.TeamsAppExternalId));
    builder.Services.AddSingleton<IMailboxTimeZones>(sp => new GraphMailboxTimeZones(sp.GetRequiredService<AppGraphClients>().HomeTenant, homeTenant));
    builder.Services.AddSingleton(sp => new DigestCalendars(graph.DigestReadsCalendars
        ? new GraphMailbox(user => sp.GetRequiredService<AppGraphClients>().ForTenant(user.TenantId)
            ?? throw new InvalidOperationException($"No credential is held in tenant {user.TenantId} to read its calendars."))
        : new NoMailbox()));
}
else
{
    // Fails closed: nobody is bound by email, digests go to the outbox folder rather than to anyone, nobody is told in Teams.
    builder.Services.AddSingleton<NoDirectory>();
    builder.Services.AddSingleton<IDirectory>(sp => sp.GetRequiredService<NoDirectory>());
    builder.Services.AddSingleton<IDirectoryGroups>(sp => sp.GetRequiredService<NoDirectory>());
    builder.Services.AddSingleton<IMailSender, FileMailSender>();
    builder.Services.AddSingleton<IMailbox, NoMailbox>();
    builder.Services.AddSingleton<ITeamsNotifier, NoTeams>();
    builder.Services.AddSingleton<IMailboxTimeZones, NoMailboxTimeZones>();
}

builder.Services.AddRateLimits(builder.Configuration);
// The weekly review and its digest job (the WeeklyReview timer function).
builder.Services.AddSingleton(builder.Configuration.GetSection(DigestOptions.Section).Get<DigestOptions>() ?? new());
builder.Services.AddSingleton<PersonalReview>();
builder.Services.AddSingleton<WeeklyDigestJob>();

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<WorkflowService>();
builder.Services.AddCallerBinding();
builder.Services.Configure<RouteOptions>(options => options.SetParameterPolicy<WorkflowIdConstraint>(WorkflowIdConstraint.Name));
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ErrorHandling>();
builder.Services.AddOpenApiContract();
builder.Services.ConfigureHttpJsonOptions(options =>
{
    // Answers are written from build-time metadata only, never by reflection (the handler is compiled ahead of time,
    // docs/decisions/0019): a type missing from ApiJsonContext fails the tests instead of the shipped handler.
    options.SerializerOptions.TypeInfoResolverChain.Clear();
    options.SerializerOptions.TypeInfoResolverChain.Add(ApiJsonContext.Default);
    options.SerializerOptions.Converters.Add(new QuadrantConverter());
    JsonEnums.AddTo(options.SerializerOptions.Converters);
    options.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
});

var app = builder.Build();
app.UseExceptionHandler();
app.UseProblemStatusCodes();
// The readiness probe and the timer routes answer the Functions host only, however a forwarded path was spelled.
app.UseHostOnlyOutsideApi();
// No UseAuthentication: the user policy authenticates the endpoints that need a user (Identity/Authentication.cs).
app.UseAuthorization();
app.UseRateLimiter();

app.MapReadiness();
app.MapOpenApi(OpenApiContract.DocumentRoute).AllowAnonymous();
app.MapApiDocs();
app.MapWorkflows();
app.MapChildren();
app.MapItems();
app.MapMeetings();
app.MapRoles();
app.MapMailbox();
app.MapReview();
app.MapMe();
app.MapFigures();
app.MapWeeklyReviewTimer();
app.MapNotificationsTimer();
app.MapRoleCyclesTimer();
app.MapGuests();
#if DEVELOPMENT_SIGN_IN
if (app.Environment.IsDevelopment())
{
    app.MapDevelopmentSignIn();
}
#endif

app.Run();

/// <summary>The entry point, visible to the API tests' WebApplicationFactory.</summary>
public partial class Program
{
    /// <summary>The bearer scheme every endpoint authenticates with.</summary>
    public const string Scheme = JwtBearerDefaults.AuthenticationScheme;
}

using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Workflow.Api.Features.Items;
using Workflow.Api.Features.Profile;
using Workflow.Api.Features.Review;
using Workflow.Api.Features.Workflows;
using Workflow.Api.Identity;

namespace Workflow.Api.Hosting;

/// <summary>
/// JSON metadata for everything the API writes, generated at build time. The endpoint delegates ask for
/// <c>object</c>'s metadata when the route table is built, which otherwise starts the reflection-based serializer
/// (about 100 ms of start-up, measured by scripts/bench.sh); answers are written without reflection too. Naming,
/// enum and null-handling rules still come from the HTTP JSON options (Program.cs). Nothing falls back to
/// reflection (the handler is compiled ahead of time, docs/decisions/0019): a type missing here fails its request,
/// and the tests, which run with this resolver alone.
/// The request bodies are here too: the endpoint delegates look up each body's metadata when the route table is built,
/// before the readiness probe is answered (about 20 ms of start-up by reflection, scripts/bench.sh).
/// </summary>
[JsonSerializable(typeof(object))]
[JsonSerializable(typeof(WorkflowView))]
[JsonSerializable(typeof(ListPageView))]
[JsonSerializable(typeof(SummaryView[]))]
[JsonSerializable(typeof(HistoryPageView))]
[JsonSerializable(typeof(MailboxEndpoints.ResolvedItem))]
[JsonSerializable(typeof(Features.Meetings.MeetingEndpoints.MeetingView))]
[JsonSerializable(typeof(Features.Meetings.MeetingEndpoints.AgendaView))]
[JsonSerializable(typeof(ChildEndpoints.ChildrenView))]
[JsonSerializable(typeof(ChildEndpoints.TreeView))]
[JsonSerializable(typeof(ProfileEndpoints.MeView))]
[JsonSerializable(typeof(Application.ForgetRun))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
[JsonSerializable(typeof(ReviewEndpoints.ReviewView))]
[JsonSerializable(typeof(Features.Guests.GuestEndpoints.MailView))]
[JsonSerializable(typeof(Features.Roles.RoleView))]
[JsonSerializable(typeof(Features.Roles.RoleListView))]
[JsonSerializable(typeof(Features.Roles.SchedulePreviewView))]
[JsonSerializable(typeof(Features.Figures.FigureEndpoints.FiguresView))]
[JsonSerializable(typeof(Features.Figures.FigureEndpoints.TeamView))]
[JsonSerializable(typeof(Features.Figures.FigureEndpoints.TeamListView))]
[JsonSerializable(typeof(Features.Figures.FigureEndpoints.GroupListView))]
[JsonSerializable(typeof(Application.TeamListing))]
[JsonSerializable(typeof(WorkflowEndpoints.OpenBody))]
[JsonSerializable(typeof(WorkflowEndpoints.MoveBody))]
[JsonSerializable(typeof(ChildEndpoints.ChildBody))]
[JsonSerializable(typeof(ItemEndpoints.LinkBody))]
[JsonSerializable(typeof(MailboxEndpoints.TagBody))]
[JsonSerializable(typeof(Features.Meetings.MeetingEndpoints.PurposeBody))]
[JsonSerializable(typeof(Features.Roles.RoleEndpoints.CreateRoleBody))]
[JsonSerializable(typeof(Features.Roles.RoleEndpoints.SaveAsRoleBody))]
[JsonSerializable(typeof(Features.Roles.RoleEndpoints.HandoverBody))]
[JsonSerializable(typeof(Features.Roles.RoleEndpoints.OfferAnswerBody))]
[JsonSerializable(typeof(ProfileEndpoints.PreferencesBody))]
[JsonSerializable(typeof(ProfileEndpoints.ForgetBody))]
[JsonSerializable(typeof(Features.Figures.FigureEndpoints.TeamBody))]
[JsonSerializable(typeof(Features.Figures.FigureEndpoints.MembershipBody))]
[JsonSerializable(typeof(Features.Guests.GuestEndpoints.MailBody))]
#if DEVELOPMENT_SIGN_IN
[JsonSerializable(typeof(DevelopmentSignIn.TokenRequest))]
[JsonSerializable(typeof(DevelopmentSignIn.TokenResponse))]
#endif
// Any event, as the history and the export write it (their Details are typed object).
[JsonSerializable(typeof(Domain.WorkflowOpened))]
[JsonSerializable(typeof(Domain.Requested))]
[JsonSerializable(typeof(Domain.Offered))]
[JsonSerializable(typeof(Domain.Withdrawn))]
[JsonSerializable(typeof(Domain.Promised))]
[JsonSerializable(typeof(Domain.Countered))]
[JsonSerializable(typeof(Domain.Declined))]
[JsonSerializable(typeof(Domain.ReplyPromised))]
[JsonSerializable(typeof(Domain.CounterAccepted))]
[JsonSerializable(typeof(Domain.CompletionReported))]
[JsonSerializable(typeof(Domain.Reneged))]
[JsonSerializable(typeof(Domain.Cancelled))]
[JsonSerializable(typeof(Domain.ChangeProposed))]
[JsonSerializable(typeof(Domain.ChangeAccepted))]
[JsonSerializable(typeof(Domain.ChangeRejected))]
[JsonSerializable(typeof(Domain.ChangeWithdrawn))]
[JsonSerializable(typeof(Domain.CheckedIn))]
[JsonSerializable(typeof(Domain.ProgressReported))]
[JsonSerializable(typeof(Domain.SatisfactionDeclared))]
[JsonSerializable(typeof(Domain.DissatisfactionDeclared))]
[JsonSerializable(typeof(Domain.NoteAdded))]
[JsonSerializable(typeof(Domain.Repeated))]
[JsonSerializable(typeof(Domain.ItemLinked))]
[JsonSerializable(typeof(Domain.ItemUnlinked))]
[JsonSerializable(typeof(Domain.PartyBound))]
[JsonSerializable(typeof(Domain.GuestLinksRevoked))]
[JsonSerializable(typeof(Domain.Nudged))]
[JsonSerializable(typeof(Domain.RequestRecorded))]
[JsonSerializable(typeof(Domain.PromiseRecorded))]
[JsonSerializable(typeof(Domain.CheckInCadenceSet))]
[JsonSerializable(typeof(Domain.ObjectiveMarked))]
[JsonSerializable(typeof(Domain.SharedWithParent))]
[JsonSerializable(typeof(Domain.FeedbackGiven))]
[JsonSerializable(typeof(Domain.PerformerHandedOver))]
[JsonSerializable(typeof(Domain.HandoverOffered))]
[JsonSerializable(typeof(Domain.HandoverLeft))]
[JsonSerializable(typeof(Domain.PartyForgotten))]
// What problem answers carry in their extensions.
[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(Dictionary<string, object?>[]))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Application.PersonalExport))]
[JsonSerializable(typeof(TimerFunctions.InvocationReply))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;

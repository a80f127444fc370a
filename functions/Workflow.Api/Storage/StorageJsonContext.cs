using System.Text.Json.Serialization;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>
/// JSON metadata, generated at build time, for everything stored as JSON: the workflow's state and events, the outbox's
/// follow-ups, the children's lines, figures, roles and held notices. Nothing stored is read or written by reflection
/// (the handler is compiled ahead of time, docs/decisions/0019); <c>AheadOfTimeJsonTests</c> fails when an event or a
/// follow-up is missing here. Naming and enums come from <see cref="StorageJson.Options"/>.
/// </summary>
[JsonSerializable(typeof(WorkflowState))]
[JsonSerializable(typeof(ChildLine))]
[JsonSerializable(typeof(LoopFacts))]
[JsonSerializable(typeof(Role))]
[JsonSerializable(typeof(List<Notice>))]
[JsonSerializable(typeof(IReadOnlyList<Notice>))]
[JsonSerializable(typeof(WorkflowOpened))]
[JsonSerializable(typeof(Requested))]
[JsonSerializable(typeof(Offered))]
[JsonSerializable(typeof(Withdrawn))]
[JsonSerializable(typeof(Promised))]
[JsonSerializable(typeof(Countered))]
[JsonSerializable(typeof(Declined))]
[JsonSerializable(typeof(ReplyPromised))]
[JsonSerializable(typeof(CounterAccepted))]
[JsonSerializable(typeof(CompletionReported))]
[JsonSerializable(typeof(Reneged))]
[JsonSerializable(typeof(Cancelled))]
[JsonSerializable(typeof(ChangeProposed))]
[JsonSerializable(typeof(ChangeAccepted))]
[JsonSerializable(typeof(ChangeRejected))]
[JsonSerializable(typeof(ChangeWithdrawn))]
[JsonSerializable(typeof(CheckedIn))]
[JsonSerializable(typeof(ProgressReported))]
[JsonSerializable(typeof(SatisfactionDeclared))]
[JsonSerializable(typeof(DissatisfactionDeclared))]
[JsonSerializable(typeof(NoteAdded))]
[JsonSerializable(typeof(Repeated))]
[JsonSerializable(typeof(ItemLinked))]
[JsonSerializable(typeof(ItemUnlinked))]
[JsonSerializable(typeof(PartyBound))]
[JsonSerializable(typeof(GuestLinksRevoked))]
[JsonSerializable(typeof(Nudged))]
[JsonSerializable(typeof(RequestRecorded))]
[JsonSerializable(typeof(PromiseRecorded))]
[JsonSerializable(typeof(CheckInCadenceSet))]
[JsonSerializable(typeof(ObjectiveMarked))]
[JsonSerializable(typeof(SharedWithParent))]
[JsonSerializable(typeof(FeedbackGiven))]
[JsonSerializable(typeof(PerformerHandedOver))]
[JsonSerializable(typeof(HandoverOffered))]
[JsonSerializable(typeof(HandoverLeft))]
[JsonSerializable(typeof(PartyForgotten))]
[JsonSerializable(typeof(ProjectIndex))]
[JsonSerializable(typeof(StartCycle))]
[JsonSerializable(typeof(Notify))]
[JsonSerializable(typeof(NotifyAlso))]
[JsonSerializable(typeof(RecordOutcomes))]
[JsonSerializable(typeof(ProjectFigures))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;

namespace Workflow.Domain;

/// <summary>
/// The conversation for action as a decider: <see cref="Decide"/> turns a command into events or a rejection,
/// <see cref="Evolve"/> folds an event into the state. Pure: time and the acting party come in as inputs.
/// </summary>
public static class WorkflowDecider
{
    public const int MaxConcernLength = 1_000;
    public const int MaxConditionsLength = 4_000;
    public const int MaxTextLength = 4_000;

    /// <summary>How long the party whose move it is has to answer when the proposer names no reply-by.</summary>
    public static readonly TimeSpan DefaultReplyWindow = TimeSpan.FromDays(2);

    /// <summary>How long the customer has to assess reported work when the performer names no assess-by.</summary>
    public static readonly TimeSpan DefaultAssessWindow = TimeSpan.FromDays(3);

    /// <summary>The longest check-in cadence a customer may set, in days.</summary>
    public const int MaxCheckInEveryDays = 90;

    /// <summary>How often the customer may nudge the performer about one request: at most once in this long.</summary>
    public static readonly TimeSpan NudgeInterval = TimeSpan.FromDays(1);

    /// <summary>
    /// Opens a workflow: the opening, the item it was opened from, and — when the request or the promise already
    /// happened (<see cref="OpenWorkflow.Start"/>) — what the opener records of it, all decided here in one step so
    /// the service commits them together. Each start is told honestly in the history: a customer who opens as
    /// requested simply requests; a performer records the customer's request (<see cref="RequestRecorded"/>) and may
    /// promise at once (<see cref="Promised"/>); a customer records the performer's promise (<see cref="PromiseRecorded"/>).
    /// </summary>
    public static Decision Open(OpenWorkflow command, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(command.Concern) || command.Concern.Length > MaxConcernLength)
        {
            return Invalid($"The concern is required and at most {MaxConcernLength} characters.");
        }
        if (SamePerson(command.Customer, command.Performer))
        {
            return Invalid("The customer and the performer must be two different people.");
        }
        if (command.Conditions is { Length: > MaxConditionsLength })
        {
            return Invalid($"The conditions of satisfaction are at most {MaxConditionsLength} characters.");
        }
        if (command.DueBy is { } due && due <= now)
        {
            return Invalid("dueBy must be in the future.");
        }
        if (command.Start != Start.Draft && (string.IsNullOrWhiteSpace(command.Conditions) || command.DueBy is null))
        {
            return Invalid($"Opening as '{Name(command.Start)}' takes conditions and dueBy: the terms that were asked or promised.");
        }
        if (command.ReplyBy is not null && command.Start != Start.Requested)
        {
            return Invalid("replyBy is taken only when opening as 'requested': it is the performer's time to answer the request.");
        }
        if (command.ReplyBy is { } replyBy && replyBy <= now)
        {
            return Invalid("replyBy must be in the future.");
        }
        if (command.Parent is { } parent && parent.WorkflowId == command.Id)
        {
            return Invalid("A workflow cannot be opened under itself.");
        }

        var terms = string.IsNullOrWhiteSpace(command.Conditions) && command.DueBy is null
            ? null
            : new Terms(1, command.Conditions?.Trim() ?? "", command.DueBy, command.OpenedBy, now);
        var by = command.OpenedBy;
        var opened = new WorkflowOpened(
            command.Id, command.Concern.Trim(), command.Customer, command.Performer, terms, command.RepeatOf)
        { By = by, At = now, Parent = command.Parent, Cycle = command.Cycle };
        List<WorkflowEvent> events = [opened];
        var state = Evolve(null, opened);

        if (command.Source is { } source)
        {
            var linked = DecideLink(state, source, by, now);
            events.AddRange(linked.Events);
            state = linked.Events.Aggregate(state, Evolve);
        }

        if (command.Start == Start.Requested && by == PartyRole.Customer)
        {
            // The customer's own request, made at once: exactly the request move, so it is decided as one.
            var requested = Decide(state, new MakeMove(Move.Request, new MoveDetails { ReplyBy = command.ReplyBy }), by, now);
            return requested.IsAccepted ? Decision.Accept([.. events, .. requested.Events]) : requested;
        }
        WorkflowEvent[] recorded = (command.Start, by) switch
        {
            (Start.Draft, _) => [],
            (Start.Requested, _) => [new RequestRecorded(state.Proposed!, command.ReplyBy ?? now + DefaultReplyWindow)],
            (Start.Promised, PartyRole.Performer) =>
                [new RequestRecorded(state.Proposed!, now + DefaultReplyWindow), new Promised(state.Proposed!.Version)],
            (Start.Promised, _) => [new PromiseRecorded(state.Proposed!)],
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.Start, "Unknown start."),
        };
        return Decision.Accept([.. events, .. recorded.Select(e => e with { By = by, At = now })]);
    }

    public static Decision Decide(WorkflowState state, WorkflowCommand command, PartyRole by, DateTimeOffset now) =>
        command switch
        {
            MakeMove move => InMeeting(DecideMove(state, move.Move, move.Details, by, now), move.Details.Meeting),
            LinkItem link => DecideLink(state, link, by, now),
            UnlinkItem unlink => state.Links.Any(l => l.Key == unlink.Key)
                ? Decision.Accept(new ItemUnlinked(unlink.Key) { By = by, At = now })
                : Decision.Accept(), // Unlinking what is not linked is already done.
            BindParty bind => !state[bind.Role].IsPending
                ? Decision.Accept() // A party is bound once.
                : state[WorkflowState.Other(bind.Role)].User == bind.User
                    ? Invalid("The customer and the performer must be two different people.")
                    : Decision.Accept(new PartyBound(bind.Role, bind.User, bind.DisplayName, bind.Email) { By = by, At = now }),
            RevokeGuestLinks revoke => revoke.Party == by
                ? Invalid("Only the other party revokes a party's personal links.")
                : Decision.Accept(new GuestLinksRevoked(revoke.Party) { By = by, At = now }),
            // Allowed in every state, as a note is: leaving is not a move of the loop, and the other party keeps every
            // move of theirs. Forgotten once: a retried deletion decides nothing.
            ForgetParty forget => state[by].IsFormer
                ? Decision.Accept()
                : Decision.Accept(new PartyForgotten(by, Party.Former(forget.Alias)) { By = by, At = now }),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown command."),
        };

    /// <summary>A move made in a meeting: each of its events records the meeting.</summary>
    private static Decision InMeeting(Decision decision, MeetingRef? meeting) =>
        meeting is null || !decision.IsAccepted || decision.Events.Count == 0
            ? decision
            : Decision.Accept([.. decision.Events.Select(e => e with { InMeeting = meeting })]);

    private static Decision DecideMove(WorkflowState state, Move move, MoveDetails details, PartyRole by, DateTimeOffset now)
    {
        var row = TransitionTable.Find(state.Status, move);
        if (row is null)
        {
            return Decision.Reject(RejectionKind.NotAllowedInState,
                $"'{Name(move)}' is not a move in state '{Name(state.Status)}'; the {Name(by)} cannot make it now.");
        }
        if (!TransitionTable.Permits(row, state, by))
        {
            return Decision.Reject(RejectionKind.NotYourMove, state.IsVisibleTo(by)
                ? $"'{Name(move)}' in state '{Name(state.Status)}' is not the {Name(by)}'s move ({Describe(row.Who)} makes it)."
                : $"'{Name(move)}' in state '{Name(state.Status)}' is not the {Name(by)}'s move: a draft is its opener's alone.");
        }
        if (move == Move.Repeat && state.RepeatedAs is not null)
        {
            return Decision.Reject(RejectionKind.NotAllowedInState,
                $"'repeat' in state '{Name(state.Status)}': this workflow was already repeated as {state.RepeatedAs}.");
        }
        if (TextProblem(details) is { } textProblem)
        {
            return Invalid(textProblem);
        }

        if (move == Move.Nudge)
        {
            return DecideNudge(state, details, by, now);
        }
        if (move == Move.GiveFeedback)
        {
            return DecideFeedback(state, details, by, now);
        }
        if (move == Move.ShareWithParent && state.Parent is not { Relation: ChildRelation.Delegated })
        {
            return Decision.Reject(RejectionKind.NotAllowedInState,
                $"'shareWithParent' in state '{Name(state.Status)}': the {Name(by)} can share only a workflow delegated from another, with that one's customer.");
        }

        if (move is Move.Request or Move.Offer or Move.Counter or Move.ProposeChange)
        {
            var terms = ProposeTerms(state, details, by, now, mustChange: move is Move.Counter or Move.ProposeChange, out var problem);
            var replyBy = ReplyBy(details, now, ref problem);
            if (terms is null || replyBy is null)
            {
                return Invalid($"'{Name(move)}' in state '{Name(state.Status)}': {problem}");
            }
            WorkflowEvent proposal = move switch
            {
                Move.Request => new Requested(terms, replyBy.Value),
                Move.Offer => new Offered(terms, replyBy.Value),
                Move.Counter => new Countered(terms, replyBy.Value),
                _ => new ChangeProposed(terms, replyBy.Value),
            };
            return Decision.Accept(proposal with { By = by, At = now });
        }

        WorkflowEvent? e = move switch
        {
            Move.Withdraw => new Withdrawn(details.Text),
            Move.Decline => new Declined(details.Text),
            Move.Promise => new Promised(state.Proposed!.Version),
            Move.Accept => new CounterAccepted(state.Proposed!.Version),
            Move.CommitToCommit => details.ReplyBy is { } later && later > now ? new ReplyPromised(later) : null,
            Move.ReportComplete => details.AssessBy is { } assessBy && assessBy <= now
                ? null
                : new CompletionReported(details.AssessBy ?? now + DefaultAssessWindow, details.Text),
            Move.Renege => new Reneged(details.Text),
            Move.Cancel => new Cancelled(details.Text),
            Move.AcceptChange => new ChangeAccepted(state.Proposed!.Version),
            Move.RejectChange => new ChangeRejected(details.Text),
            Move.WithdrawChange => new ChangeWithdrawn(details.Text),
            Move.CheckIn => new CheckedIn(details.Text),
            Move.ReportProgress => new ProgressReported(details.Text),
            Move.DeclareSatisfied => new SatisfactionDeclared(details.Text),
            Move.DeclareNotSatisfied => string.IsNullOrWhiteSpace(details.Text) ? null : new DissatisfactionDeclared(details.Text.Trim()),
            Move.Note => string.IsNullOrWhiteSpace(details.Text) ? null : new NoteAdded(details.Text.Trim()),
            Move.Repeat => string.IsNullOrWhiteSpace(details.NewWorkflowId) ? null : new Repeated(details.NewWorkflowId),
            Move.SetCheckIns => details.CheckInEveryDays is null or (>= 1 and <= MaxCheckInEveryDays)
                ? new CheckInCadenceSet(details.CheckInEveryDays)
                : null,
            Move.MarkObjective => details.Objective is { } objective ? new ObjectiveMarked(objective) : null,
            Move.ShareWithParent => details.Shared is { } shared ? new SharedWithParent(shared) : null,
            _ => throw new ArgumentOutOfRangeException(nameof(move), move, "A move without a decision."),
        };

        return e is null
            ? Invalid($"'{Name(move)}' in state '{Name(state.Status)}': {MissingDetails(move)}")
            : Decision.Accept(e with { By = by, At = now });
    }

    /// <summary>
    /// A nudge: once a day at most (exactly a day after the last one it is allowed again), and a reply-by it names
    /// may only extend the performer's time — a reminder is no way to shorten what was asked.
    /// </summary>
    private static Decision DecideNudge(WorkflowState state, MoveDetails details, PartyRole by, DateTimeOffset now)
    {
        if (state.NextNudgeAt is { } next && now < next)
        {
            return Decision.Reject(RejectionKind.NotAllowedInState,
                $"'nudge' in state '{Name(state.Status)}': the {Name(by)} nudged at {state.LastNudgeAt:u}, and nudges are at most "
                + $"one a day; the next is possible at {next:u}.");
        }
        if (details.ReplyBy is { } replyBy && (replyBy <= now || replyBy <= state.Clocks.ReplyBy))
        {
            return Invalid($"'nudge' in state '{Name(state.Status)}': replyBy extends the performer's reply-by, so it must be in "
                + $"the future and later than the current one ({state.Clocks.ReplyBy:u}).");
        }
        return Decision.Accept(new Nudged(details.ReplyBy, details.Text?.Trim() is { Length: > 0 } text ? text : null) { By = by, At = now });
    }

    /// <summary>
    /// Feedback once the loop is closed: once per party, their own questions only, and something said — a word or an answer.
    /// </summary>
    private static Decision DecideFeedback(WorkflowState state, MoveDetails details, PartyRole by, DateTimeOffset now)
    {
        if (state.FeedbackOf(by) is not null)
        {
            return Decision.Reject(RejectionKind.NotAllowedInState,
                $"'giveFeedback' in state '{Name(state.Status)}': the {Name(by)} already gave their feedback; it is given once.");
        }
        var answers = details.Answers ?? FeedbackAnswers.None;
        if (!answers.AreAllFor(by))
        {
            return Invalid(by == PartyRole.Customer
                ? "'giveFeedback': the customer answers resultMet and keptInformed (the performer answers the others)."
                : "'giveFeedback': the performer answers concernClear, conditionsNegotiable and checkInsHelped (the customer answers the others).");
        }
        var text = details.Text?.Trim() is { Length: > 0 } t ? t : null;
        if (text is null && answers.IsEmpty())
        {
            return Invalid("'giveFeedback': say something — text, or an answer to at least one question.");
        }
        return Decision.Accept(new FeedbackGiven(text, answers) { By = by, At = now });
    }

    private static Decision DecideLink(WorkflowState state, LinkItem link, PartyRole by, DateTimeOffset now)
    {
        if (state.Links.Any(l => l.Key == link.Key))
        {
            return Decision.Accept(); // Linking twice is linking once.
        }
        if (state.Links.Count >= WorkflowState.MaxLinks)
        {
            return Invalid($"A workflow links at most {WorkflowState.MaxLinks} items; unlink one first.");
        }
        var item = new ItemLink(link.Key, link.Kind, link.Subject, by, now);
        return Decision.Accept(new ItemLinked(item) { By = by, At = now });
    }

    /// <summary>
    /// The next version of the terms: what the caller gives, filled in from the terms under discussion. A counter or
    /// change must actually change something; a request or offer must end up with conditions and a due date.
    /// </summary>
    private static Terms? ProposeTerms(
        WorkflowState state, MoveDetails details, PartyRole by, DateTimeOffset now, bool mustChange, out string? problem)
    {
        problem = null;
        var basis = state.Proposed ?? state.Promised;
        var conditions = details.Conditions?.Trim() is { Length: > 0 } given ? given : basis?.Conditions;
        var dueBy = details.DueBy ?? basis?.DueBy;
        if (string.IsNullOrWhiteSpace(conditions) || dueBy is null)
        {
            problem = "conditions and dueBy are required (or must already have been proposed).";
            return null;
        }
        if (dueBy <= now)
        {
            // Also when carried over: proposing terms whose date has passed would start a clock already run out.
            problem = details.DueBy is null ? "the dueBy on the table has passed; propose a new one." : "dueBy must be in the future.";
            return null;
        }
        if (mustChange && basis is not null && conditions == basis.Conditions && dueBy == basis.DueBy)
        {
            problem = "a counter or change must propose different conditions or a different dueBy.";
            return null;
        }
        if (!mustChange && basis is not null && basis == state.Proposed && conditions == basis.Conditions && dueBy == basis.DueBy)
        {
            return basis; // Requesting or offering the terms already proposed at open keeps their version.
        }
        return new Terms(state.LastTermsVersion + 1, conditions, dueBy, by, now);
    }

    private static DateTimeOffset? ReplyBy(MoveDetails details, DateTimeOffset now, ref string? problem)
    {
        if (details.ReplyBy is { } replyBy && replyBy <= now)
        {
            problem ??= "replyBy must be in the future.";
            return null;
        }
        return details.ReplyBy ?? now + DefaultReplyWindow;
    }

    /// <summary>
    /// Which details a move takes, in the API's words, and which it cannot do without whatever the workflow's state —
    /// what clients are told (the OpenAPI contract). <c>DetailsTakenTests</c> holds it to what <see cref="Decide"/>
    /// does. The switch has no default: a move added without saying what it takes does not build.
    /// </summary>
#pragma warning disable CS8524 // Only named moves exist; a named one left out must still fail the build (CS8509).
    public static MoveDetailsTaken DetailsTaken(Move move) => move switch
    {
        Move.Request or Move.Offer => new("`conditions` and `dueBy` (each required unless already proposed), `replyBy` (optional; default in 2 days)", []),
        Move.Counter or Move.ProposeChange => new("`conditions` and/or `dueBy` (must differ from the terms on the table), `replyBy` (optional; default in 2 days)", []),
        Move.CommitToCommit => new("`replyBy` (required, in the future)", ["replyBy"]),
        Move.Nudge => new("`replyBy` (optional: extends the performer's reply-by, so later than the current one), `text` (optional); at most one nudge a day", []),
        Move.ReportComplete => new("`assessBy` (optional, in the future; default in 3 days), `text` (optional)", []),
        Move.DeclareNotSatisfied => new("`text` (required: the gaps, what is missing)", ["text"]),
        Move.Note => new("`text` (required)", ["text"]),
        Move.Withdraw or Move.Decline or Move.Renege or Move.Cancel or Move.RejectChange or Move.WithdrawChange
            or Move.CheckIn or Move.ReportProgress or Move.DeclareSatisfied => new("`text` (optional)", []),
        Move.Promise or Move.Accept or Move.AcceptChange or Move.Repeat => new("nothing", []),
        Move.SetCheckIns => new($"`checkInEveryDays` (1–{MaxCheckInEveryDays}; null or absent stops the cadence)", []),
        Move.MarkObjective => new("`objective` (required: true or false)", ["objective"]),
        Move.ShareWithParent => new("`shared` (required: true or false); only on a delegated workflow", ["shared"]),
        Move.GiveFeedback => new("`answers` (your own questions: the customer's resultMet, keptInformed; the performer's concernClear, conditionsNegotiable, checkInsHelped; each yes, partly or no) and/or `text`; once per party", []),
    };
#pragma warning restore CS8524

    private static string MissingDetails(Move move) => move switch
    {
        Move.CommitToCommit => "replyBy is required and must be in the future.",
        Move.ReportComplete => "assessBy must be in the future.",
        Move.DeclareNotSatisfied => "text is required: say what is missing (the gaps).",
        Move.Note => "text is required.",
        Move.Repeat => "the new workflow's id is required.",
        Move.SetCheckIns => $"checkInEveryDays is a whole number of days from 1 to {MaxCheckInEveryDays} (or null to stop the cadence).",
        Move.MarkObjective => "objective is required: true or false.",
        Move.ShareWithParent => "shared is required: true or false.",
        _ => "invalid details.",
    };

    private static string? TextProblem(MoveDetails details) =>
        details.Conditions is { Length: > MaxConditionsLength }
            ? $"conditions are at most {MaxConditionsLength} characters."
            : details.Text is { Length: > MaxTextLength }
                ? $"text is at most {MaxTextLength} characters."
                : null;

    public static WorkflowState Evolve(WorkflowState? state, WorkflowEvent e)
    {
        if (e is WorkflowOpened opened)
        {
            return new WorkflowState
            {
                Id = opened.Id,
                Version = 1,
                Concern = opened.Concern,
                Customer = opened.Customer,
                Performer = opened.Performer,
                OpenedBy = opened.By,
                Status = WorkflowStatus.Draft,
                OpenedAt = opened.At,
                UpdatedAt = opened.At,
                Proposed = opened.Terms,
                LastTermsVersion = opened.Terms?.Version ?? 0,
                RepeatOf = opened.RepeatOf,
                Parent = opened.Parent,
                Cycle = opened.Cycle,
                RecipientYetToMove = true,
                KeptByOpener = true,
            };
        }

        var s = (state ?? throw new InvalidOperationException("A workflow's first event must be WorkflowOpened."))
            with { Version = state.Version + 1, UpdatedAt = e.At };
        if (e.By != s.OpenedBy && e is not (ItemLinked or ItemUnlinked or PartyBound or PartyForgotten))
        {
            // The recipient's first move of any kind — a note too, since it answers the opener — ends "proposed to you";
            // filing a mail under it or being found in the directory does not.
            s = s with { RecipientYetToMove = false };
        }
        if (e is Requested or Offered or RequestRecorded or PromiseRecorded)
        {
            // Sent: the other party sees it from now on — though not what the opener wrote in it before.
            s = s with { KeptByOpener = false, SentAtVersion = s.SentAtVersion ?? s.Version };
        }
        return e switch
        {
            Requested r => Negotiating(s, WorkflowStatus.Requested, r.Terms, r.ReplyBy),
            RequestRecorded r => Negotiating(s, WorkflowStatus.Requested, r.Terms, r.ReplyBy),
            PromiseRecorded p => InForce(s with { LastTermsVersion = Math.Max(s.LastTermsVersion, p.Terms.Version) }, p.Terms)
                with { PromisedAt = e.At },
            Nudged n => s with
            {
                LastNudgeAt = n.At,
                Clocks = n.ReplyBy is { } extended ? s.Clocks with { ReplyBy = extended } : s.Clocks,
            },
            Offered o => Negotiating(s, WorkflowStatus.Countered, o.Terms, o.ReplyBy),
            Countered c => Negotiating(
                s, c.By == PartyRole.Performer ? WorkflowStatus.Countered : WorkflowStatus.Requested, c.Terms, c.ReplyBy),
            ReplyPromised p => s with { Clocks = s.Clocks with { ReplyBy = p.ReplyBy } },
            Promised or CounterAccepted => InForce(s, s.Proposed) with { PromisedAt = e.At },
            ChangeProposed c => s with
            {
                Status = WorkflowStatus.Renegotiating,
                Proposed = c.Terms,
                LastTermsVersion = Math.Max(s.LastTermsVersion, c.Terms.Version),
                ChangeProposedBy = c.By,
                Clocks = s.Clocks with { ReplyBy = c.ReplyBy },
            },
            ChangeAccepted => InForce(s, s.Proposed) with { PromisedAt = e.At },
            ChangeRejected or ChangeWithdrawn => InForce(s, s.Promised),
            CompletionReported r => s with
            {
                Status = WorkflowStatus.Reported,
                Clocks = new Clocks(null, null, r.AssessBy),
            },
            SatisfactionDeclared => Closed(s, WorkflowStatus.Satisfied) with { Gaps = null },
            DissatisfactionDeclared d => InForce(s, s.Promised) with { Gaps = d.Gaps },
            Withdrawn or Declined => Closed(s, WorkflowStatus.Declined),
            Reneged => Closed(s, WorkflowStatus.Reneged),
            Cancelled => Closed(s, WorkflowStatus.Cancelled),
            CheckedIn => s with { LastCheckInAt = e.At },
            ProgressReported or NoteAdded or HandoverOffered or HandoverLeft => s,
            PerformerHandedOver h => s with { Performer = h.To, FormerPerformers = [.. s.FormerPerformers, new FormerPerformer(s.Performer, s.Version)] },
            Repeated r => s with { RepeatedAs = r.NewWorkflowId },
            CheckInCadenceSet c => s with { CheckInEveryDays = c.EveryDays },
            ObjectiveMarked o => s with { IsObjective = o.Objective },
            SharedWithParent shared => s with { SharedWithParent = shared.Shared },
            FeedbackGiven f => f.By == PartyRole.Customer
                ? s with { CustomerFeedback = new Feedback(f.Text, f.Answers, f.At) }
                : s with { PerformerFeedback = new Feedback(f.Text, f.Answers, f.At) },
            ItemLinked l => s with { Links = [.. s.Links, l.Item] },
            ItemUnlinked u => s with { Links = [.. s.Links.Where(l => l.Key != u.Key)] },
            GuestLinksRevoked g => g.Party == PartyRole.Customer
                ? s with { CustomerLinksRevokedAt = g.At }
                : s with { PerformerLinksRevokedAt = g.At },
            PartyForgotten f => f.Role == PartyRole.Customer ? s with { Customer = f.Former } : s with { Performer = f.Former },
            PartyBound b => b.Role == PartyRole.Customer
                ? s with { Customer = Bound(s.Customer, b) }
                : s with { Performer = Bound(s.Performer, b) },
            _ => throw new ArgumentOutOfRangeException(nameof(e), e, "Unknown event."),
        };
    }

    private static Party Bound(Party pending, PartyBound bound) => pending with
    {
        User = bound.User,
        DisplayName = bound.DisplayName ?? pending.DisplayName,
        Email = bound.Email ?? pending.Email,
        InvitedAs = bound.Email is { } found && !string.Equals(found, pending.Email, StringComparison.OrdinalIgnoreCase)
            ? pending.InvitedAs ?? pending.Email
            : pending.InvitedAs,
    };

    /// <summary>Replays a history from its first event.</summary>
    public static WorkflowState Replay(IEnumerable<WorkflowEvent> history) =>
        history.Aggregate((WorkflowState?)null, Evolve)
        ?? throw new InvalidOperationException("An empty history is no workflow.");

    private static WorkflowState Negotiating(WorkflowState s, WorkflowStatus status, Terms terms, DateTimeOffset replyBy) =>
        s with
        {
            Status = status,
            Proposed = terms,
            LastTermsVersion = Math.Max(s.LastTermsVersion, terms.Version),
            Clocks = Clocks.None with { ReplyBy = replyBy },
        };

    /// <summary>Back in Q3 under <paramref name="terms"/>: the performer owes completion by their due date.</summary>
    private static WorkflowState InForce(WorkflowState s, Terms? terms) => s with
    {
        Status = WorkflowStatus.Promised,
        Promised = terms,
        Proposed = null,
        ChangeProposedBy = null,
        Clocks = Clocks.None with { DueBy = terms?.DueBy },
    };

    private static WorkflowState Closed(WorkflowState s, WorkflowStatus status) => s with
    {
        Status = status,
        Proposed = null,
        ChangeProposedBy = null,
        Clocks = Clocks.None,
    };

    private static bool SamePerson(Party a, Party b) =>
        (a.User is not null && a.User == b.User)
        || string.Equals(a.Email, b.Email, StringComparison.OrdinalIgnoreCase);

    private static Decision Invalid(string message) => Decision.Reject(RejectionKind.InvalidDetails, message);

    private static string Describe(Mover who) => who switch
    {
        Mover.Customer => "the customer",
        Mover.Performer => "the performer",
        Mover.EitherParty => "either party",
        Mover.Opener => "the party who opened it",
        Mover.ChangeProposer => "the party who proposed the change",
        Mover.OtherThanChangeProposer => "the party who did not propose the change",
        _ => who.ToString(),
    };

    /// <summary>The API's camelCase name of a move, state or role.</summary>
    public static string Name<T>(T value) where T : struct, Enum =>
        Names<T>.Of.TryGetValue(value, out var name) ? name : CamelCase(value);

    private static string CamelCase<T>(T value) where T : struct, Enum
    {
        var text = value.ToString();
        return char.ToLowerInvariant(text[0]) + text[1..];
    }

    /// <summary>Each enum's names, made once: every answer names its state and the moves it offers.</summary>
    private static class Names<T> where T : struct, Enum
    {
        public static readonly Dictionary<T, string> Of = Enum.GetValues<T>().Distinct().ToDictionary(v => v, CamelCase);
    }
}

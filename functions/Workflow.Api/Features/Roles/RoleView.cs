using Workflow.Api.Features.Workflows;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Features.Roles;

/// <summary>A role as a person who may see it sees it: who holds it and held it when, its templates, its offers, what was missed.</summary>
/// <param name="YouHold">You are its holder: its changes and handover are yours.</param>
/// <param name="Cycles">Its latest cycles (at most 100), newest last.</param>
public sealed record RoleView(
    string Id,
    int Version,
    string Name,
    PartyView Holder,
    bool YouHold,
    IReadOnlyList<HoldingView> Holders,
    IReadOnlyList<AccountabilityView> Accountabilities,
    IReadOnlyList<OfferView> Offers,
    IReadOnlyList<MissedView> Missed,
    IReadOnlyList<CycleView> Cycles)
{
    public static RoleView Of(Role role, UserId you, DateTimeOffset now) => new(
        role.Id,
        role.Version,
        role.Name,
        PartyView.Of(role.Holder),
        role.IsHeldBy(you),
        [.. role.Holdings.Select(h => new HoldingView(PartyView.Of(h.Holder), h.From, h.To))],
        [.. role.Accountabilities.Select(a => AccountabilityView.Of(a, now))],
        [.. role.Offers.Select(o => new OfferView(o.WorkflowId, o.Concern, o.Due, PartyView.Of(o.From), PartyView.Of(o.To), o.At, o.To.User == you))],
        [.. role.Missed.Select(m => new MissedView(m.AccountabilityId, m.First, m.Last, m.Count, m.NoticedAt))],
        [.. role.Cycles.Select(c => new CycleView(c.WorkflowId, c.AccountabilityId, c.Due, PartyView.Of(c.Performer)))]);
}

/// <summary>One spell of holding the role; <c>to</c> is absent while it lasts.</summary>
public sealed record HoldingView(PartyView Holder, DateTimeOffset From, DateTimeOffset? To);

/// <summary>A recurring template. <c>nextDue</c>: its next three occurrences; <c>nextOpensAt</c>: when the next cycle opens (its due less the lead).</summary>
public sealed record AccountabilityView(
    string Id, string Concern, string Conditions, PartyView Customer, string Schedule, string TimeZone, int LeadDays, CycleStart Start,
    IReadOnlyList<DateTimeOffset> NextDue, DateTimeOffset? NextOpensAt)
{
    public static AccountabilityView Of(Accountability a, DateTimeOffset now)
    {
        var schedule = Application.Schedule.Parse(a.Schedule, a.TimeZone, now).Schedule;
        var next = schedule is null ? [] : RoleSchedule.Next(a.CoveredUntil > now ? a.CoveredUntil : now, 3, schedule.NextAfter);
        var upcoming = schedule?.NextAfter(a.CoveredUntil);
        return new(a.Id, a.Concern, a.Conditions, PartyView.Of(a.Customer), a.Schedule, a.TimeZone, (int)Math.Round(a.Lead.TotalDays), a.Start,
            next, upcoming - a.Lead);
    }
}

/// <summary>An open cycle offered to the new holder at a handover; <c>forYou</c>: you are the one to answer it.</summary>
public sealed record OfferView(string WorkflowId, string Concern, DateTimeOffset Due, PartyView From, PartyView To, DateTimeOffset At, bool ForYou);

/// <summary>Occurrences whose due date passed while no cycle could open (the service was down): told, not opened late.</summary>
public sealed record MissedView(string AccountabilityId, DateTimeOffset First, DateTimeOffset Last, int Count, DateTimeOffset NoticedAt);

public sealed record CycleView(string WorkflowId, string AccountabilityId, DateTimeOffset Due, PartyView Performer);

/// <summary>My roles: those I hold, those with cycles offered to me, and those I held before.</summary>
public sealed record RoleListView(IReadOnlyList<RoleView> Holding, IReadOnlyList<RoleView> OfferedToYou, IReadOnlyList<RoleView> HeldBefore);

public sealed record SchedulePreviewView(string Schedule, string TimeZone, IReadOnlyList<DateTimeOffset> Next);

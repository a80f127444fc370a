using Microsoft.Extensions.Logging;

namespace Workflow.Application;

/// <summary>Every log line the use cases write, compiled once (no formatting cost when the level is off).</summary>
internal static partial class Log
{
    [LoggerMessage(101, LogLevel.Warning, "Follow-up {FollowUp} of workflow {WorkflowId} failed; it stays in the outbox and is retried.")]
    public static partial void FollowUpFailed(ILogger logger, Exception exception, string followUp, string workflowId);

    [LoggerMessage(104, LogLevel.Warning, "The weekly digest for {Person} failed; it is released for the next run.")]
    public static partial void DigestFailed(ILogger logger, Exception exception, string person);

    [LoggerMessage(105, LogLevel.Warning, "A notification mail {MailId} to {Recipient} failed; its claim stays and is taken over after the lease.")]
    public static partial void NotificationFailed(ILogger logger, Exception exception, string recipient, string mailId);

    [LoggerMessage(106, LogLevel.Error, "A notification mail {MailId} to {Recipient} failed {Attempts} times and is given up.")]
    public static partial void NotificationGivenUp(ILogger logger, string recipient, string mailId, int attempts);

    [LoggerMessage(107, LogLevel.Warning, "The Teams activity notification about {WorkflowId} to {Recipient} failed; the mail went out.")]
    public static partial void TeamsNotificationFailed(ILogger logger, Exception exception, string recipient, string workflowId);

    [LoggerMessage(109, LogLevel.Warning, "The mail held for workflow {WorkflowId} to {Recipient} was found too late to send within its lease; the sweep mails it after the lease.")]
    public static partial void HeldMailLate(ILogger logger, string workflowId, string recipient);

    [LoggerMessage(110, LogLevel.Warning, "The mail held for workflow {WorkflowId} to {Recipient} failed; after its lease the sweep asks whether it went, and otherwise puts it in the box.")]
    public static partial void HeldMailFailed(ILogger logger, Exception exception, string workflowId, string recipient);

    [LoggerMessage(108, LogLevel.Warning, "Reminders for {Person} failed; the next pass tries again.")]
    public static partial void RemindersFailed(ILogger logger, Exception exception, string person);

    [LoggerMessage(140, LogLevel.Warning, "The cycles of role {RoleId} could not be opened or recorded; the next run tries again.")]
    public static partial void RoleCyclesFailed(ILogger logger, Exception exception, string roleId);
}

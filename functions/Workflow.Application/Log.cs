using Microsoft.Extensions.Logging;

namespace Workflow.Application;

/// <summary>Every log line the use cases write, compiled once (no formatting cost when the level is off).</summary>
internal static partial class Log
{
    [LoggerMessage(101, LogLevel.Warning, "Follow-up {FollowUp} of workflow {WorkflowId} failed; it stays in the outbox and is retried.")]
    public static partial void FollowUpFailed(ILogger logger, Exception exception, string followUp, string workflowId);

    [LoggerMessage(104, LogLevel.Warning, "The weekly digest for {Person} failed; it is released for the next run.")]
    public static partial void DigestFailed(ILogger logger, Exception exception, string person);
}

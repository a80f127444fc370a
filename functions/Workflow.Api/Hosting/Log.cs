namespace Workflow.Api.Hosting;

/// <summary>Every log line the API writes, compiled once (no formatting cost when the level is off).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Error, "Request {Method} {Path} failed.")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(3, LogLevel.Warning, "The follow-ups of workflow {WorkflowId} failed; they stay in the outbox for the sweep.")]
    public static partial void FollowUpsFailed(ILogger logger, Exception exception, string workflowId);

    [LoggerMessage(4, LogLevel.Information, "The outbox sweep finished the follow-ups of {Count} workflows.")]
    public static partial void SweepFinished(ILogger logger, int count);

    [LoggerMessage(7, LogLevel.Error, "Storage refused a request the API built ({Status}); answered 400.")]
    public static partial void StorageRefused(ILogger logger, Exception exception, int status);

    [LoggerMessage(9, LogLevel.Information, "Weekly review run (past due: {IsPastDue}): {Sent} sent, {Empty} empty, {Skipped} already done, {Failed} failed.")]
    public static partial void DigestRunFinished(ILogger logger, bool isPastDue, int sent, int empty, int skipped, int failed);

    [LoggerMessage(5, LogLevel.Warning, "The outbox sweep failed; it runs again in {Interval}.")]
    public static partial void SweepFailed(ILogger logger, Exception exception, TimeSpan interval);

    [LoggerMessage(6, LogLevel.Warning, "The notification pass failed; it runs again in {Interval}.")]
    public static partial void NotificationPassFailed(ILogger logger, Exception exception, TimeSpan interval);

    [LoggerMessage(7, LogLevel.Information, "Notifications timer: {Sent} mails sent, {TakenOver} taken over, {Failed} failed, {Reminders} reminders added.")]
    public static partial void NotificationRunFinished(ILogger logger, int sent, int takenOver, int failed, int reminders);

    [LoggerMessage(10, LogLevel.Warning, "The token-signing keys could not be fetched after start; the first signed-in request fetches them.")]
    public static partial void SigningKeysNotFetched(ILogger logger, Exception exception);

    [LoggerMessage(11, LogLevel.Warning, "The tables could not be made ready after start; the first request that needs them tries again.")]
    public static partial void TablesNotCreatedAtStart(ILogger logger, Exception exception);

    [LoggerMessage(8, LogLevel.Warning, "Showing the purpose of meeting {Key} on the caller's item {ItemId} failed; the purpose is stored.")]
    public static partial void MeetingCategoryFailed(ILogger logger, Exception exception, string key, string itemId);
}

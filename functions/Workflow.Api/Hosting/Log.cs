namespace Workflow.Api.Hosting;

/// <summary>Every log line the API writes, compiled once (no formatting cost when the level is off).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Error, "Request {Method} {Path} failed.")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(2, LogLevel.Debug, "Workflow {WorkflowId} moved on while its version {Version} was indexed.")]
    public static partial void MovedOnWhileIndexing(ILogger logger, string workflowId, int version);

    [LoggerMessage(3, LogLevel.Warning, "Indexing workflow {WorkflowId} failed; the sweep will retry.")]
    public static partial void IndexingFailed(ILogger logger, Exception exception, string workflowId);

    [LoggerMessage(4, LogLevel.Information, "The index sweep brought {Count} workflows up to date.")]
    public static partial void SweepRepaired(ILogger logger, int count);

    [LoggerMessage(6, LogLevel.Warning, "Creating the repeated cycle {WorkflowId} failed; the index projector will create it.")]
    public static partial void RepeatDeferred(ILogger logger, Exception exception, string workflowId);

    [LoggerMessage(7, LogLevel.Error, "Storage refused a request the API built ({Status}); answered 400.")]
    public static partial void StorageRefused(ILogger logger, Exception exception, int status);

    [LoggerMessage(8, LogLevel.Warning, "The weekly digest for {Person} failed; it is released for the next run.")]
    public static partial void DigestFailed(ILogger logger, Exception exception, string person);

    [LoggerMessage(9, LogLevel.Information, "Weekly review run (past due: {IsPastDue}): {Sent} sent, {Empty} empty, {Skipped} already done, {Failed} failed.")]
    public static partial void DigestRunFinished(ILogger logger, bool isPastDue, int sent, int empty, int skipped, int failed);

    [LoggerMessage(5, LogLevel.Warning, "The index sweep failed; it runs again in {Interval}.")]
    public static partial void SweepFailed(ILogger logger, Exception exception, TimeSpan interval);
}

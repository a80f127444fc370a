using Azure;
using Microsoft.AspNetCore.Diagnostics;

namespace Workflow.Api.Hosting;

/// <summary>
/// The last line: whatever escaped an endpoint still leaves as problem details. Malformed requests the framework
/// catches keep their 4xx; storage or Microsoft Graph being unreachable is 503 (retry later); anything else is a bug,
/// logged, and 500.
/// </summary>
public sealed class ErrorHandling(IProblemDetailsService problems, ILogger<ErrorHandling> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var context = httpContext;
        if (exception is Features.RequestProblemException refused)
        {
            // A binder's answer to a bad request, not a failure: no log, the problem as the binder wrote it.
            await refused.Problem.ExecuteAsync(context);
            return true;
        }
        var (status, title) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "The request is not valid."),
            _ when IsStorageUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable, "Storage is unavailable. Try again shortly."),
            // Microsoft Graph (the directory, a mailbox) busy or down after the SDK's own retries: also worth a retry.
            Microsoft.Kiota.Abstractions.ApiException { ResponseStatusCode: 429 or >= 500 } or HttpRequestException
                => (StatusCodes.Status503ServiceUnavailable, "Microsoft 365 did not answer. Try again shortly."),
            // Storage refused something built from the request (a value it cannot store, say): the request's fault as
            // far as the caller can tell, and never worth a 5xx — but logged, since the API should have caught it.
            RequestFailedException { Status: >= 400 and < 500 } => (StatusCodes.Status400BadRequest, "The request could not be served as asked."),
            _ => (StatusCodes.Status500InternalServerError, "Something went wrong on our side."),
        };
        if (exception is RequestFailedException { Status: >= 400 and < 500 } storageRefusal)
        {
            Log.StorageRefused(logger, exception, storageRefusal.Status);
        }
        if (status >= 500)
        {
            Log.RequestFailed(logger, exception, context.Request.Method, context.Request.Path);
        }
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "5";
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            // Only the framework's own 4xx messages are safe to echo; storage errors may name internals.
            ProblemDetails = { Status = status, Title = title, Detail = exception is BadHttpRequestException ? exception.Message : null },
        });
    }

    /// <summary>
    /// Storage did not answer, or answered that it could not serve: the request may succeed if sent again (with its
    /// Idempotency-Key, a retry is safe even if the write landed). When the SDK's own retries give up, it reports every
    /// try's failure together.
    /// </summary>
    private static bool IsStorageUnavailable(Exception exception) => exception switch
    {
        RequestFailedException { Status: 0 or 408 or >= 500 } => true,
        IOException or TimeoutException => true,
        AggregateException all => all.InnerExceptions.All(IsStorageUnavailable),
        _ => false,
    };
}

public static class ProblemStatusCodes
{
    /// <summary>
    /// Answers that left a handler or the router without a body are problem details. A path under a workflow that
    /// matched no route (an id that cannot be a workflow, refused by the <c>{id:workflowId}</c> constraint) is answered
    /// exactly as a workflow that does not exist or is not yours, so the two cannot be told apart.
    /// </summary>
    public static IApplicationBuilder UseProblemStatusCodes(this IApplicationBuilder app) =>
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            if (http.Response.StatusCode == StatusCodes.Status404NotFound
                && (http.Request.Path.StartsWithSegments("/api/workflows") || http.Request.Path.StartsWithSegments("/api/items")))
            {
                await Features.Problems.NotFound().ExecuteAsync(http);
                return;
            }
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(
                new ProblemDetailsContext { HttpContext = http, ProblemDetails = { Status = http.Response.StatusCode } });
        });
}

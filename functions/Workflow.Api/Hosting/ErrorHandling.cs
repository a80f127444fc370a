using Azure;
using Microsoft.AspNetCore.Diagnostics;

namespace Workflow.Api.Hosting;

/// <summary>
/// The last line: whatever escaped an endpoint still leaves as problem details. Malformed requests the framework
/// catches keep their 4xx; storage being unreachable is 503 (retry later); anything else is a bug, logged, and 500.
/// </summary>
public sealed class ErrorHandling(IProblemDetailsService problems, ILogger<ErrorHandling> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var context = httpContext;
        var (status, title) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "The request is not valid."),
            RequestFailedException { Status: 0 or >= 500 } => (StatusCodes.Status503ServiceUnavailable, "Storage is unavailable. Try again shortly."),
            // The SDK's retries gave up: every try failed the same way.
            AggregateException all when all.InnerExceptions.All(e => e is RequestFailedException { Status: 0 or >= 500 }) =>
                (StatusCodes.Status503ServiceUnavailable, "Storage is unavailable. Try again shortly."),
            _ => (StatusCodes.Status500InternalServerError, "Something went wrong on our side."),
        };
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
            ProblemDetails = { Status = status, Title = title, Detail = status < 500 ? exception.Message : null },
        });
    }
}

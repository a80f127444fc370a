using Workflow.Application;

namespace Workflow.Api.Tests;

/// <summary>The figures in words: what the pane, the API and the digest all say.</summary>
public sealed class FigureSentenceTests
{
    private static FigureTotals Answered(int requests, double averageHours) =>
        new(0, 0, 0, 0, 0, 0, 0, 0, requests, averageHours, 0, 0, 0, 0, 0, null, 0, 0);

    [Theory]
    [InlineData(0.2, "You answered 3 requests in under an hour on average.")]
    [InlineData(1, "You answered 3 requests in 1 hour on average.")]
    [InlineData(30, "You answered 3 requests in 30 hours on average.")]
    [InlineData(72, "You answered 3 requests in 3 days on average.")]
    public void Time_to_answer_is_said_in_the_unit_people_use(double hours, string said)
    {
        Assert.Contains(said, FigureSentences.Of(Answered(3, hours), 13));
    }
}

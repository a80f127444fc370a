using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Users.Item.Teamwork.SendActivityNotification;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Graph;

/// <summary>
/// Teams activity-feed notifications, app-only in the home tenant (TeamsActivity.Send): sent only to people who have
/// our Teams app installed (TeamsAppInstallation.ReadForUser.All), since Graph refuses a notification for anyone else.
/// Whether a person has it is asked once and remembered for <see cref="InstalledAnswerLifetime"/>, so a busy workflow
/// costs one look-up per person rather than one per move.
/// </summary>
public sealed class GraphTeamsNotifier(GraphServiceClient homeTenant, string homeTenantId, string? teamsAppExternalId) : ITeamsNotifier, IDisposable
{
    /// <summary>The activity type the app's manifest declares (addin/scripts/write-manifest.mjs, activities.activityTypes).</summary>
    public const string ActivityType = "workflowMove";

    public static readonly TimeSpan InstalledAnswerLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Bounded: one entry per person, at most this many people remembered at once.</summary>
    private const int RememberedPeople = 10_000;

    private readonly MemoryCache _installed = new(new MemoryCacheOptions { SizeLimit = RememberedPeople });

    public async Task<bool> NotifyAsync(UserId recipient, TeamsActivity activity, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(teamsAppExternalId) || !string.Equals(recipient.TenantId, homeTenantId, StringComparison.OrdinalIgnoreCase)
            || !Guid.TryParse(recipient.ObjectId, out _) || !await HasOurAppAsync(recipient.ObjectId, cancellationToken))
        {
            return false;
        }
        await homeTenant.Users[recipient.ObjectId].Teamwork.SendActivityNotification.PostAsync(new SendActivityNotificationPostRequestBody
        {
            Topic = new TeamworkActivityTopic { Source = TeamworkActivityTopicSource.Text, Value = "Workflow", WebUrl = activity.WebUrl.ToString() },
            ActivityType = ActivityType,
            PreviewText = new ItemBody { Content = activity.Preview },
            // The activity type's template names no parameter but the actor, which Teams fills in itself.
            TemplateParameters = [],
            // One chain per workflow: a later move's notification replaces the earlier one in the feed instead of piling up.
            ChainId = ChainOf(activity.WorkflowId),
        }, cancellationToken: cancellationToken);
        return true;
    }

    public void Dispose() => _installed.Dispose();

    private async Task<bool> HasOurAppAsync(string objectId, CancellationToken cancellationToken)
    {
        if (_installed.TryGetValue(objectId, out bool installed))
        {
            return installed;
        }
        // The manifest id is a GUID we configure; validated all the same, as it goes into an OData literal.
        if (!Guid.TryParse(teamsAppExternalId, out var appId))
        {
            return false;
        }
        var found = await homeTenant.Users[objectId].Teamwork.InstalledApps.GetAsync(request =>
        {
            request.QueryParameters.Expand = ["teamsApp"];
            request.QueryParameters.Filter = $"teamsApp/externalId eq '{appId}'";
        }, cancellationToken);
        installed = found?.Value is { Count: > 0 };
        _installed.Set(objectId, installed, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = InstalledAnswerLifetime });
        return installed;
    }

    private static long ChainOf(string workflowId) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(workflowId))) & long.MaxValue;
}

using System.Net;
using System.Text.Json.Nodes;
using Workflow.Application;
using Workflow.Api.Graph;
using Workflow.Api.Tests.Infrastructure;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>The Graph adapters driving the real GraphServiceClient over recorded Graph JSON: what is sent is asserted, not assumed.</summary>
public sealed class GraphTests
{
    private static readonly UserId Alice = new("11111111-1111-1111-1111-111111111111", "aaaaaaaa-0000-0000-0000-000000000001");
    private readonly FakeGraph _graph = new();

    [Fact]
    public async Task The_directory_finds_a_person_by_mail_or_sign_in_name_in_the_asking_tenant()
    {
        _graph.On(HttpMethod.Get, "/v1.0/users?", """{"value":[{"id":"bbbbbbbb-0000-0000-0000-000000000002","mail":"bob@contoso.com","userPrincipalName":"bob@contoso.com","displayName":"Bob Baker"}]}""");
        string? tenantAsked = null;
        var directory = new GraphDirectory(tenant => { tenantAsked = tenant; return _graph.Client(); });

        var bob = await directory.FindByEmailAsync(Alice.TenantId, "bob@contoso.com", default);

        Assert.Equal((new UserId(Alice.TenantId, "bbbbbbbb-0000-0000-0000-000000000002"), "Bob Baker"), (bob!.Id, bob.DisplayName));
        Assert.Equal(Alice.TenantId, tenantAsked);
        var sent = Assert.Single(_graph.Requests);
        Assert.Contains("$filter=mail eq 'bob@contoso.com' or userPrincipalName eq 'bob@contoso.com'", sent.Url);
        Assert.Contains("$select=id,mail,userPrincipalName,displayName", sent.Url);
        Assert.Equal("IdType=\"ImmutableId\"", sent.Prefer);
        Assert.Equal("Bearer graph-test-token", sent.Authorization);
    }

    private const string HomeTenant = "11111111-1111-1111-1111-111111111111";
    private const string PartnerTenant = "22222222-2222-2222-2222-222222222222";
    private const string HomeUserFound = """{"value":[{"id":"bbbbbbbb-0000-0000-0000-000000000002","mail":"bob@contoso.com","displayName":"Bob Baker","userType":"Member"}]}""";

    [Fact]
    public async Task Another_tenants_directory_finds_nobody_and_Graph_is_not_asked()
    {
        // Recorded as the managed identity would answer for any tenant: from the home directory.
        _graph.On(HttpMethod.Get, "/v1.0/users", HomeUserFound);
        _graph.On(HttpMethod.Get, "/v1.0/users/bbbbbbbb-0000-0000-0000-000000000002", """{"id":"bbbbbbbb-0000-0000-0000-000000000002","mail":"bob@contoso.com","displayName":"Bob Baker"}""");
        var credentialsMadeFor = new List<string>();
        var clients = new AppGraphClients(HomeTenant, [], tenant => { credentialsMadeFor.Add(tenant); return new StaticCredential(); }, new GraphPipeline(_graph));
        var directory = new GraphDirectory(clients.ForTenant);

        Assert.Null(await directory.FindByEmailAsync(PartnerTenant, "bob@contoso.com", default));
        Assert.Null(await directory.FindByIdAsync(new UserId(PartnerTenant, "bbbbbbbb-0000-0000-0000-000000000002"), default));
        Assert.Empty(_graph.Requests);
        Assert.Empty(credentialsMadeFor);

        // The home tenant is read with the home credential, and found.
        Assert.Equal(new UserId(HomeTenant, "bbbbbbbb-0000-0000-0000-000000000002"), (await directory.FindByEmailAsync(HomeTenant, "bob@contoso.com", default))!.Id);
        Assert.Equal([HomeTenant], credentialsMadeFor);
    }

    [Fact]
    public async Task A_partner_tenant_configured_for_directory_reads_is_read_with_a_credential_of_its_own()
    {
        _graph.On(HttpMethod.Get, "/v1.0/users", HomeUserFound);
        var credentialsMadeFor = new List<string>();
        var clients = new AppGraphClients(HomeTenant, [PartnerTenant], tenant => { credentialsMadeFor.Add(tenant); return new StaticCredential(tenant); }, new GraphPipeline(_graph));
        var directory = new GraphDirectory(clients.ForTenant);

        var found = await directory.FindByEmailAsync(PartnerTenant, "bob@contoso.com", default);

        Assert.Equal(PartnerTenant, found!.Id.TenantId);
        Assert.Equal([PartnerTenant], credentialsMadeFor);
        Assert.Equal($"Bearer token-for-{PartnerTenant}", Assert.Single(_graph.Requests).Authorization);
    }

    [Fact]
    public void In_Azure_the_home_tenant_uses_the_managed_identity_and_a_partner_the_API_registrations_federated_credential()
    {
        var credentials = AppGraphClients.AzureCredentials(HomeTenant, "5b1c1a3e-0000-0000-0000-000000000001", "0c4d6a7e-0000-0000-0000-00000000f1c0");

        Assert.IsType<Azure.Identity.DefaultAzureCredential>(credentials(HomeTenant));
        Assert.IsType<Azure.Identity.ClientAssertionCredential>(credentials(PartnerTenant));
        Assert.Throws<InvalidOperationException>(() => new AppGraphClients("organizations", [], credentials));
    }

    [Fact]
    public async Task A_guest_account_is_reported_as_a_guest()
    {
        _graph.On(HttpMethod.Get, "/v1.0/users?", """{"value":[{"id":"99999999-0000-0000-0000-000000000009","mail":"gus@partner.test","displayName":"Gus","userType":"Guest"}]}""");
        var directory = new GraphDirectory(_ => _graph.Client());

        Assert.True((await directory.FindByEmailAsync(Alice.TenantId, "gus@partner.test", default))!.IsGuest);
        Assert.Contains("$select=id,mail,userPrincipalName,displayName,userType", Assert.Single(_graph.Requests).Url);
    }

    [Fact]
    public async Task Every_client_of_a_pipeline_shares_one_HTTP_pipeline_however_many_are_made()
    {
        _graph.On(HttpMethod.Get, "/v1.0/users?", HomeUserFound);
        var transportsMade = 0;
        var pipeline = new GraphPipeline(() => { transportsMade++; return _graph; });

        for (var i = 0; i < 50; i++)
        {
            await new GraphDirectory(_ => _graph.Client(pipeline)).FindByEmailAsync(Alice.TenantId, "bob@contoso.com", default);
        }

        Assert.Equal((1, 50), (transportsMade, _graph.Requests.Count));
    }

    private sealed class StaticCredential(string? tenant = null) : Azure.Core.TokenCredential
    {
        private string Token => tenant is null ? "graph-test-token" : $"token-for-{tenant}";

        public override Azure.Core.AccessToken GetToken(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(Token, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<Azure.Core.AccessToken> GetTokenAsync(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    [Fact]
    public async Task An_address_two_users_answer_to_binds_nobody_and_quotes_are_escaped()
    {
        _graph.On(HttpMethod.Get, "/v1.0/users?", """{"value":[{"id":"1"},{"id":"2"}]}""");
        var directory = new GraphDirectory(_ => _graph.Client());

        Assert.Null(await directory.FindByEmailAsync(Alice.TenantId, "o'brien@contoso.com", default));
        Assert.Contains("mail eq 'o''brien@contoso.com'", Assert.Single(_graph.Requests).Url);
    }

    private const string Delivery = "0a0a0a0a-0000-0000-0000-00000000d001";

    [Fact]
    public async Task A_groups_people_are_read_transitively_as_users_with_one_more_than_the_limit_asked_for()
    {
        _graph.On(HttpMethod.Get, $"/v1.0/groups/{Delivery}?", $$"""{"id":"{{Delivery}}","displayName":"Delivery"}""");
        _graph.On(HttpMethod.Get, $"/v1.0/groups/{Delivery}/transitiveMembers/graph.user", """
            {"value":[
              {"id":"aaaaaaaa-0000-0000-0000-000000000001","mail":"alice@contoso.com","displayName":"Alice Archer","userType":"Member"},
              {"id":"bbbbbbbb-0000-0000-0000-000000000002","mail":null,"userPrincipalName":"bob@contoso.com","displayName":"Bob Baker"},
              {"id":"cccccccc-0000-0000-0000-000000000003","mail":null,"userPrincipalName":null,"displayName":"A room"}
            ]}
            """);
        var directory = new GraphDirectory(_ => _graph.Client());

        var found = await directory.MembersAsync(Alice.TenantId, Delivery.ToUpperInvariant(), limit: 50, default);

        Assert.Equal(new DirectoryGroup(Delivery, "Delivery"), found!.Group);
        // Someone with no address cannot be named in a team; the sign-in name stands in for a missing mail.
        Assert.Equal(["alice@contoso.com", "bob@contoso.com"], found.Users.Select(u => u.Email));
        Assert.Equal(new UserId(Alice.TenantId, "bbbbbbbb-0000-0000-0000-000000000002"), found.Users[1].Id);
        Assert.False(found.MoreThanLimit);
        var members = _graph.Requests.Last();
        Assert.Contains("$top=51", members.Url);
        Assert.Contains("$select=id,mail,userPrincipalName,displayName,userType", members.Url);
    }

    [Fact]
    public async Task A_group_larger_than_the_limit_says_so_and_a_missing_or_hidden_group_is_no_group()
    {
        _graph.On(HttpMethod.Get, $"/v1.0/groups/{Delivery}?", $$"""{"id":"{{Delivery}}","displayName":"Delivery"}""");
        _graph.On(HttpMethod.Get, $"/v1.0/groups/{Delivery}/transitiveMembers/graph.user", """
            {"value":[{"id":"aaaaaaaa-0000-0000-0000-000000000001","mail":"alice@contoso.com"},{"id":"bbbbbbbb-0000-0000-0000-000000000002","mail":"bob@contoso.com"}],
             "@odata.nextLink":"https://graph.microsoft.com/v1.0/groups/x/transitiveMembers/graph.user?$skiptoken=1"}
            """);
        var directory = new GraphDirectory(_ => _graph.Client());

        var large = await directory.MembersAsync(Alice.TenantId, Delivery, limit: 1, default);
        Assert.True(large!.MoreThanLimit);
        Assert.Single(large.Users);

        // Not recorded: Graph's 404. A group with hidden membership answers 403 to an app without Member.Read.Hidden.
        Assert.Null(await directory.MembersAsync(Alice.TenantId, "0a0a0a0a-0000-0000-0000-00000000beef", 50, default));
        _graph.On(HttpMethod.Get, "/v1.0/groups/0a0a0a0a-0000-0000-0000-000000000401?", """{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges."}}""", HttpStatusCode.Forbidden);
        Assert.Null(await directory.MembersAsync(Alice.TenantId, "0a0a0a0a-0000-0000-0000-000000000401", 50, default));
    }

    [Fact]
    public async Task Only_a_group_id_goes_into_the_path_and_a_tenant_without_a_credential_has_no_groups()
    {
        var directory = new GraphDirectory(tenant => tenant == Alice.TenantId ? _graph.Client() : null);

        foreach (var probe in new[] { "../users", "d001?$expand=members", "", "users/aaaaaaaa-0000-0000-0000-000000000001" })
        {
            Assert.Null(await directory.MembersAsync(Alice.TenantId, probe, 50, default));
        }
        Assert.Null(await directory.MembersAsync(PartnerTenant, Delivery, 50, default));
        Assert.Empty(await directory.GroupsOfAsync(new UserId(PartnerTenant, Alice.ObjectId), default));
        Assert.Empty(_graph.Requests);
    }

    [Fact]
    public async Task The_groups_a_person_is_in_are_their_direct_group_memberships_by_name()
    {
        _graph.On(HttpMethod.Get, $"/v1.0/users/{Alice.ObjectId}/memberOf/graph.group", $$"""
            {"value":[{"id":"{{Delivery}}","displayName":"Delivery"},{"id":"0a0a0a0a-0000-0000-0000-00000000d002","displayName":"Accounts"}]}
            """);
        var directory = new GraphDirectory(_ => _graph.Client());

        var groups = await directory.GroupsOfAsync(Alice, default);

        Assert.Equal(["Accounts", "Delivery"], groups.Select(g => g.DisplayName));
        var sent = Assert.Single(_graph.Requests);
        Assert.Contains("$select=id,displayName", sent.Url);
        Assert.Contains("$top=100", sent.Url);
    }

    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 30, 0, TimeSpan.Zero);

    private GraphMailSender MailSender() => new(_graph.Client(), "workflow@contoso.com", new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now));

    /// <summary>The MIME a sendMail request carried: its body is the message, base64-encoded, as Graph's MIME form takes it.</summary>
    private static MimeKit.MimeMessage MimeOf(FakeGraph.Recorded request) =>
        MimeKit.MimeMessage.Load(new MemoryStream(Convert.FromBase64String(request.Body!)));

    [Fact]
    public async Task Mail_is_sent_from_the_service_mailbox_as_MIME_so_it_keeps_its_Message_ID_and_thread()
    {
        _graph.On(HttpMethod.Post, "/v1.0/users/workflow@contoso.com/sendMail", "", HttpStatusCode.Accepted);

        await MailSender().SendAsync(new OutgoingMail("bob@contoso.com", "Bob Bäcker", "Your turn: budget", "<p>Hi</p>", "notice-42")
        {
            Text = "Hi",
            ThreadId = "wf-7-bob",
        }, default);

        var sent = Assert.Single(_graph.Requests);
        Assert.Equal("text/plain", sent.ContentType);
        var message = MimeOf(sent);
        Assert.Equal("workflow@contoso.com", ((MimeKit.MailboxAddress)message.From.Single()).Address);
        Assert.Equal(("Bob Bäcker", "bob@contoso.com"), (((MimeKit.MailboxAddress)message.To.Single()).Name, ((MimeKit.MailboxAddress)message.To.Single()).Address));
        Assert.Equal(("Your turn: budget", Now), (message.Subject, message.Date));
        Assert.Equal("notice-42@contoso.com", message.MessageId);
        Assert.Equal(("wf-7-bob@contoso.com", "wf-7-bob@contoso.com"), (message.InReplyTo, message.References.Single()));
        Assert.Equal("notice-42", message.Headers[Workflow.Api.Mail.MimeMail.MailIdHeader]);
        var alternative = Assert.IsType<MimeKit.MultipartAlternative>(message.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
        Assert.Equal(("Hi", "<p>Hi</p>"), (message.TextBody, message.HtmlBody));
    }

    [Fact]
    public async Task A_throttled_send_is_retried_with_the_same_MIME()
    {
        var tries = 0;
        _graph.On(r => r.Method == HttpMethod.Post, _ => Interlocked.Increment(ref tries) == 1
            ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Headers = { RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(1)) } }
            : new HttpResponseMessage(HttpStatusCode.Accepted));

        await MailSender().SendAsync(new OutgoingMail("bob@contoso.com", "Bob", "Your turn", "<p>Hi</p>", "notice-43"), default);

        Assert.Equal(2, _graph.Requests.Count);
        Assert.Equal(["notice-43@contoso.com", "notice-43@contoso.com"], _graph.Requests.Select(r => MimeOf(r).MessageId));
    }

    [Theory]
    [InlineData("""{"value":[{"id":"AAMkSent1"}]}""", true)]
    [InlineData("""{"value":[]}""", false)]
    public async Task Whether_a_mail_went_out_is_read_from_the_service_mailboxs_Sent_Items_by_its_Message_ID(string answer, bool sent)
    {
        _graph.On(HttpMethod.Get, "/v1.0/users/workflow@contoso.com/mailFolders/sentitems/messages?", answer);

        Assert.Equal(sent, await MailSender().WasSentAsync("notice-42", default));

        var asked = Assert.Single(_graph.Requests).Url;
        Assert.Contains("$filter=internetMessageId eq '<notice-42@contoso.com>'", asked);
        Assert.Contains("$select=id", asked);
        Assert.Contains("$top=1", asked);
    }

    private const string TeamsAppId = "5b0f3c2e-8a51-4d7e-9c3a-2f6d1e4b7a10";
    private static readonly TeamsActivity YourMove = new("wf-7", "Alice asks: budget by Friday?", new Uri("https://workflow.example.com/?workflow=wf-7"));

    private static string InstalledAppsOf(UserId user) => $"/v1.0/users/{user.ObjectId}/teamwork/installedApps?";

    [Fact]
    public async Task Someone_with_our_Teams_app_gets_one_activity_feed_notification()
    {
        _graph.On(HttpMethod.Get, InstalledAppsOf(Alice), $$$"""{"value":[{"id":"inst1","teamsApp":{"id":"cat1","externalId":"{{{TeamsAppId}}}"}}]}""")
            .On(HttpMethod.Post, $"/v1.0/users/{Alice.ObjectId}/teamwork/sendActivityNotification", "", HttpStatusCode.NoContent);

        Assert.True(await new GraphTeamsNotifier(_graph.Client(), HomeTenant, TeamsAppId).NotifyAsync(Alice, YourMove, default));

        var asked = _graph.Requests.First().Url;
        Assert.Contains("$expand=teamsApp", asked);
        Assert.Contains($"$filter=teamsApp/externalId eq '{TeamsAppId}'", asked);
        var notification = JsonNode.Parse(Assert.Single(_graph.Requests, r => r.Method == HttpMethod.Post).Body!)!;
        Assert.Equal(("text", "Workflow", "https://workflow.example.com/?workflow=wf-7"),
            (notification["topic"]!["source"]!.GetValue<string>(), notification["topic"]!["value"]!.GetValue<string>(), notification["topic"]!["webUrl"]!.GetValue<string>()));
        Assert.Equal(GraphTeamsNotifier.ActivityType, notification["activityType"]!.GetValue<string>());
        Assert.Equal("Alice asks: budget by Friday?", notification["previewText"]!["content"]!.GetValue<string>());
        Assert.Empty(notification["templateParameters"]!.AsArray());
        Assert.True(notification["chainId"]!.GetValue<long>() > 0);
    }

    [Fact]
    public async Task Someone_without_our_Teams_app_gets_no_notification_and_that_is_remembered()
    {
        _graph.On(HttpMethod.Get, InstalledAppsOf(Alice), """{"value":[]}""");
        var notifier = new GraphTeamsNotifier(_graph.Client(), HomeTenant, TeamsAppId);

        Assert.False(await notifier.NotifyAsync(Alice, YourMove, default));
        Assert.False(await notifier.NotifyAsync(Alice, YourMove with { WorkflowId = "wf-8" }, default));

        Assert.Equal(HttpMethod.Get, Assert.Single(_graph.Requests).Method);
    }

    [Fact]
    public async Task Whether_someone_has_our_Teams_app_is_asked_once_for_many_notifications()
    {
        _graph.On(HttpMethod.Get, InstalledAppsOf(Alice), """{"value":[{"id":"inst1"}]}""")
            .On(HttpMethod.Post, $"/v1.0/users/{Alice.ObjectId}/teamwork/sendActivityNotification", "", HttpStatusCode.NoContent);
        var notifier = new GraphTeamsNotifier(_graph.Client(), HomeTenant, TeamsAppId);

        Assert.True(await notifier.NotifyAsync(Alice, YourMove, default));
        Assert.True(await notifier.NotifyAsync(Alice, YourMove with { Preview = "Alice declared herself satisfied." }, default));

        Assert.Equal((1, 2), (_graph.Requests.Count(r => r.Method == HttpMethod.Get), _graph.Requests.Count(r => r.Method == HttpMethod.Post)));
    }

    [Fact]
    public async Task Without_a_configured_Teams_app_or_outside_the_home_tenant_nobody_is_notified_and_Graph_is_not_asked()
    {
        var partnerUser = new UserId(PartnerTenant, Alice.ObjectId);

        Assert.False(await new GraphTeamsNotifier(_graph.Client(), HomeTenant, "").NotifyAsync(Alice, YourMove, default));
        Assert.False(await new GraphTeamsNotifier(_graph.Client(), HomeTenant, TeamsAppId).NotifyAsync(partnerUser, YourMove, default));

        Assert.Empty(_graph.Requests);
    }

    [Theory]
    [InlineData("W. Europe Standard Time", "Europe/Berlin")]
    [InlineData("America/Los_Angeles", "America/Los_Angeles")]
    [InlineData("Customized Time Zone", null)]
    public async Task A_mailbox_time_zone_is_read_from_mailbox_settings_as_an_IANA_id(string outlookName, string? iana)
    {
        _graph.On(HttpMethod.Get, $"/v1.0/users/{Alice.ObjectId}/mailboxSettings", $$"""{"timeZone":"{{outlookName}}"}""");

        Assert.Equal(iana, await new GraphMailboxTimeZones(_graph.Client(), HomeTenant).FindAsync(Alice, default));

        Assert.Contains("$select=timeZone", Assert.Single(_graph.Requests).Url);
    }

    [Fact]
    public async Task A_user_without_a_mailbox_or_outside_the_home_tenant_has_no_mailbox_time_zone()
    {
        _graph.On(HttpMethod.Get, $"/v1.0/users/{Alice.ObjectId}/mailboxSettings",
            """{"error":{"code":"MailboxNotEnabledForRESTAPI","message":"The mailbox is either inactive, soft-deleted, or is hosted on-premise."}}""", HttpStatusCode.NotFound);
        var zones = new GraphMailboxTimeZones(_graph.Client(), HomeTenant);

        Assert.Null(await zones.FindAsync(Alice, default));
        Assert.Null(await zones.FindAsync(new UserId(PartnerTenant, Alice.ObjectId), default));
        Assert.Single(_graph.Requests);
    }

    [Fact]
    public async Task A_Teams_meeting_is_recognised_and_keyed_by_its_join_url()
    {
        _graph.On(HttpMethod.Get, $"/v1.0/users/{Alice.ObjectId}/events/AAMkEv1", """
            {"id":"AAMkEv1","iCalUId":"040000008200E0","subject":"Q4: budget review","isOnlineMeeting":true,"onlineMeetingProvider":"teamsForBusiness",
             "onlineMeeting":{"joinUrl":"https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc"},
             "organizer":{"emailAddress":{"address":"alice@contoso.com"}},"attendees":[{"emailAddress":{"address":"bob@contoso.com"}}],
             "start":{"dateTime":"2026-11-27T14:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-11-27T14:30:00.0000000","timeZone":"UTC"}}
            """);
        var mailbox = new GraphMailbox(_ => _graph.Client());

        var meeting = await mailbox.GetAsync(Alice, ItemKind.Event, "AAMkEv1", default);

        // Keyed by the meeting chat's thread, as a Teams meeting tab knows it too.
        Assert.Equal((MeetingKind.Teams, "event:teams:19:meeting_abc"), (meeting!.Meeting, meeting.Key));
        Assert.Null(meeting.Occurrence);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 14, 0, 0, TimeSpan.Zero), meeting.Start);
        Assert.Equal(["bob@contoso.com"], meeting.To);
        Assert.Contains("$select=id,iCalUId,subject,organizer,attendees,start,end,isOnlineMeeting,onlineMeetingProvider", Assert.Single(_graph.Requests).Url);
    }

    [Fact]
    public async Task An_occurrence_of_a_recurring_meeting_is_keyed_by_its_series_with_its_date()
    {
        _graph.On(HttpMethod.Get, $"/v1.0/users/{Alice.ObjectId}/events/AAMkOcc3", """
            {"id":"AAMkOcc3","iCalUId":"040000008200E0-occ3","subject":"Weekly review","type":"occurrence","seriesMasterId":"AAMkMaster",
             "isOnlineMeeting":false,"location":{"displayName":"Room 4"},
             "start":{"dateTime":"2026-12-11T09:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-12-11T09:30:00.0000000","timeZone":"UTC"}}
            """);
        _graph.On(HttpMethod.Get, $"/v1.0/users/{Alice.ObjectId}/events/AAMkMaster", """{"id":"AAMkMaster","iCalUId":"040000008200E0-series"}""");
        var mailbox = new GraphMailbox(_ => _graph.Client());

        var occurrence = await mailbox.GetAsync(Alice, ItemKind.Event, "AAMkOcc3", default);

        Assert.Equal(("event:040000008200E0-series", new DateOnly(2026, 12, 11)), (occurrence!.Key, occurrence.Occurrence));
        Assert.Equal(2, _graph.Requests.Count);
    }

    [Fact]
    public async Task A_Teams_short_link_is_keyed_by_the_thread_its_online_meeting_names_and_by_its_iCalendar_id_where_that_cannot_be_read()
    {
        const string shortLink = "https://teams.microsoft.com/meet/2345678901234?p=AbCdEf";
        const string meetingJson = $$$"""
            {"id":"AAMkShort","iCalUId":"ical-short","subject":"Pricing","isOnlineMeeting":true,"onlineMeetingProvider":"teamsForBusiness",
             "onlineMeeting":{"joinUrl":"{{{shortLink}}}"},
             "start":{"dateTime":"2026-11-27T14:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-11-27T14:30:00.0000000","timeZone":"UTC"}}
            """;
        _graph.On(HttpMethod.Get, $"/v1.0/users/{Alice.ObjectId}/events/AAMkShort", meetingJson);
        _graph.On(HttpMethod.Get, $"/v1.0/users/{Alice.ObjectId}/onlineMeetings?", """{"value":[{"id":"om1","chatInfo":{"threadId":"19:meeting_short@thread.v2"}}]}""");
        var mailbox = new GraphMailbox(_ => _graph.Client());

        var meeting = await mailbox.GetAsync(Alice, ItemKind.Event, "AAMkShort", default);

        Assert.Equal("event:teams:19:meeting_short@thread.v2", meeting!.Key);
        var lookup = Assert.Single(_graph.Requests, r => r.Url.Contains("onlineMeetings", StringComparison.Ordinal));
        Assert.Contains($"JoinWebUrl eq '{shortLink}'", Uri.UnescapeDataString(lookup.Url), StringComparison.Ordinal);

        var refused = new FakeGraph();
        refused.On(HttpMethod.Get, $"/v1.0/users/{Alice.ObjectId}/events/AAMkShort", meetingJson);
        refused.On(HttpMethod.Get, $"/v1.0/users/{Alice.ObjectId}/onlineMeetings?", """{"error":{"code":"Forbidden","message":"No OnlineMeetings.Read."}}""", HttpStatusCode.Forbidden);
        Assert.Equal("event:ical-short", (await new GraphMailbox(_ => refused.Client()).GetAsync(Alice, ItemKind.Event, "AAMkShort", default))!.Key);
    }

    [Theory]
    [InlineData("https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzQ1%40thread.v2/0?context=%7b%22Tid%22%3a%22x%22%7d", "event:teams:19:meeting_NzQ1@thread.v2")]
    [InlineData("https://teams.microsoft.com/l/meetup-join/19:meeting_NzQ1@thread.v2/0", "event:teams:19:meeting_NzQ1@thread.v2")]
    [InlineData("https://teams.microsoft.com/meet/2345?p=abc", "event:ical-1")]
    public void A_Teams_meeting_has_one_key_however_its_join_url_is_spelled(string joinUrl, string key)
    {
        Assert.Equal(key, MeetingIdentity.KeyOf(MeetingKind.Teams, joinUrl, "ical-1", "AAMk1"));
    }

    [Theory]
    [InlineData("https://contoso.zoom.us/j/91234567890?pwd=abc", "event:zoom:91234567890")]
    [InlineData("zoommtg://zoom.us/join?confno=8812345678&pwd=x", "event:zoom:8812345678")]
    [InlineData("https://contoso.zoom.us/my/alice", "event:ical-1")]
    public void A_Zoom_meeting_is_keyed_by_its_meeting_number(string joinUrl, string key)
    {
        Assert.Equal(key, MeetingIdentity.KeyOf(MeetingKind.Zoom, joinUrl, "ical-1", "AAMk1"));
    }

    [Theory]
    [InlineData("""{"location":{"displayName":"https://contoso.zoom.us/j/91234567890?pwd=abc"}}""", MeetingKind.Zoom)]
    [InlineData("""{"locations":[{"displayName":"Room 4"},{"locationUri":"zoommtg://zoom.us/join?confno=123"}]}""", MeetingKind.Zoom)]
    [InlineData("""{"bodyPreview":"Join: https://us02web.zoom.us/j/8812345678"}""", MeetingKind.Zoom)]
    [InlineData("""{"location":{"displayName":"Room 4"},"isOnlineMeeting":false}""", MeetingKind.InPerson)]
    public async Task Zoom_is_found_in_the_locations_or_body_and_anything_else_is_in_person(string fields, MeetingKind expected)
    {
        var json = JsonNode.Parse(fields)!.AsObject();
        json["id"] = "AAMkEv2";
        _graph.On(HttpMethod.Get, $"/v1.0/users/{Alice.ObjectId}/events/AAMkEv2", json.ToJsonString());

        var meeting = await new GraphMailbox(_ => _graph.Client()).GetAsync(Alice, ItemKind.Event, "AAMkEv2", default);

        Assert.Equal(expected, meeting!.Meeting);
    }

    [Fact]
    public async Task A_message_gives_its_thread_and_internet_message_id()
    {
        _graph.On(HttpMethod.Get, $"/v1.0/users/{Alice.ObjectId}/messages/AAMkMsg", """
            {"id":"AAMkMsg","internetMessageId":"<abc@contoso.com>","conversationId":"AAQkConv","subject":"Budget",
             "from":{"emailAddress":{"address":"bob@contoso.com"}},"toRecipients":[{"emailAddress":{"address":"alice@contoso.com"}}]}
            """);

        var message = await new GraphMailbox(_ => _graph.Client()).GetAsync(Alice, ItemKind.Message, "AAMkMsg", default);

        Assert.Equal(("thread:AAQkConv", "<abc@contoso.com>", "bob@contoso.com"), (message!.Key, message.InternetMessageId, message.From));
    }

    [Fact]
    public async Task Tagging_creates_missing_categories_once_and_replaces_the_items_old_quadrant()
    {
        var user = $"/v1.0/users/{Alice.ObjectId}";
        _graph.On(HttpMethod.Get, $"{user}/outlook/masterCategories", """{"value":[{"displayName":"Workflow Q1 · Listen","color":"preset7"}]}""")
            .On(r => r.Method == HttpMethod.Post && r.RequestUri!.AbsolutePath == "/v1.0/$batch", r =>
            {
                // Answers every step of the batch with 201, as Graph does when the categories are created.
                var steps = JsonNode.Parse(r.Content!.ReadAsStringAsync().Result)!["requests"]!.AsArray();
                var responses = new JsonArray([.. steps.Select(step => (JsonNode)new JsonObject { ["id"] = step!["id"]!.GetValue<string>(), ["status"] = 201, ["body"] = new JsonObject() })]);
                return FakeGraph.Json(new JsonObject { ["responses"] = responses }.ToJsonString());
            })
            .On(HttpMethod.Get, $"{user}/messages/AAMkMsg", """{"id":"AAMkMsg","categories":["Red","Workflow Q1 · Listen"]}""")
            .On(HttpMethod.Patch, $"{user}/messages/AAMkMsg", """{"id":"AAMkMsg"}""");

        await new GraphMailbox(_ => _graph.Client()).TagAsync(Alice, ItemKind.Message, "AAMkMsg", "0123456789abcdef0123456789abcdef", Quadrant.Q3, default);

        // The three missing categories are created in one $batch, each a POST to the mailbox's master categories.
        var batch = JsonNode.Parse(Assert.Single(_graph.Requests, r => r.Method == HttpMethod.Post).Body!)!["requests"]!.AsArray();
        Assert.All(batch, step => Assert.Equal(("POST", $"/users/{Alice.ObjectId}/outlook/masterCategories"),
            (step!["method"]!.GetValue<string>(), step["url"]!.GetValue<string>())));
        var created = batch.Select(step => step!["body"]!).ToList();
        Assert.Equal(["Workflow Q2 · Negotiate", "Workflow Q3 · Execute", "Workflow Q4 · Assess"], created.Select(c => c["displayName"]!.GetValue<string>()).Order());
        Assert.Equal(3, created.Select(c => c["color"]!.GetValue<string>()).Distinct().Count());
        var patch = JsonNode.Parse(_graph.Requests.Single(r => r.Method == HttpMethod.Patch).Body!)!;
        Assert.Equal(["Red", "Workflow Q3 · Execute"], patch["categories"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(GraphMailbox.WorkflowProperty, patch["singleValueExtendedProperties"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("0123456789abcdef0123456789abcdef", patch["singleValueExtendedProperties"]![0]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tagged_items_are_found_again_by_the_property_value()
    {
        _graph.On(HttpMethod.Get, $"/v1.0/users/{Alice.ObjectId}/messages?", """{"value":[{"id":"AAMk1"},{"id":"AAMk2"}]}""");

        var found = await new GraphMailbox(_ => _graph.Client()).FindTaggedAsync(Alice, ItemKind.Message, "0123456789abcdef0123456789abcdef", default);

        Assert.Equal(["AAMk1", "AAMk2"], found);
        Assert.Contains($"$filter=singleValueExtendedProperties/Any(ep: ep/id eq '{GraphMailbox.WorkflowProperty}' and ep/value eq '0123456789abcdef0123456789abcdef')",
            Assert.Single(_graph.Requests).Url);
    }

    [Fact]
    public async Task The_calendar_view_reads_the_window_in_UTC_with_each_meetings_workflow()
    {
        _graph.On(HttpMethod.Get, $"/v1.0/users/{Alice.ObjectId}/calendarView?", $$"""
            {"value":[{"id":"E1","subject":"Q4 review","categories":["Workflow Q4 · Assess"],
              "start":{"dateTime":"2026-11-26T10:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-11-26T10:30:00.0000000","timeZone":"UTC"},
              "singleValueExtendedProperties":[{"id":"{{GraphMailbox.WorkflowProperty}}","value":"wf1"}]}]}
            """);

        var slots = await new GraphMailbox(_ => _graph.Client()).CalendarAsync(Alice,
            new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero), default);

        Assert.Equal(("E1", "wf1"), (Assert.Single(slots).ImmutableId, slots[0].WorkflowId));
        var sent = Assert.Single(_graph.Requests);
        Assert.Contains("startDateTime=2026-11-23T00:00:00.0000000Z", sent.Url);
        Assert.Contains("outlook.timezone=\"UTC\"", sent.Prefer);
    }

    [Fact]
    public async Task The_calendar_view_keys_each_meeting_as_its_record_is_kept_reading_each_series_master_once()
    {
        _graph.On(HttpMethod.Get, $"/v1.0/users/{Alice.ObjectId}/calendarView?", """
            {"value":[
              {"id":"T1","subject":"Stand-up","isOnlineMeeting":true,"onlineMeetingProvider":"teamsForBusiness","type":"occurrence","seriesMasterId":"TM",
               "onlineMeeting":{"joinUrl":"https://teams.microsoft.com/l/meetup-join/19%3ameeting_standup%40thread.v2/0"},
               "start":{"dateTime":"2026-11-24T09:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-11-24T09:15:00.0000000","timeZone":"UTC"}},
              {"id":"R1","subject":"Weekly","iCalUId":"occ-1","type":"occurrence","seriesMasterId":"RM","location":{"displayName":"Room 4"},
               "start":{"dateTime":"2026-11-25T10:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-11-25T10:30:00.0000000","timeZone":"UTC"}},
              {"id":"R2","subject":"Weekly","iCalUId":"occ-2","type":"exception","seriesMasterId":"RM","location":{"displayName":"Room 4"},
               "start":{"dateTime":"2026-11-26T10:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-11-26T10:30:00.0000000","timeZone":"UTC"}},
              {"id":"S1","subject":"One-off","iCalUId":"single-1","type":"singleInstance",
               "start":{"dateTime":"2026-11-27T10:00:00.0000000","timeZone":"UTC"},"end":{"dateTime":"2026-11-27T10:30:00.0000000","timeZone":"UTC"}}]}
            """);
        _graph.On(HttpMethod.Get, $"/v1.0/users/{Alice.ObjectId}/events/RM", """{"id":"RM","iCalUId":"series-weekly"}""");

        var slots = await new GraphMailbox(_ => _graph.Client()).CalendarAsync(Alice,
            new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero), default);

        Assert.Equal(
            [("event:teams:19:meeting_standup@thread.v2", (DateOnly?)new DateOnly(2026, 11, 24)), ("event:series-weekly", new DateOnly(2026, 11, 25)),
             ("event:series-weekly", new DateOnly(2026, 11, 26)), ("event:single-1", null)],
            slots.Select(s => (s.Key!, s.On)));
        // The view, and the one in-person series' master (a Teams series is keyed by its thread).
        Assert.Equal(2, _graph.Requests.Count);
    }

    [Fact]
    public async Task A_meetings_purpose_shows_on_the_callers_copy_as_its_only_workflow_category()
    {
        _graph.On(HttpMethod.Get, $"/v1.0/users/{Alice.ObjectId}/outlook/masterCategories", """
            {"value":[{"displayName":"Workflow Q1 · Listen"},{"displayName":"Workflow Q2 · Negotiate"},{"displayName":"Workflow Q3 · Execute"},{"displayName":"Workflow Q4 · Assess"}]}
            """);
        _graph.On(HttpMethod.Get, $"/v1.0/users/{Alice.ObjectId}/events/AAMkEv1", """{"id":"AAMkEv1","categories":["Red category","Workflow Q1 · Listen"]}""");
        _graph.On(HttpMethod.Patch, $"/v1.0/users/{Alice.ObjectId}/events/AAMkEv1", """{"id":"AAMkEv1"}""");

        await new GraphMailbox(_ => _graph.Client()).ShowPurposeAsync(Alice, "AAMkEv1", Quadrant.Q2, default);

        var patch = Assert.Single(_graph.Requests, r => r.Method == HttpMethod.Patch);
        var categories = System.Text.Json.Nodes.JsonNode.Parse(patch.Body!)!["categories"]!.AsArray().Select(c => c!.GetValue<string>());
        Assert.Equal(["Red category", "Workflow Q2 · Negotiate"], categories);
    }

    [Fact]
    public async Task A_429_is_retried_after_the_time_it_names()
    {
        var tries = 0;
        _graph.On(_ => true, _ => Interlocked.Increment(ref tries) == 1
            ? new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(1)) } }
            : FakeGraph.Json("""{"value":[{"id":"bbbbbbbb-0000-0000-0000-000000000002","mail":"bob@contoso.com"}]}"""));

        var bob = await new GraphDirectory(_ => _graph.Client()).FindByEmailAsync(Alice.TenantId, "bob@contoso.com", default);

        Assert.NotNull(bob);
        Assert.Equal(2, _graph.Requests.Count);
    }

    [Fact]
    public async Task Never_more_than_four_requests_are_in_flight_for_one_mailbox()
    {
        _graph.Latency = TimeSpan.FromMilliseconds(30);
        _graph.On(_ => true, _ => FakeGraph.Json("""{"id":"AAMkMsg","conversationId":"c"}"""));
        var pipeline = new GraphPipeline(_graph);
        var mailbox = new GraphMailbox(_ => _graph.Client(pipeline));
        var bob = Alice with { ObjectId = "bbbbbbbb-0000-0000-0000-000000000002" };

        await Task.WhenAll(Enumerable.Range(0, 24).Select(i => mailbox.GetAsync(i % 3 == 0 ? bob : Alice, ItemKind.Message, "AAMkMsg", default)));

        Assert.Equal(24, _graph.Requests.Count);
        Assert.Equal(GraphPipeline.MaxConcurrentPerMailbox, _graph.MaxInFlight[Alice.ObjectId]);
        Assert.InRange(_graph.MaxInFlight[bob.ObjectId], 1, GraphPipeline.MaxConcurrentPerMailbox);
    }
}

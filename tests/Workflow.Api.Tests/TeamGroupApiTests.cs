using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Api.Identity;
using Workflow.Api.Tests.Infrastructure;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>
/// A team made of a directory group: only someone in the group may make it, everyone in it is named and each opts in
/// for themselves, five who opted in see the aggregate and four do not, and the team follows the group as the directory
/// changes — a leaver stops seeing and counting, a newcomer may opt in. Directory groups of appsettings.Development.json.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class TeamGroupApiTests(Azurite azurite) : IAsyncLifetime
{
    private const string Delivery = "0a0a0a0a-0000-0000-0000-00000000d001"; // alice, bob, carol, dave, erin
    private const string DesignReview = "0a0a0a0a-0000-0000-0000-00000000d002"; // alice, carol, frank, gus (a guest)
    private const string FabrikamStaff = "0a0a0a0a-0000-0000-0000-00000000d003"; // mallory, another organisation

    /// <summary>The Delivery group's people as the directory has them now: a test changes it to move people in and out.</summary>
    private readonly ChangingGroup _delivery = new(Delivery, ["alice@contoso.test", "bob@contoso.test", "carol@contoso.test", "dave@contoso.test", "erin@contoso.test"]);
    private ApiFactory _api = null!;
    private readonly Dictionary<string, HttpClient> _people = [];

    public async Task InitializeAsync()
    {
        var delivery = _delivery;
        _api = new ApiFactory(azurite, services: s => s.AddSingleton<IDirectoryGroups>(sp =>
            new ChangingGroups(sp.GetRequiredService<DevelopmentDirectory>(), delivery)));
        foreach (var name in new[] { "alice", "bob", "carol", "dave", "erin", "frank" })
        {
            _people[name] = await _api.SignedInAsync($"{name}@contoso.test");
        }
        _people["gus"] = await _api.SignedInAsync("gus@partner.test");
        _people["mallory"] = await _api.SignedInAsync("mallory@fabrikam.test");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private HttpClient Of(string name) => _people[name];

    private static async Task<ApiClient.Answer> CreateAsync(HttpClient creator, object body) =>
        await ApiClient.Read(await creator.PostAsJsonAsync("/api/teams", body));

    private static async Task<HttpStatusCode> OptAsync(HttpClient member, string team, bool optIn) =>
        (await member.PutAsJsonAsync($"/api/teams/{team}/membership", new { optIn })).StatusCode;

    private static async Task<JsonArray> TeamsOfAsync(HttpClient person) =>
        (await person.GetJsonAsync("/api/teams")).Body!["teams"]!.AsArray();

    [Fact]
    public async Task Each_person_is_offered_the_groups_they_are_in_and_no_others()
    {
        static async Task<string[]> GroupsAsync(HttpClient person) =>
            [.. (await person.GetJsonAsync("/api/teams/groups")).Body!["groups"]!.AsArray().Select(g => g!["displayName"]!.GetValue<string>())];

        Assert.Equal(["Delivery", "Design review"], await GroupsAsync(Of("alice")));
        Assert.Equal(["Design review"], await GroupsAsync(Of("frank")));
        Assert.Equal(["Fabrikam staff"], await GroupsAsync(Of("mallory")));
        var anonymous = _api.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/teams/groups")).StatusCode);
    }

    [Fact]
    public async Task A_groups_team_names_everyone_in_it_and_five_who_opted_in_see_the_aggregate()
    {
        var created = await CreateAsync(Of("alice"), new { group = Delivery });

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(("Delivery", "Delivery", 5), (created.Body!["name"]!.GetValue<string>(), created.Body["group"]!.GetValue<string>(), created.Body["named"]!.GetValue<int>()));
        Assert.Equal(["alice@contoso.test"], created.Body["members"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.EndsWith("5 people have opted in; 1 has.", created.Body["withheld"]!.GetValue<string>());
        var team = created.Id;

        // Bob finds it among his teams, as the group's, not yet opted in; until he opts in he cannot look at it.
        var bobs = Assert.Single(await TeamsOfAsync(Of("bob")));
        Assert.Equal((team, "Delivery", false), (bobs!["id"]!.GetValue<string>(), bobs["group"]!.GetValue<string>(), bobs["optedIn"]!.GetValue<bool>()));
        Assert.Equal(HttpStatusCode.NotFound, (await Of("bob").GetJsonAsync($"/api/teams/{team}")).Status);

        foreach (var member in new[] { "bob", "carol", "dave" })
        {
            Assert.Equal(HttpStatusCode.OK, await OptAsync(Of(member), team, true));
        }
        var four = await Of("bob").GetJsonAsync($"/api/teams/{team}");
        Assert.Null(four.Body!["aggregate"]);
        Assert.Contains("4 have", four.Body["withheld"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, await OptAsync(Of("erin"), team, true));
        var five = await Of("bob").GetJsonAsync($"/api/teams/{team}");
        Assert.NotNull(five.Body!["aggregate"]);
        Assert.NotNull(five.Body["network"]);
        Assert.Equal(5, five.Body["members"]!.AsArray().Count);

        // Frank is not in the group: he cannot opt in, look, or learn it exists.
        Assert.Equal(HttpStatusCode.NotFound, await OptAsync(Of("frank"), team, true));
        Assert.Equal(HttpStatusCode.NotFound, (await Of("frank").GetJsonAsync($"/api/teams/{team}")).Status);
        Assert.Empty(await TeamsOfAsync(Of("frank")));
    }

    [Fact]
    public async Task A_group_of_four_who_all_opted_in_sees_no_aggregate()
    {
        var team = (await CreateAsync(Of("alice"), new { group = DesignReview, name = "Design" })).Id;
        foreach (var member in new[] { "carol", "frank", "gus" })
        {
            Assert.Equal(HttpStatusCode.OK, await OptAsync(Of(member), team, true));
        }

        var seen = await Of("frank").GetJsonAsync($"/api/teams/{team}");

        Assert.Equal(("Design", "Design review"), (seen.Body!["name"]!.GetValue<string>(), seen.Body["group"]!.GetValue<string>()));
        Assert.Equal(4, seen.Body["members"]!.AsArray().Count);
        Assert.Null(seen.Body["aggregate"]);
        Assert.Null(seen.Body["network"]);
        Assert.Empty(seen.Body["sentences"]!.AsArray());
    }

    [Fact]
    public async Task Only_someone_in_a_group_of_their_own_organisation_makes_its_team_and_probing_learns_nothing()
    {
        // Not in it, another organisation's, no such group: one answer for all three.
        var notIn = await CreateAsync(Of("frank"), new { group = Delivery });
        var otherOrganisation = await CreateAsync(Of("alice"), new { group = FabrikamStaff });
        var fromOutside = await CreateAsync(Of("mallory"), new { group = Delivery });
        var none = await CreateAsync(Of("alice"), new { group = Guid.NewGuid().ToString() });
        foreach (var answer in new[] { notIn, otherOrganisation, fromOutside, none })
        {
            Assert.Equal(HttpStatusCode.NotFound, answer.Status);
            Assert.Equal("There is no such directory group in your organisation, or you are not in it.", answer.Body!["detail"]!.GetValue<string>());
        }

        foreach (var bad in new object[]
                 {
                     new { group = "../users" },
                     new { group = Delivery, members = new[] { "bob@contoso.test" } },
                     new { name = "Nobody" },
                     new { group = Delivery, name = new string('x', 101) },
                 })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await CreateAsync(Of("alice"), bad)).Status);
        }
        Assert.Empty(await TeamsOfAsync(Of("alice")));
        Assert.Empty(await TeamsOfAsync(Of("bob")));
    }

    [Fact]
    public async Task The_team_follows_the_group_a_leaver_stops_counting_and_seeing_it_and_a_newcomer_may_opt_in()
    {
        var team = (await CreateAsync(Of("alice"), new { group = Delivery })).Id;
        foreach (var member in new[] { "bob", "carol", "dave", "erin" })
        {
            Assert.Equal(HttpStatusCode.OK, await OptAsync(Of(member), team, true));
        }
        Assert.NotNull((await Of("alice").GetJsonAsync($"/api/teams/{team}")).Body!["aggregate"]);

        // Erin leaves the group: at the next look the team is four, and Erin sees it no more.
        _delivery.Members.Remove("erin@contoso.test");
        var four = await Of("alice").GetJsonAsync($"/api/teams/{team}");
        Assert.Null(four.Body!["aggregate"]);
        Assert.DoesNotContain("erin@contoso.test", four.Body["members"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, (await Of("erin").GetJsonAsync($"/api/teams/{team}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, await OptAsync(Of("erin"), team, true));
        Assert.Empty(await TeamsOfAsync(Of("erin")));

        // Frank joins it: he may opt in, and the team is five again.
        _delivery.Members.Add("frank@contoso.test");
        Assert.Equal(HttpStatusCode.OK, await OptAsync(Of("frank"), team, true));
        var five = await Of("frank").GetJsonAsync($"/api/teams/{team}");
        Assert.NotNull(five.Body!["aggregate"]);
        Assert.Contains("frank@contoso.test", five.Body["members"]!.ToJsonString());
        Assert.Equal(team, Assert.Single(await TeamsOfAsync(Of("frank")))!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_group_too_large_for_a_team_is_refused_with_its_limit()
    {
        _delivery.Padding = Team.MaxMembers;

        var answer = await CreateAsync(Of("alice"), new { group = Delivery });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains($"more than {Team.MaxMembers} people", answer.Body!["detail"]!.GetValue<string>());
        Assert.Empty(await TeamsOfAsync(Of("alice")));
    }

    [Fact]
    public async Task A_directory_that_does_not_answer_is_a_503_to_retry_and_changes_nothing()
    {
        var team = (await CreateAsync(Of("alice"), new { group = Delivery })).Id;
        _delivery.Down = true;

        var groups = await Of("alice").GetAsync("/api/teams/groups");
        var made = await CreateAsync(Of("bob"), new { group = Delivery });
        var look = await Of("alice").GetJsonAsync($"/api/teams/{team}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, groups.StatusCode);
        Assert.NotNull(groups.Headers.RetryAfter);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable), (made.Status, look.Status));
        _delivery.Down = false;
        Assert.Equal(team, Assert.Single(await TeamsOfAsync(Of("bob")))!["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await Of("alice").GetJsonAsync($"/api/teams/{team}")).Status);
    }

    /// <summary>A directory group whose people a test changes between requests.</summary>
    private sealed class ChangingGroup(string id, List<string> members)
    {
        public string Id { get; } = id;

        public List<string> Members { get; } = members;

        /// <summary>People the development directory does not know, counted as the group's anyway (a large group).</summary>
        public int Padding { get; set; }

        /// <summary>Graph answering 503 even after the SDK's retries.</summary>
        public bool Down { get; set; }
    }

    /// <summary>The development directory's groups, except the changing one, which is read from the test's list.</summary>
    private sealed class ChangingGroups(DevelopmentDirectory directory, ChangingGroup changing) : IDirectoryGroups
    {
        public Task<IReadOnlyList<DirectoryGroup>> GroupsOfAsync(UserId user, CancellationToken cancellationToken) =>
            changing.Down ? throw Unavailable() : directory.GroupsOfAsync(user, cancellationToken);

        private static Microsoft.Kiota.Abstractions.ApiException Unavailable() => new("Service unavailable") { ResponseStatusCode = 503 };

        public async Task<GroupMembers?> MembersAsync(string tenantId, string groupId, int limit, CancellationToken cancellationToken)
        {
            if (changing.Down)
            {
                throw Unavailable();
            }
            if (!string.Equals(groupId, changing.Id, StringComparison.OrdinalIgnoreCase))
            {
                return await directory.MembersAsync(tenantId, groupId, limit, cancellationToken);
            }
            var users = changing.Members.Select(directory.FindByEmail).OfType<DirectoryUser>().Where(u => u.Id.TenantId == tenantId).ToList();
            var count = users.Count + changing.Padding;
            return new GroupMembers(new DirectoryGroup(changing.Id, "Delivery"), [.. users.Take(limit)], count > limit);
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workflow.Api.Tests.Infrastructure;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>
/// The OpenAPI document is the one contract (issue 11): served at /api/openapi.json, checked in as
/// contract/openapi.json (the add-in's types are generated from it), clean by Redocly's recommended rules, and held
/// against every exchange the API tests make (<see cref="ContractCheck"/>).
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed partial class ContractTests(Azurite azurite) : IAsyncLifetime
{
    private readonly ApiFactory _api = new(azurite);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static string CheckedIn => File.ReadAllText(Path.Combine(RepoRoot.Path, "contract", "openapi.json"));

    [Fact]
    public async Task The_served_document_is_the_checked_in_contract()
    {
        using var anonymous = _api.CreateClient();
        var served = await anonymous.GetStringAsync("/api/openapi.json");

        // A build writes contract/openapi.json; a difference means it was not committed after the API changed.
        Assert.True(served.ReplaceLineEndings() == CheckedIn.ReplaceLineEndings(),
            "contract/openapi.json is not the document the API serves: build the API (dotnet build) and commit contract/openapi.json.");
    }

    [Fact]
    public async Task The_served_document_passes_Redocly_recommended_rules_without_errors()
    {
        using var anonymous = _api.CreateClient();
        var file = Path.Combine(Directory.CreateTempSubdirectory("workflow-contract-").FullName, "openapi.json");
        await File.WriteAllTextAsync(file, await anonymous.GetStringAsync("/api/openapi.json"));

        var redocly = Path.Combine(RepoRoot.Path, "node_modules", ".bin", "redocly");
        Assert.True(File.Exists(redocly), "Redocly CLI is missing: run scripts/install-tools.sh.");
        var start = new ProcessStartInfo(redocly, ["lint", file, "--config", Path.Combine(RepoRoot.Path, "redocly.yaml"), "--format=stylish"])
        {
            WorkingDirectory = RepoRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true", ["NO_COLOR"] = "1" },
        };
        using var lint = Process.Start(start)!;
        var output = lint.StandardOutput.ReadToEndAsync();
        var errors = lint.StandardError.ReadToEndAsync();
        Assert.True(lint.WaitForExit(TimeSpan.FromMinutes(2)), "Redocly did not finish.");
        Assert.True(lint.ExitCode == 0, $"Redocly found errors:\n{await output}\n{await errors}");
    }

    [Fact]
    public async Task Every_move_of_the_model_is_in_the_contract_by_its_api_name()
    {
        using var anonymous = _api.CreateClient();
        var document = JsonNode.Parse(await anonymous.GetStringAsync("/api/openapi.json"))!;

        var moves = document["components"]!["schemas"]!["Move"]!["enum"]!.AsArray().Select(m => m!.GetValue<string>());
        Assert.Equal(Enum.GetValues<Move>().Select(WorkflowDecider.Name), moves);
        Assert.Equal("#/components/schemas/Move", document["components"]!["schemas"]!["MoveBody"]!["properties"]!["move"]!["$ref"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_undeclared_status_is_a_contract_violation()
    {
        using var client = Stubbed(HttpStatusCode.Created, """{"tenantId":"t","objectId":"o","timeZone":"UTC"}""");

        var violation = await Assert.ThrowsAsync<ContractViolationException>(() => client.GetAsync("/api/me"));
        Assert.Contains("does not declare 201", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_of_another_shape_is_a_contract_violation()
    {
        using var client = Stubbed(HttpStatusCode.OK, """{"tenantId":5,"objectId":"o"}""");

        var violation = await Assert.ThrowsAsync<ContractViolationException>(() => client.GetAsync("/api/me"));
        Assert.Contains("/tenantId", violation.Message, StringComparison.Ordinal);
        Assert.Contains("timeZone", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_the_API_took_but_the_contract_refuses_is_a_contract_violation()
    {
        // The contract says a note needs its text; were the API to take one without, the contract would be wrong.
        using var client = Stubbed(HttpStatusCode.OK, Workflow);
        using var note = new StringContent("""{"move":"note"}""", Encoding.UTF8, "application/json");

        var violation = await Assert.ThrowsAsync<ContractViolationException>(() => client.PostAsync($"/api/workflows/{new string('a', 32)}/moves", note));
        Assert.Contains("the API took a body its contract refuses", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_declared_status_with_a_body_of_its_shape_keeps_the_contract()
    {
        using var client = Stubbed(HttpStatusCode.OK, """{"tenantId":"t","objectId":"o","email":"a@b.test","timeZone":"UTC","timeZoneFromMailbox":false,"notify":"immediate"}""");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task The_API_docs_are_served_in_Development_with_every_script_from_the_API_itself()
    {
        using var anonymous = _api.CreateClient();
        var page = await anonymous.GetAsync("/api/docs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();

        var scripts = ScriptSources().Matches(html).Select(m => m.Groups["src"].Value).ToArray();
        Assert.NotEmpty(scripts);
        Assert.All(scripts, src => Assert.DoesNotMatch("^(https?:)?//", src));
        foreach (var src in scripts)
        {
            var script = await anonymous.GetAsync(new Uri(page.RequestMessage!.RequestUri!, src));
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        }
        Assert.Contains("\"withDefaultFonts\":false", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_API_docs_are_not_served_outside_Development()
    {
        await using var production = new ApiFactory(azurite, "Production");
        using var anonymous = production.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/docs")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/docs/scalar.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/openapi.json")).StatusCode);
    }

    [GeneratedRegex(@"<script[^>]*\ssrc=""(?<src>[^""]+)""", RegexOptions.CultureInvariant)]
    private static partial Regex ScriptSources();

    private const string Workflow = """
        {"id":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","version":2,"concern":"c","state":"requested","stateLabel":"Asked","quadrant":"Q2",
         "closed":false,"customer":{"email":"a@b.test","pending":false},"performer":{"email":"b@b.test","pending":true},
         "yourRole":"customer","whoseMove":"performer","yourMove":false,"terms":{},"clocks":{},"links":[],"availableMoves":["note"],
         "openedAt":"2026-12-01T00:00:00Z","updatedAt":"2026-12-01T00:00:00Z"}
        """;

    /// <summary>A client whose answers come from a stub, through the contract check.</summary>
    private static HttpClient Stubbed(HttpStatusCode status, string json) =>
        new(new ContractCheck { InnerHandler = new Stub(status, json) }) { BaseAddress = new Uri("http://localhost") };

    private sealed class Stub(HttpStatusCode status, string json) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json"), RequestMessage = request });
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>
/// The contract with the Azure Functions host, exercised the way the host exercises it (there is no host here):
/// see <see cref="HandlerProcess"/>.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class CustomHandlerTests(Azurite azurite)
{
    [Fact]
    public void The_http_function_forwards_every_path_and_method_to_the_handler()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "host.json")))!;
        Assert.True(host["customHandler"]!["enableForwardingHttpRequest"]!.GetValue<bool>());
        Assert.Equal("2.0", host["version"]!.GetValue<string>());

        var function = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "HttpApi", "function.json")))!;
        var bindings = function["bindings"]!.AsArray();
        // Forwarding needs exactly an HTTP trigger and an HTTP output, nothing else.
        Assert.Equal(["httpTrigger:in", "http:out"], bindings.Select(b => $"{b!["type"]}:{b["direction"]}"));
        Assert.Equal("{*path}", bindings[0]!["route"]!.GetValue<string>());
        Assert.Equal("anonymous", bindings[0]!["authLevel"]!.GetValue<string>());
        Assert.Equal(["get", "post", "put", "patch", "delete", "options"], bindings[0]!["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Theory]
    [InlineData("WeeklyReview")]
    [InlineData("Notifications")]
    [InlineData("RoleCycles")]
    public void A_timer_function_runs_on_a_schedule_from_an_app_setting_the_app_and_its_deployment_set_and_never_on_start_up(string name)
    {
        var function = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, name, "function.json")))!;
        var trigger = Assert.Single(function["bindings"]!.AsArray())!;
        Assert.Equal(("timerTrigger", "in"), (trigger["type"]!.GetValue<string>(), trigger["direction"]!.GetValue<string>()));
        Assert.Equal($"%{name}Schedule%", trigger["schedule"]!.GetValue<string>());
        Assert.False(trigger["runOnStartup"]!.GetValue<bool>());
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "functions", "Workflow.Api", "appsettings.json")))!;
        Assert.False(string.IsNullOrEmpty(settings[$"{name}Schedule"]?.GetValue<string>()), $"appsettings.json sets no {name}Schedule.");
        Assert.Contains($"{name}Schedule: ", File.ReadAllText(Path.Combine(RepoRoot.Path, "infra", "main.bicep")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_built_handler_answers_a_timer_invocation_in_the_custom_handler_shape()
    {
        await using var handler = new HandlerProcess(azurite, "h" + Guid.NewGuid().ToString("N")[..12],
            new Dictionary<string, string> { ["Mail__OutboxPath"] = Path.Combine(Path.GetTempPath(), "outbox-" + Guid.NewGuid().ToString("N")) });
        await handler.StartAsync();
        await using var host = await FunctionsHostStub.StartAsync(handler.Port);

        var reply = await host.InvokeAsync("WeeklyReview",
            """{"Data":{"timer":{"Schedule":{"AdjustForDST":true},"IsPastDue":false}},"Metadata":{}}""");

        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        var body = JsonNode.Parse(await reply.Content.ReadAsStringAsync())!;
        Assert.NotNull(body["Outputs"]);
        Assert.Single(body["Logs"]!.AsArray());
        Assert.True(body.AsObject().ContainsKey("ReturnValue"));
    }

    public static TheoryData<string, string> AzureMarkers => new()
    {
        { "WEBSITE_INSTANCE_ID", "0f3a9c1b2d4e" },
        { "WEBSITE_SITE_NAME", "workflow-func" },
        { "WEBSITE_HOSTNAME", "workflow-func.azurewebsites.net" },
        { "WEBSITE_OWNER_NAME", "sub+rg-westeuropewebspace" },
        { "WEBSITE_SKU", "FlexConsumption" },
        { "WEBSITE_POD_NAME", "workflow-func-7d9f" },
        { "LEGION_SERVICE_HOST", "10.0.0.4" },
        { "IDENTITY_ENDPOINT", "http://localhost:8081/msi/token" },
        { "MSI_ENDPOINT", "http://127.0.0.1:41741/MSI/token/" },
    };

    [Theory]
    [MemberData(nameof(AzureMarkers))]
    public async Task The_development_sign_in_refuses_to_start_wherever_Azure_has_left_its_marks(string variable, string value)
    {
        await using var handler = new HandlerProcess(azurite, "h" + Guid.NewGuid().ToString("N")[..12],
            new Dictionary<string, string> { [variable] = value });

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(handler.StartAsync);

        Assert.Contains($"must never run in Azure ({variable} is set)", refused.Message);
    }

    [Fact]
    public async Task The_built_handler_starts_as_the_Functions_host_starts_it_and_serves_a_whole_loop()
    {
        await using var handler = new HandlerProcess(azurite, "h" + Guid.NewGuid().ToString("N")[..12]);
        await handler.StartAsync();
        using var alice = await handler.SignedInAsync("alice@contoso.test");
        using var bob = await handler.SignedInAsync("bob@contoso.test");

        var opened = await alice.OpenForBobAsync("Via the host");
        Assert.Equal(HttpStatusCode.Created, opened.Status);
        var etag = opened.ETag;
        foreach (var (who, move) in new[] { (alice, "request"), (bob, "promise"), (bob, "reportComplete"), (alice, "declareSatisfied") })
        {
            var moved = await who.MoveAsync(opened.Id, etag, new { move });
            Assert.True(moved.Status == HttpStatusCode.OK, moved.ToString());
            etag = moved.ETag;
        }
        var final = await bob.GetJsonAsync($"/api/workflows/{opened.Id}");
        Assert.Equal(("satisfied", 5), (final.State, final.Version));
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>
/// A second, independent judge of the contract: Stoplight Prism as a validating proxy (<c>--errors</c>) in front of
/// the built handler. Both parties run a whole loop through it, the refusals included; Prism answers with an error of
/// its own for any request or answer that breaks <c>contract/openapi.json</c>.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class PrismProxyTests(Azurite azurite) : IAsyncLifetime
{
    private const string PrismErrors = "https://stoplight.io/prism/errors";

    private readonly ConcurrentQueue<string> _prismOutput = new();
    private HandlerProcess? _api;
    private Process? _prism;
    private int _prismPort;

    public async Task InitializeAsync()
    {
        _api = new HandlerProcess(azurite, "p" + Guid.NewGuid().ToString("N")[..12]);
        await _api.StartAsync();

        var executable = Path.Combine(RepoRoot.Path, "node_modules", ".bin", "prism");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Prism is not installed at {executable}: run scripts/install-tools.sh (scripts/test.sh does).");
        }
        _prismPort = Azurite.FreePort();
        _prism = Process.Start(new ProcessStartInfo(executable,
            ["proxy", Path.Combine(RepoRoot.Path, "contract", "openapi.json"), $"http://127.0.0.1:{_api.Port}",
             "--errors", "--host", "127.0.0.1", "--port", _prismPort.ToString(CultureInfo.InvariantCulture), "--cors", "false"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        _prism.OutputDataReceived += (_, e) => _prismOutput.Enqueue(e.Data ?? "");
        _prism.ErrorDataReceived += (_, e) => _prismOutput.Enqueue(e.Data ?? "");
        _prism.BeginOutputReadLine();
        _prism.BeginErrorReadLine();

        try
        {
            await Azurite.WaitUntilListeningAsync(_prism, _prismPort, TimeSpan.FromSeconds(60), "Prism");
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            throw new InvalidOperationException(e.Message + "\n" + string.Join('\n', _prismOutput), e);
        }
    }

    public async Task DisposeAsync()
    {
        if (_prism is { HasExited: false })
        {
            _prism.Kill(entireProcessTree: true);
            await _prism.WaitForExitAsync();
        }
        _prism?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_whole_loop_from_both_sides_with_its_refusals_passes_through_Prism_untouched()
    {
        var alice = await ThroughPrismAsync("alice@contoso.test");
        var bob = await ThroughPrismAsync("bob@contoso.test");
        var mallory = await ThroughPrismAsync("mallory@fabrikam.test");
        var answers = new List<(string Step, string Body)>();
        async Task<JsonNode?> Step(string step, HttpStatusCode expected, Task<HttpResponseMessage> sending)
        {
            var answer = await sending;
            var text = await answer.Content.ReadAsStringAsync();
            answers.Add((step, text));
            Assert.True(expected == answer.StatusCode, $"{step}: {(int)answer.StatusCode} {text}");
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        HttpRequestMessage Move(string id, int version, object body, string? key = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/workflows/{id}/moves") { Content = JsonContent.Create(body) };
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version}\""));
            if (key is not null)
            {
                request.Headers.Add("Idempotency-Key", key);
            }
            return request;
        }

        var opened = await Step("open", HttpStatusCode.Created, alice.PostAsJsonAsync("/api/workflows", new
        {
            concern = "Review the Q3 budget", customer = "me", performer = "bob@contoso.test", conditions = "Comments on every line",
            dueBy = DateTimeOffset.UtcNow.AddDays(20), source = new { key = "thread:prism", kind = "message", subject = "Q3 budget" },
        }));
        var id = opened!["id"]!.GetValue<string>();
        await Step("request", HttpStatusCode.OK, alice.SendAsync(Move(id, 2, new { move = "request" }, key: "ask-1")));
        await Step("the same request again", HttpStatusCode.OK, alice.SendAsync(Move(id, 2, new { move = "request" }, key: "ask-1")));
        await Step("the key reused for another move", HttpStatusCode.UnprocessableEntity,
            alice.SendAsync(Move(id, 2, new { move = "withdraw" }, key: "ask-1")));
        await Step("a stale move", HttpStatusCode.PreconditionFailed, bob.SendAsync(Move(id, 2, new { move = "promise" })));
        await Step("the performer's move, tried by the customer", HttpStatusCode.Conflict,
            alice.SendAsync(Move(id, 3, new { move = "promise" })));
        await Step("someone else's workflow", HttpStatusCode.NotFound, mallory.GetAsync($"/api/workflows/{id}"));
        await Step("promise", HttpStatusCode.OK, bob.SendAsync(Move(id, 3, new { move = "promise" })));
        await Step("check in", HttpStatusCode.OK, alice.SendAsync(Move(id, 4, new { move = "checkIn", text = "How is it going?" })));
        await Step("report done", HttpStatusCode.OK, bob.SendAsync(Move(id, 5, new { move = "reportComplete", text = "Annotated sheet sent" })));
        await Step("not satisfied", HttpStatusCode.OK, alice.SendAsync(Move(id, 6, new { move = "declareNotSatisfied", text = "Line 14 is missing" })));
        await Step("report done again", HttpStatusCode.OK, bob.SendAsync(Move(id, 7, new { move = "reportComplete", text = "Line 14 added" })));
        await Step("satisfied", HttpStatusCode.OK, alice.SendAsync(Move(id, 8, new { move = "declareSatisfied" })));
        var repeated = await Step("repeat", HttpStatusCode.Created, bob.SendAsync(Move(id, 9, new { move = "repeat" })));
        // The new cycle is Bob's draft: his alone until he sends it.
        await Step("the new cycle", HttpStatusCode.OK, bob.GetAsync($"/api/workflows/{repeated!["id"]!.GetValue<string>()}"));
        await Step("history", HttpStatusCode.OK, bob.GetAsync($"/api/workflows/{id}/history?limit=3"));
        await Step("history, next page", HttpStatusCode.OK, bob.GetAsync($"/api/workflows/{id}/history?cursor=v3&limit=3"));
        await Step("what I owe", HttpStatusCode.OK, bob.GetAsync("/api/workflows?view=iOwe"));
        await Step("closed, owed to me", HttpStatusCode.OK, alice.GetAsync("/api/workflows?view=owedToMe&quadrant=closed"));
        await Step("link a meeting", HttpStatusCode.OK, bob.PostAsJsonAsync("/api/items/event:prism/workflows", new { workflowId = id, kind = "event" }));
        await Step("the meeting's workflows", HttpStatusCode.OK, alice.GetAsync("/api/items/event:prism/workflows"));
        await Step("unlink it", HttpStatusCode.OK, alice.DeleteAsync($"/api/items/event:prism/workflows/{id}"));
        await Step("my week", HttpStatusCode.NoContent, bob.PutAsJsonAsync("/api/me/preferences", new { timeZone = "Europe/Berlin" }));
        await Step("me", HttpStatusCode.OK, bob.GetAsync("/api/me"));
        await Step("my review", HttpStatusCode.OK, alice.GetAsync("/api/review"));

        Assert.All(answers, a => Assert.False(a.Body.Contains(PrismErrors, StringComparison.Ordinal), $"{a.Step}: Prism refused it: {a.Body}"));
        Assert.DoesNotContain(_prismOutput, line => line.Contains("violation", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Prism_refuses_what_the_contract_refuses_before_the_API_sees_it()
    {
        var alice = await ThroughPrismAsync("alice@contoso.test");
        var opened = await alice.PostAsJsonAsync("/api/workflows", new { concern = "Slides", customer = "me", performer = "bob@contoso.test" });
        var id = JsonNode.Parse(await opened.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

        var note = new HttpRequestMessage(HttpMethod.Post, $"/api/workflows/{id}/moves") { Content = JsonContent.Create(new { move = "note" }) };
        note.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        var refused = await alice.SendAsync(note);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains(PrismErrors, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var direct = await _api!.SignedInAsync("alice@contoso.test");
        Assert.Equal(1, (await direct.GetJsonAsync($"/api/workflows/{id}")).Version);

        // The contract's security requirement too: no bearer token, no call.
        using var signedOut = new HttpClient { BaseAddress = alice.BaseAddress };
        var anonymous = await signedOut.GetAsync("/api/workflows");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains(PrismErrors, await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A client that talks to the API through Prism, signed in by the handler's local sign-in.</summary>
    private async Task<HttpClient> ThroughPrismAsync(string email)
    {
        var direct = await _api!.SignedInAsync(email);
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_prismPort}") };
        client.DefaultRequestHeaders.Authorization = direct.DefaultRequestHeaders.Authorization;
        return client;
    }
}

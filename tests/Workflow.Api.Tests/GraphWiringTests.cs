using Microsoft.Extensions.DependencyInjection;
using Workflow.Application;
using Workflow.Api.Graph;
using Workflow.Api.Identity;
using Workflow.Api.Mail;
using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Api.Tests;

/// <summary>Which adapters each environment gets: Graph in Azure when enabled, nothing that binds or mails anyone otherwise.</summary>
[Collection(SharedAzurite.Name)]
public sealed class GraphWiringTests(Azurite azurite)
{
    private static readonly Dictionary<string, string?> Production = new()
    {
        ["AzureAd:ClientId"] = "5b1c1a3e-0000-0000-0000-000000000001",
        ["AzureAd:Audience"] = "api://5b1c1a3e-0000-0000-0000-000000000001",
        ["AzureAd:HomeTenantId"] = "11111111-1111-1111-1111-111111111111",
        ["Access:AllowedTenants:0"] = "11111111-1111-1111-1111-111111111111",
    };

    [Fact]
    public async Task In_production_with_Graph_enabled_the_directory_mail_and_mailbox_are_Graphs()
    {
        await using var api = new ApiFactory(azurite, "Production", settings: new Dictionary<string, string?>(Production)
        {
            ["Graph:Enabled"] = "true",
            ["Graph:ServiceMailbox"] = "workflow@contoso.com",
        });
        using var scope = api.Services.CreateScope();

        Assert.IsType<GraphDirectory>(scope.ServiceProvider.GetRequiredService<IDirectory>());
        Assert.IsType<GraphMailSender>(scope.ServiceProvider.GetRequiredService<IMailSender>());
        Assert.IsType<GraphMailbox>(scope.ServiceProvider.GetRequiredService<IMailbox>());
        Assert.IsType<GraphTeamsNotifier>(scope.ServiceProvider.GetRequiredService<ITeamsNotifier>());
        Assert.IsType<GraphMailboxTimeZones>(scope.ServiceProvider.GetRequiredService<IMailboxTimeZones>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<UserGraphClients>());
    }

    [Fact]
    public async Task In_production_without_Graph_nobody_is_bound_by_email_and_no_mailbox_is_reached()
    {
        await using var api = new ApiFactory(azurite, "Production", settings: Production);
        using var scope = api.Services.CreateScope();

        Assert.IsType<NoDirectory>(scope.ServiceProvider.GetRequiredService<IDirectory>());
        Assert.IsType<FileMailSender>(scope.ServiceProvider.GetRequiredService<IMailSender>());
        Assert.False(scope.ServiceProvider.GetRequiredService<IMailbox>().IsAvailable);
        Assert.IsType<NoTeams>(scope.ServiceProvider.GetRequiredService<ITeamsNotifier>());
        Assert.IsType<NoMailboxTimeZones>(scope.ServiceProvider.GetRequiredService<IMailboxTimeZones>());
    }

    [Fact]
    public async Task In_development_nobody_is_told_in_Teams_and_no_mailbox_setting_is_read()
    {
        await using var api = new ApiFactory(azurite);
        using var scope = api.Services.CreateScope();

        Assert.IsType<NoTeams>(scope.ServiceProvider.GetRequiredService<ITeamsNotifier>());
        Assert.IsType<NoMailboxTimeZones>(scope.ServiceProvider.GetRequiredService<IMailboxTimeZones>());
        Assert.IsType<FileMailSender>(scope.ServiceProvider.GetRequiredService<IMailSender>());
    }
}

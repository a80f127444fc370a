using System.Reflection;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>
/// The layers, enforced: the domain references nothing but .NET, the application only the domain and .NET's own
/// abstractions; storage, Graph, mail and HTTP depend on them and never the other way round.
/// </summary>
public sealed class LayerTests
{
    private static readonly string[] Adapters = ["Azure", "Microsoft.AspNetCore", "Microsoft.Graph", "Microsoft.Identity", "Microsoft.Kiota", "Workflow.Api"];

    [Fact]
    public void The_domain_references_only_dotnet_itself()
    {
        var references = Referenced(typeof(WorkflowDecider).Assembly);

        Assert.All(references, name => Assert.True(name is "System.Runtime" or "System.Collections" or "System.Linq" || name.StartsWith("System.", StringComparison.Ordinal),
            $"Workflow.Domain references {name}."));
    }

    [Fact]
    public void The_application_references_the_domain_and_no_adapter()
    {
        var references = Referenced(typeof(WorkflowService).Assembly);

        Assert.Contains("Workflow.Domain", references);
        Assert.All(references, name => Assert.DoesNotContain(Adapters, adapter => name.StartsWith(adapter, StringComparison.Ordinal)));
    }

    [Fact]
    public void No_type_of_the_inner_layers_mentions_an_adapter_type()
    {
        // Referenced assemblies can hide behind a facade; the signatures cannot.
        var mentioned = new[] { typeof(WorkflowDecider).Assembly, typeof(WorkflowService).Assembly }
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .SelectMany(TypesOf)
            .Select(t => t.Namespace ?? "")
            .Distinct()
            .ToList();

        Assert.DoesNotContain(mentioned, ns => Adapters.Any(adapter => ns.StartsWith(adapter, StringComparison.Ordinal)));
    }

    [Fact]
    public void The_check_catches_an_adapter_reference()
    {
        var api = Referenced(typeof(Program).Assembly);

        Assert.Contains(api, name => Adapters.Any(adapter => name.StartsWith(adapter, StringComparison.Ordinal)));
    }

    private static string[] Referenced(Assembly assembly) => [.. assembly.GetReferencedAssemblies().Select(a => a.Name ?? "")];

    private static IEnumerable<Type> TypesOf(MemberInfo member) => member switch
    {
        FieldInfo f => [f.FieldType],
        PropertyInfo p => [p.PropertyType],
        MethodInfo m => [m.ReturnType, .. m.GetParameters().Select(p => p.ParameterType)],
        ConstructorInfo c => c.GetParameters().Select(p => p.ParameterType),
        _ => [],
    };
}

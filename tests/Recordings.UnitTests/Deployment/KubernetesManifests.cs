using System.Diagnostics;
using k8s;
using k8s.Models;
using Recordings.Testing;

namespace Recordings.UnitTests.Deployment;

/// <summary>
/// deploy/kubernetes as kustomize renders it (`kubectl kustomize`, no cluster needed), read into the Kubernetes API's
/// typed models in strict mode: a misspelt field, a wrong type or an unknown kind fails the load.
/// </summary>
public sealed class KubernetesManifests
{
    private KubernetesManifests(IReadOnlyList<object> objects) => Objects = objects;

    public IReadOnlyList<object> Objects { get; }

    public V1StatefulSet Silos => Single<V1StatefulSet>("recordings-silo");

    public V1Deployment Api => Single<V1Deployment>("recordings-api");

    public V1ConfigMap Config => Single<V1ConfigMap>("recordings-config");

    public T Single<T>(string name) where T : IMetadata<V1ObjectMeta> =>
        Assert.Single(Objects.OfType<T>(), item => item.Metadata.Name == name);

    public static async Task<KubernetesManifests> RenderAsync()
    {
        var start = new ProcessStartInfo("kubectl", ["kustomize", RepositoryFiles.PathOf("deploy/kubernetes")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var kubectl = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start.");
        var output = kubectl.StandardOutput.ReadToEndAsync();
        var errors = kubectl.StandardError.ReadToEndAsync();
        await kubectl.WaitForExitAsync();
        Assert.True(kubectl.ExitCode == 0, $"kubectl kustomize failed: {await errors}");
        return new KubernetesManifests(KubernetesYaml.LoadAllFromString(await output, strict: true));
    }
}

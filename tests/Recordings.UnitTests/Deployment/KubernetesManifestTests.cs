using k8s.Models;
using Recordings.Testing;

namespace Recordings.UnitTests.Deployment;

public sealed class KubernetesManifestTests
{
    private const int DrainSeconds = 60;

    [Fact]
    public async Task The_manifests_render_and_match_the_Kubernetes_schema()
    {
        var manifests = await KubernetesManifests.RenderAsync();

        Assert.All(manifests.Objects, item => Assert.Equal("recordings", ((IMetadata<V1ObjectMeta>)item).Metadata.NamespaceProperty ?? "recordings"));
        Assert.Single(manifests.Objects.OfType<V1Service>(), service => service.Metadata.Name == "recordings-api");
        Assert.Equal(2, manifests.Objects.OfType<V1PodDisruptionBudget>().Count());
        Assert.DoesNotContain(manifests.Objects, item => item is V1Secret);
    }

    [Fact]
    public async Task Each_silo_is_named_after_its_pod_keeps_its_own_volume_and_carries_the_labels_Orleans_needs()
    {
        var manifests = await KubernetesManifests.RenderAsync();
        var silos = manifests.Silos;
        var container = Assert.Single(silos.Spec.Template.Spec.Containers);

        foreach (var (variable, field) in new[]
        {
            ("SILO_NAME", "metadata.name"), ("POD_NAME", "metadata.name"), ("POD_NAMESPACE", "metadata.namespace"),
            ("POD_IP", "status.podIP"), ("Orleans__AdvertisedAddress", "status.podIP"),
        })
        {
            Assert.Equal(field, Env(container, variable).ValueFrom.FieldRef.FieldPath);
        }

        var labels = silos.Spec.Template.Metadata.Labels;
        Assert.Equal(manifests.Config.Data["Orleans__ServiceId"], labels["orleans/serviceId"]);
        Assert.Equal(manifests.Config.Data["Orleans__ClusterId"], labels["orleans/clusterId"]);

        // Local recordings and the spool live under RECORDINGS_DIR, on a volume claimed per silo.
        var claim = Assert.Single(silos.Spec.VolumeClaimTemplates);
        var mount = Assert.Single(container.VolumeMounts, mount => mount.Name == claim.Metadata.Name);
        Assert.StartsWith(mount.MountPath + "/", manifests.Config.Data["RECORDINGS_DIR"]);

        // Orleans' Kubernetes hosting reads, labels, watches and deletes silo pods with the silos' service account.
        var binding = manifests.Single<V1RoleBinding>(silos.Spec.Template.Spec.ServiceAccountName);
        Assert.Equal(silos.Spec.Template.Spec.ServiceAccountName, Assert.Single(binding.Subjects).Name);
        var rule = Assert.Single(manifests.Single<V1Role>(binding.RoleRef.Name).Rules);
        Assert.Contains("pods", rule.Resources);
        Assert.Superset(new HashSet<string> { "get", "list", "watch", "patch", "delete" }, rule.Verbs.ToHashSet());
    }

    [Fact]
    public async Task Api_hosts_are_probed_on_health_and_every_host_has_time_to_drain_and_resources()
    {
        var manifests = await KubernetesManifests.RenderAsync();
        var api = Assert.Single(manifests.Api.Spec.Template.Spec.Containers);
        Assert.Equal("/health/ready", api.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/health/live", api.LivenessProbe.HttpGet.Path);
        var apiService = manifests.Single<V1Service>("recordings-api");
        Assert.Equal(manifests.Api.Spec.Selector.MatchLabels, apiService.Spec.Selector);

        foreach (var pod in new[] { manifests.Api.Spec.Template, manifests.Silos.Spec.Template })
        {
            Assert.InRange(pod.Spec.TerminationGracePeriodSeconds ?? 30, DrainSeconds, DrainSeconds + 30);
            var container = Assert.Single(pod.Spec.Containers);
            Assert.Contains("cpu", container.Resources.Requests.Keys);
            Assert.Contains("memory", container.Resources.Requests.Keys);
            Assert.Contains("memory", container.Resources.Limits.Keys);
            Assert.Equal("/health/live", container.LivenessProbe.HttpGet.Path);
            Assert.Single(manifests.Objects.OfType<V1PodDisruptionBudget>(),
                budget => budget.Spec.Selector.MatchLabels.All(label => pod.Metadata.Labels[label.Key] == label.Value));
        }
    }

    [Fact]
    public async Task Every_setting_the_hosts_read_reaches_both_kinds_of_host()
    {
        var manifests = await KubernetesManifests.RenderAsync();
        // Alternative names of a setting that is already given under its first name.
        string[] alternatives = ["NEXT_PUBLIC_SUPABASE_URL", "SUPABASE_ANON_KEY", "NEXT_PUBLIC_SUPABASE_ANON_KEY"];
        var settings = File.ReadLines(RepositoryFiles.PathOf("env.example"))
            .Where(line => line.Length > 0 && !line.StartsWith('#') && line.Contains('='))
            .Select(line => line[..line.IndexOf('=')])
            .Except(alternatives)
            .ToList();
        Assert.Contains("ConnectionStrings__Postgres", settings);

        foreach (var pod in new[] { manifests.Api.Spec.Template, manifests.Silos.Spec.Template })
        {
            var container = Assert.Single(pod.Spec.Containers);
            var configMap = Assert.Single(container.EnvFrom).ConfigMapRef.Name;
            Assert.Equal(manifests.Config.Metadata.Name, configMap);
            var given = container.Env.Select(variable => variable.Name).Concat(manifests.Config.Data.Keys).ToHashSet();
            // SILO_NAME and the advertised address only mean something to a silo.
            var expected = pod == manifests.Api.Spec.Template
                ? settings.Except(["SILO_NAME", "Orleans__AdvertisedAddress"])
                : settings;
            Assert.All(expected, setting => Assert.Contains(setting, given));
        }

        // Secrets come from the Secret, never from the ConfigMap.
        Assert.DoesNotContain("ConnectionStrings__Postgres", manifests.Config.Data.Keys);
        Assert.DoesNotContain("SUPABASE_SERVICE_ROLE_KEY", manifests.Config.Data.Keys);
        Assert.Equal("recordings-secrets", Env(Assert.Single(manifests.Api.Spec.Template.Spec.Containers), "ConnectionStrings__Postgres").ValueFrom.SecretKeyRef.Name);
        Assert.False(string.IsNullOrEmpty(manifests.Config.Data["OTEL_EXPORTER_OTLP_ENDPOINT"]));
    }

    private static V1EnvVar Env(V1Container container, string name) => Assert.Single(container.Env, variable => variable.Name == name);
}

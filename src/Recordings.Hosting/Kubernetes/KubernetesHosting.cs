using Orleans.Hosting;

namespace Recordings.Hosting.Kubernetes;

/// <summary>
/// Orleans' Kubernetes integration, on only inside a pod: it checks that the silo's name is the pod's, labels the pod
/// with the service and cluster ids, and deletes the pods of silos the cluster declared dead. The pod needs
/// POD_NAME, POD_NAMESPACE and POD_IP from the downward API and a role that may read, watch, patch and delete pods
/// (deploy/kubernetes has both).
/// </summary>
public static class KubernetesHosting
{
    /// <summary>Set by the kubelet in every container of a pod, and nowhere else.</summary>
    public const string ServiceHostVariable = "KUBERNETES_SERVICE_HOST";

    public static bool IsInKubernetes => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ServiceHostVariable));

    public static ISiloBuilder UseKubernetesHostingInPod(this ISiloBuilder silo) =>
        IsInKubernetes ? silo.UseKubernetesHosting() : silo;
}

package aiops.remediator.execute;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.atomic.AtomicBoolean;

/** Objects in the mock cluster, and a stand-in for the deployment controller (the mock server has none). */
public final class Cluster {

    private Cluster() {
    }

    /** A deployment at revision 2 with its two ReplicaSets (images v1 and v2) and {@code pods} pods. */
    public static Deployment deployment(final KubernetesClient k8s, final String ns, final String name, final int replicas,
                                        final int pods) {
        final Deployment d = k8s.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(ns)
                .addToAnnotations(KubernetesActions.REVISION, "2").endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec()
                .addNewContainer().withName(name).withImage(name + ":v2").endContainer().endSpec().endTemplate()
                .endSpec().build()).create();
        for (int revision = 1; revision <= 2; revision++) {
            k8s.apps().replicaSets().inNamespace(ns).resource(new ReplicaSetBuilder().withNewMetadata()
                    .withName(name + "-rs" + revision).withNamespace(ns)
                    .addToAnnotations(KubernetesActions.REVISION, Integer.toString(revision))
                    .addNewOwnerReference().withKind("Deployment").withName(name).withApiVersion("apps/v1")
                    .withUid(d.getMetadata().getUid() == null ? "uid" : d.getMetadata().getUid()).endOwnerReference()
                    .endMetadata().withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name)
                    .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", name)
                    .addToLabels("pod-template-hash", "h" + revision).endMetadata().withNewSpec().addNewContainer()
                    .withName(name).withImage(name + ":v" + revision).endContainer().endSpec().endTemplate().endSpec()
                    .build()).create();
        }
        for (int i = 0; i < pods; i++) {
            final Pod pod = new PodBuilder().withNewMetadata().withName(name + "-pod-" + i).withNamespace(ns)
                    .addToLabels("app", name).endMetadata().withNewStatus().addNewContainerStatus().withName(name)
                    .withReady(i != 1).withRestartCount(i).endContainerStatus().endStatus().build();
            k8s.pods().inNamespace(ns).resource(pod).create();
        }
        return rolledOut(k8s, ns, name);
    }

    /** What the controller does after a change: the current generation rolled out to every replica. */
    public static Deployment rolledOut(final KubernetesClient k8s, final String ns, final String name) {
        final Deployment d = k8s.apps().deployments().inNamespace(ns).withName(name).get();
        final long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
        final int replicas = d.getSpec().getReplicas();
        return k8s.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder(d).withStatus(
                new DeploymentStatusBuilder().withObservedGeneration(generation).withReplicas(replicas)
                        .withUpdatedReplicas(replicas).withAvailableReplicas(replicas).build()).build()).updateStatus();
    }

    /** Keeps rolling out every deployment in {@code ns} while {@code running}, like a healthy controller. */
    public static Thread controller(final KubernetesClient k8s, final String ns, final AtomicBoolean running) {
        final Thread t = new Thread(() -> {
            while (running.get()) {
                try {
                    for (final Deployment d : k8s.apps().deployments().inNamespace(ns).list().getItems()) {
                        if (KubernetesActions.rollout(d) != null) {
                            rolledOut(k8s, ns, d.getMetadata().getName());
                        }
                    }
                    Thread.sleep(100);
                } catch (final InterruptedException e) {
                    return;
                } catch (final RuntimeException e) {
                    // a conflicting write from the executor: try again next round
                }
            }
        }, "fake-deployment-controller");
        t.setDaemon(true);
        t.start();
        return t;
    }
}

package aiops.remediator.execute;

import aiops.avro.ActionType;
import aiops.avro.KubernetesTarget;
import aiops.remediator.store.RemediationAction;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Deployment actions through the fabric8 client, each the way kubectl does it: restart sets the pod template's
 * {@code kubectl.kubernetes.io/restartedAt}; scale sets {@code spec.replicas}; rollback copies a previous ReplicaSet's
 * template; delete removes one pod of the deployment. Only the catalogued namespace and deployment are touched, and
 * every change marks the deployment with {@code aiops.io/action-id} in the same request, which is how a restart tells
 * an applied action from one that never reached the cluster.
 */
public final class KubernetesActions implements ActionExecutor {

    public static final String ACTION_ANNOTATION = "aiops.io/action-id";
    static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
    static final String REVISION = "deployment.kubernetes.io/revision";
    private static final int DEFAULT_MAX_REPLICAS = 10;
    private static final int DEFAULT_MIN_REPLICAS = 1;
    private static final int DEFAULT_MAX_DELTA = 2;

    private final Function<String, KubernetesClient> clients;

    /** @param clients the client for a kubeconfig context (null: the remediator's own cluster) */
    public KubernetesActions(final Function<String, KubernetesClient> clients) {
        this.clients = clients;
    }

    private RollableScalableResource<Deployment> deployment(final RemediationAction a) {
        final KubernetesTarget t = Objects.requireNonNull(a.target(), "catalogued target");
        return clients.apply(t.getContext()).apps().deployments().inNamespace(t.getNamespace())
                .withName(t.getDeployment());
    }

    private Deployment live(final RemediationAction a) throws ActionFailed {
        try {
            final Deployment d = deployment(a).get();
            if (d == null) {
                throw new ActionFailed("deployment " + where(a) + " does not exist");
            }
            return d;
        } catch (final KubernetesClientException e) {
            throw new ActionFailed("kubernetes: " + e.getMessage());
        }
    }

    @Override
    public Map<String, String> resolve(final RemediationAction a) throws ActionFailed {
        final Deployment d = live(a);
        final Map<String, String> plan = new HashMap<>();
        switch (a.type()) {
            case RESTART_DEPLOYMENT -> plan.put("restarted_at", Instant.now().toString());
            case SCALE_DEPLOYMENT -> {
                final int current = replicas(d);
                final String absolute = a.parameters().get("replicas");
                final int target = absolute != null ? Integer.parseInt(absolute)
                        : current + Integer.parseInt(a.parameters().get("replicas_delta").replace("+", ""));
                final int max = a.bounds().getOrDefault("max_replicas", DEFAULT_MAX_REPLICAS);
                final int min = a.bounds().getOrDefault("min_replicas", DEFAULT_MIN_REPLICAS);
                if (target > max || target < min) {
                    throw new ActionFailed("scaling " + where(a) + " from " + current + " to " + target
                            + " leaves the bounds " + min + ".." + max, true);
                }
                final int step = a.bounds().getOrDefault("max_replicas_delta", DEFAULT_MAX_DELTA);
                if (absolute != null && Math.abs(target - current) > step) {
                    throw new ActionFailed("scaling " + where(a) + " from " + current + " to " + target
                            + " is a step of " + (target - current) + ", beyond the bound of " + step, true);
                }
                plan.put("from_replicas", Integer.toString(current));
                plan.put("replicas", Integer.toString(target));
            }
            case ROLLBACK_DEPLOYMENT -> {
                final ReplicaSet rs = previous(a, d);
                plan.put("from_revision", annotation(d.getMetadata().getAnnotations(), REVISION).orElse("?"));
                plan.put("revision", annotation(rs.getMetadata().getAnnotations(), REVISION).orElseThrow());
                plan.put("replica_set", rs.getMetadata().getName());
            }
            case DELETE_POD -> plan.put("pod", choosePod(a, d).getMetadata().getName());
            default -> throw new ActionFailed(a.type() + " is not a Kubernetes action");
        }
        return plan;
    }

    @Override
    public void apply(final RemediationAction a) throws ActionFailed {
        final Map<String, String> plan = a.plan();
        try {
            switch (a.type()) {
                case RESTART_DEPLOYMENT -> deployment(a).edit(d -> new DeploymentBuilder(d).editMetadata()
                        .addToAnnotations(ACTION_ANNOTATION, a.actionId()).endMetadata().editSpec().editTemplate()
                        .editOrNewMetadata().addToAnnotations(RESTARTED_AT, plan.get("restarted_at")).endMetadata()
                        .endTemplate().endSpec().build());
                case SCALE_DEPLOYMENT -> deployment(a).edit(d -> new DeploymentBuilder(d).editMetadata()
                        .addToAnnotations(ACTION_ANNOTATION, a.actionId()).endMetadata().editSpec()
                        .withReplicas(Integer.parseInt(plan.get("replicas"))).endSpec().build());
                case ROLLBACK_DEPLOYMENT -> {
                    final ReplicaSet rs = clients.apply(a.target().getContext()).apps().replicaSets()
                            .inNamespace(a.target().getNamespace()).withName(plan.get("replica_set")).get();
                    if (rs == null) {
                        throw new ActionFailed("replica set " + plan.get("replica_set") + " is gone");
                    }
                    final PodTemplateSpec template = new PodTemplateSpecBuilder(rs.getSpec().getTemplate())
                            .editMetadata().removeFromLabels("pod-template-hash").endMetadata().build();
                    deployment(a).edit(d -> new DeploymentBuilder(d).editMetadata()
                            .addToAnnotations(ACTION_ANNOTATION, a.actionId()).endMetadata().editSpec()
                            .withTemplate(template).endSpec().build());
                }
                case DELETE_POD -> {
                    // Marked first: a restart that finds the mark deletes the same pod at most once more (a no-op).
                    deployment(a).edit(d -> new DeploymentBuilder(d).editMetadata()
                            .addToAnnotations(ACTION_ANNOTATION, a.actionId()).endMetadata().build());
                    clients.apply(a.target().getContext()).pods().inNamespace(a.target().getNamespace())
                            .withName(plan.get("pod")).delete();
                }
                default -> throw new ActionFailed(a.type() + " is not a Kubernetes action");
            }
        } catch (final KubernetesClientException e) {
            throw new ActionFailed("kubernetes: " + e.getMessage());
        }
    }

    @Override
    public String verify(final RemediationAction a, final Duration timeout) throws ActionFailed, InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        String state;
        while (true) {
            final Deployment d = live(a);
            state = rollout(d);
            final boolean podGone = a.type() != ActionType.DELETE_POD || clients.apply(a.target().getContext()).pods()
                    .inNamespace(a.target().getNamespace()).withName(a.plan().get("pod")).get() == null;
            if (state == null && podGone) {
                return null;
            }
            if (System.nanoTime() > deadline) {
                return "not rolled out after " + timeout.toSeconds() + " s: " + (state == null ? "pod "
                        + a.plan().get("pod") + " still there" : state);
            }
            Thread.sleep(500);
        }
    }

    @Override
    public Recovery recover(final RemediationAction a) throws ActionFailed {
        final Deployment d = live(a);
        final boolean marked = annotation(d.getMetadata().getAnnotations(), ACTION_ANNOTATION)
                .filter(a.actionId()::equals).isPresent();
        if (marked && a.type() == ActionType.DELETE_POD) {
            // The mark precedes the delete; deleting the same pod again is harmless.
            apply(a);
        }
        return marked ? Recovery.APPLIED : Recovery.NOT_APPLIED;
    }

    /** Null once the controller has rolled the current generation out to every replica. */
    static String rollout(final Deployment d) {
        final long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
        final var status = d.getStatus();
        final long observed = status == null || status.getObservedGeneration() == null ? 0 : status.getObservedGeneration();
        final int replicas = replicas(d);
        final int updated = status == null || status.getUpdatedReplicas() == null ? 0 : status.getUpdatedReplicas();
        final int available = status == null || status.getAvailableReplicas() == null ? 0 : status.getAvailableReplicas();
        if (observed >= generation && updated >= replicas && available >= replicas) {
            return null;
        }
        return "generation " + observed + "/" + generation + ", updated " + updated + "/" + replicas + ", available "
                + available + "/" + replicas;
    }

    private ReplicaSet previous(final RemediationAction a, final Deployment d) throws ActionFailed {
        final int current = annotation(d.getMetadata().getAnnotations(), REVISION).map(Integer::parseInt).orElse(0);
        final String wanted = a.parameters().get("revision");
        final List<ReplicaSet> owned = clients.apply(a.target().getContext()).apps().replicaSets()
                .inNamespace(a.target().getNamespace()).list().getItems().stream()
                .filter(rs -> rs.getMetadata().getOwnerReferences() != null && rs.getMetadata().getOwnerReferences()
                        .stream().anyMatch(o -> "Deployment".equals(o.getKind())
                                && d.getMetadata().getName().equals(o.getName())))
                .filter(rs -> annotation(rs.getMetadata().getAnnotations(), REVISION).isPresent()).toList();
        final Comparator<ReplicaSet> byRevision = Comparator.comparingInt(
                rs -> Integer.parseInt(annotation(rs.getMetadata().getAnnotations(), REVISION).orElse("0")));
        return owned.stream()
                .filter(rs -> {
                    final int r = Integer.parseInt(annotation(rs.getMetadata().getAnnotations(), REVISION).orElse("0"));
                    return wanted == null ? r < current : r == Integer.parseInt(wanted) && r != current;
                })
                .max(byRevision)
                .orElseThrow(() -> new ActionFailed("deployment " + where(a) + " has no "
                        + (wanted == null ? "previous revision" : "revision " + wanted) + " to roll back to"));
    }

    /** The pod asked for if it belongs to the deployment, else the least healthy one (not ready, most restarts). */
    private Pod choosePod(final RemediationAction a, final Deployment d) throws ActionFailed {
        final Map<String, String> selector = d.getSpec().getSelector() == null ? null
                : d.getSpec().getSelector().getMatchLabels();
        if (selector == null || selector.isEmpty()) {
            throw new ActionFailed("deployment " + where(a) + " has no label selector");
        }
        final List<Pod> pods = clients.apply(a.target().getContext()).pods().inNamespace(a.target().getNamespace())
                .withLabels(selector).list().getItems();
        final String wanted = a.parameters().get("pod");
        if (wanted != null) {
            return pods.stream().filter(p -> wanted.equals(p.getMetadata().getName())).findFirst()
                    .orElseThrow(() -> new ActionFailed("pod " + wanted + " is not a pod of " + where(a), true));
        }
        return pods.stream().max(Comparator.comparingInt(KubernetesActions::sickness)
                        .thenComparing(p -> p.getMetadata().getName()))
                .orElseThrow(() -> new ActionFailed("deployment " + where(a) + " has no pods"));
    }

    private static int sickness(final Pod p) {
        if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
            return 0;
        }
        return p.getStatus().getContainerStatuses().stream()
                .mapToInt(c -> (Boolean.TRUE.equals(c.getReady()) ? 0 : 1000)
                        + (c.getRestartCount() == null ? 0 : c.getRestartCount())).sum();
    }

    private static int replicas(final Deployment d) {
        return d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    private static Optional<String> annotation(final Map<String, String> annotations, final String key) {
        return annotations == null ? Optional.empty() : Optional.ofNullable(annotations.get(key));
    }

    private static String where(final RemediationAction a) {
        return a.target().getNamespace() + "/" + a.target().getDeployment();
    }
}

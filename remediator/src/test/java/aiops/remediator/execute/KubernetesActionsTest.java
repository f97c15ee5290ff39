package aiops.remediator.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aiops.avro.ActionType;
import aiops.avro.KubernetesTarget;
import aiops.remediator.store.ActionState;
import aiops.remediator.store.RemediationAction;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each action against the fabric8 mock API server in CRUD mode changes exactly the object it should. */
@EnableKubernetesMockClient(crud = true)
class KubernetesActionsTest {

    KubernetesMockServer server;
    KubernetesClient client;
    String ns;
    KubernetesActions actions;

    @BeforeEach
    void setUp() {
        ns = "shop-" + UUID.randomUUID().toString().substring(0, 6);
        actions = new KubernetesActions(context -> client);
        Cluster.deployment(client, ns, "checkout", 3, 3);
        Cluster.deployment(client, ns, "cart", 2, 2);
    }

    RemediationAction action(final ActionType type, final Map<String, String> params, final Map<String, Integer> bounds) {
        final Instant now = Instant.now();
        return new RemediationAction("act-" + UUID.randomUUID().toString().replace("-", "").substring(0, 24), "inc-1",
                "ana-1", 1, type, "checkout", KubernetesTarget.newBuilder().setNamespace(ns).setDeployment("checkout")
                .build(), params, bounds, "auto", "rule", ActionState.EXECUTING, "r", null, Map.of(), "it", null, null,
                now, now, null, now, null);
    }

    Deployment checkout() {
        return client.apps().deployments().inNamespace(ns).withName("checkout").get();
    }

    RemediationAction applied(final RemediationAction a) throws Exception {
        final RemediationAction planned = a.withPlan(actions.resolve(a));
        actions.apply(planned);
        return planned;
    }

    @Test
    void shouldRestartByStampingThePodTemplateAndMarkingTheAction() throws Exception {
        final RemediationAction a = applied(action(ActionType.RESTART_DEPLOYMENT, Map.of(), Map.of()));

        final Deployment d = checkout();
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(KubernetesActions.RESTARTED_AT, a.plan().get("restarted_at"));
        assertThat(d.getMetadata().getAnnotations()).containsEntry(KubernetesActions.ACTION_ANNOTATION, a.actionId());
        assertThat(client.apps().deployments().inNamespace(ns).withName("cart").get().getMetadata().getAnnotations())
                .as("the other deployment").doesNotContainKey(KubernetesActions.ACTION_ANNOTATION);
        assertThat(actions.recover(a)).isEqualTo(ActionExecutor.Recovery.APPLIED);
        assertThat(actions.recover(action(ActionType.RESTART_DEPLOYMENT, Map.of(), Map.of())))
                .isEqualTo(ActionExecutor.Recovery.NOT_APPLIED);
    }

    @Test
    void shouldScaleWithinTheBoundsAndRefuseBeyondThem() throws Exception {
        final RemediationAction up = applied(action(ActionType.SCALE_DEPLOYMENT, Map.of("replicas_delta", "2"),
                Map.of("max_replicas", 5)));
        assertThat(up.plan()).containsEntry("from_replicas", "3").containsEntry("replicas", "5");
        assertThat(checkout().getSpec().getReplicas()).isEqualTo(5);

        assertThatThrownBy(() -> actions.resolve(action(ActionType.SCALE_DEPLOYMENT, Map.of("replicas_delta", "1"),
                Map.of("max_replicas", 5)))).isInstanceOf(ActionExecutor.ActionFailed.class)
                .hasMessageContaining("from 5 to 6 leaves the bounds 1..5")
                .matches(e -> ((ActionExecutor.ActionFailed) e).refused());
        assertThat(checkout().getSpec().getReplicas()).as("refused: unchanged").isEqualTo(5);
    }

    @Test
    void shouldScaleToATargetOnlyInStepsThePolicyAllows() throws Exception {
        final RemediationAction up = applied(action(ActionType.SCALE_DEPLOYMENT, Map.of("replicas", "5"),
                Map.of("max_replicas", 10, "max_replicas_delta", 2)));
        assertThat(up.plan()).containsEntry("from_replicas", "3").containsEntry("replicas", "5");
        assertThat(checkout().getSpec().getReplicas()).isEqualTo(5);

        assertThatThrownBy(() -> actions.resolve(action(ActionType.SCALE_DEPLOYMENT, Map.of("replicas", "9"),
                Map.of("max_replicas", 10, "max_replicas_delta", 2)))).isInstanceOf(ActionExecutor.ActionFailed.class)
                .hasMessageContaining("from 5 to 9 is a step of 4, beyond the bound of 2")
                .matches(e -> ((ActionExecutor.ActionFailed) e).refused());
        assertThat(checkout().getSpec().getReplicas()).as("refused: unchanged").isEqualTo(5);
    }

    @Test
    void shouldRollBackToThePreviousRevisionsTemplate() throws Exception {
        final RemediationAction a = applied(action(ActionType.ROLLBACK_DEPLOYMENT, Map.of(), Map.of()));

        assertThat(a.plan()).containsEntry("revision", "1").containsEntry("replica_set", "checkout-rs1");
        final var template = checkout().getSpec().getTemplate();
        assertThat(template.getSpec().getContainers().get(0).getImage()).isEqualTo("checkout:v1");
        assertThat(template.getMetadata().getLabels()).doesNotContainKey("pod-template-hash");
        assertThatThrownBy(() -> actions.resolve(action(ActionType.ROLLBACK_DEPLOYMENT, Map.of("revision", "7"),
                Map.of()))).hasMessageContaining("no revision 7");
    }

    @Test
    void shouldDeleteTheSickestPodOfTheDeploymentOnly() throws Exception {
        final RemediationAction a = applied(action(ActionType.DELETE_POD, Map.of(), Map.of()));

        assertThat(a.plan()).containsEntry("pod", "checkout-pod-1");
        assertThat(client.pods().inNamespace(ns).withName("checkout-pod-1").get()).isNull();
        assertThat(client.pods().inNamespace(ns).withLabel("app", "checkout").list().getItems()).hasSize(2);
        assertThat(client.pods().inNamespace(ns).withLabel("app", "cart").list().getItems()).hasSize(2);
        assertThatThrownBy(() -> actions.resolve(action(ActionType.DELETE_POD, Map.of("pod", "cart-pod-0"), Map.of())))
                .hasMessageContaining("not a pod of").matches(e -> ((ActionExecutor.ActionFailed) e).refused());
    }

    @Test
    void shouldVerifyOnlyOnceTheControllerRolledOut() throws Exception {
        final RemediationAction a = applied(action(ActionType.SCALE_DEPLOYMENT, Map.of("replicas_delta", "1"), Map.of()));

        assertThat(actions.verify(a, Duration.ofMillis(600))).contains("not rolled out").contains("available 3/4");
        Cluster.rolledOut(client, ns, "checkout");
        assertThat(actions.verify(a, Duration.ofSeconds(5))).isNull();
    }
}

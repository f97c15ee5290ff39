package aiops.remediator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aiops.avro.ActionType;
import aiops.avro.KubernetesTarget;
import aiops.avro.ProposedAction;
import aiops.avro.ServiceEntry;
import aiops.avro.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyEngineTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    static final String POLICY = """
            default_mode: dry-run
            limits:
              actions_per_service_per_hour: 2
              concurrent_actions: 1
              distinct_services_per_window: 2
              window_minutes: 15
            rules:
              - name: shop-restarts
                match: {namespaces: [shop], actions: [RESTART_DEPLOYMENT, ROLLBACK_DEPLOYMENT], severities: [critical]}
                mode: auto
              - name: shop-scaling
                match: {namespaces: [shop], actions: [SCALE_DEPLOYMENT], tiers: [2, 3]}
                mode: approve
                bounds: {max_replicas_delta: 2, max_replicas: 10}
            """;

    static ServiceEntry service(final String name, final int tier, final String namespace) {
        return ServiceEntry.newBuilder().setName(name).setTier(tier).setDependsOn(List.of())
                .setKubernetes(namespace == null ? null : KubernetesTarget.newBuilder().setNamespace(namespace)
                        .setDeployment(name).build())
                .setUpdatedAt(NOW).build();
    }

    static ProposedAction action(final ActionType type, final String service, final Map<String, String> params) {
        return ProposedAction.newBuilder().setActionType(type).setService(service).setParameters(params)
                .setRationale("because").setHypothesisRank(1).build();
    }

    private final PolicyEngine engine;

    PolicyEngineTest() throws Exception {
        engine = new PolicyEngine(RemediationPolicy.parse(POLICY, "policy.yaml"));
    }

    @Test
    void shouldCheckAReplicaTargetAgainstTheRulesFloorAndCeiling() {
        final ServiceEntry cart = service("cart", 2, "shop");
        final PolicyDecision within = engine.decide(action(ActionType.SCALE_DEPLOYMENT, "cart", Map.of("replicas", "8")),
                cart, Severity.INFO, PolicyEngine.History.none(), NOW);
        final PolicyDecision above = engine.decide(action(ActionType.SCALE_DEPLOYMENT, "cart", Map.of("replicas", "11")),
                cart, Severity.INFO, PolicyEngine.History.none(), NOW);
        final PolicyDecision both = engine.decide(action(ActionType.SCALE_DEPLOYMENT, "cart",
                Map.of("replicas", "4", "replicas_delta", "1")), cart, Severity.INFO, PolicyEngine.History.none(), NOW);

        assertThat(within.allowed()).isTrue();
        assertThat(within.mode()).isEqualTo(RemediationPolicy.Mode.APPROVE);
        assertThat(above.allowed()).isFalse();
        assertThat(above.reason()).contains("replicas 11 is outside the bounds 1..10");
        assertThat(both.allowed()).isFalse();
        assertThat(both.reason()).contains("either replicas_delta or replicas");
    }

    @Test
    void shouldLetTheFirstMatchingRuleDecideTheMode() {
        final PolicyDecision restart = engine.decide(action(ActionType.RESTART_DEPLOYMENT, "checkout", Map.of()),
                service("checkout", 1, "shop"), Severity.CRITICAL, PolicyEngine.History.none(), NOW);
        final PolicyDecision scale = engine.decide(action(ActionType.SCALE_DEPLOYMENT, "cart", Map.of("replicas_delta", "1")),
                service("cart", 2, "shop"), Severity.WARNING, PolicyEngine.History.none(), NOW);
        final PolicyDecision elsewhere = engine.decide(action(ActionType.RESTART_DEPLOYMENT, "billing", Map.of()),
                service("billing", 1, "finance"), Severity.CRITICAL, PolicyEngine.History.none(), NOW);

        assertThat(restart.mode()).isEqualTo(RemediationPolicy.Mode.AUTO);
        assertThat(restart.rule()).isEqualTo("shop-restarts");
        assertThat(scale.mode()).isEqualTo(RemediationPolicy.Mode.APPROVE);
        assertThat(elsewhere.allowed()).isTrue();
        assertThat(elsewhere.mode()).as("no rule: the default").isEqualTo(RemediationPolicy.Mode.DRY_RUN);
    }

    @Test
    void shouldRefuseWhatAnInjectedAnswerAsksForWhateverItSays() {
        final PolicyDecision toThousand = engine.decide(action(ActionType.SCALE_DEPLOYMENT, "cart",
                Map.of("replicas_delta", "1000")), service("cart", 2, "shop"), Severity.CRITICAL,
                PolicyEngine.History.none(), NOW);
        final PolicyDecision uncatalogued = engine.decide(action(ActionType.DELETE_POD, "kube-system", Map.of()),
                null, Severity.CRITICAL, PolicyEngine.History.none(), NOW);
        final PolicyDecision noWorkload = engine.decide(action(ActionType.RESTART_DEPLOYMENT, "payments-db", Map.of()),
                service("payments-db", 1, null), Severity.CRITICAL, PolicyEngine.History.none(), NOW);

        assertThat(toThousand.allowed()).isFalse();
        assertThat(toThousand.reason()).contains("beyond the bound of 2");
        assertThat(uncatalogued.allowed()).isFalse();
        assertThat(uncatalogued.reason()).contains("not in the catalogue");
        assertThat(noWorkload.allowed()).isFalse();
    }

    @Test
    void shouldEnforceRateAndBlastRadius() {
        final ProposedAction restart = action(ActionType.RESTART_DEPLOYMENT, "checkout", Map.of());
        final ServiceEntry checkout = service("checkout", 1, "shop");
        final PolicyEngine.History twiceThisHour = new PolicyEngine.History(List.of(
                new PolicyEngine.History.Past("checkout", NOW.minusSeconds(3000), false),
                new PolicyEngine.History.Past("checkout", NOW.minusSeconds(600), false)));
        final PolicyEngine.History oneRunning = new PolicyEngine.History(List.of(
                new PolicyEngine.History.Past("cart", NOW.minusSeconds(60), true)));
        final PolicyEngine.History twoOthers = new PolicyEngine.History(List.of(
                new PolicyEngine.History.Past("cart", NOW.minusSeconds(60), false),
                new PolicyEngine.History.Past("payments", NOW.minusSeconds(120), false)));

        assertThat(engine.decide(restart, checkout, Severity.CRITICAL, twiceThisHour, NOW).reason())
                .contains("in the last hour");
        assertThat(engine.decide(restart, checkout, Severity.CRITICAL, oneRunning, NOW).reason()).contains("running");
        assertThat(engine.decide(restart, checkout, Severity.CRITICAL, twoOthers, NOW).reason())
                .contains("services acted on");
        assertThat(engine.decide(restart, checkout, Severity.CRITICAL, PolicyEngine.History.none(), NOW).allowed())
                .isTrue();
    }

    @Test
    void shouldRefuseEverythingWithTheKillSwitchOn() throws Exception {
        final PolicyEngine off = new PolicyEngine(RemediationPolicy.parse("kill_switch: true\n" + POLICY, "p.yaml"));

        final PolicyDecision d = off.decide(action(ActionType.RESTART_DEPLOYMENT, "checkout", Map.of()),
                service("checkout", 1, "shop"), Severity.CRITICAL, PolicyEngine.History.none(), NOW);

        assertThat(d.allowed()).isFalse();
        assertThat(d.rule()).isEqualTo("kill_switch");
    }

    @Test
    void shouldRefuseAnInvalidPolicyNamingTheLine() throws Exception {
        assertThatThrownBy(() -> RemediationPolicy.parse("default_mode: dry-run\nrules:\n  - name: x\n    mode: yolo\n",
                "policy.yaml")).isInstanceOf(RemediationPolicy.InvalidPolicyException.class)
                .hasMessageStartingWith("policy.yaml:4");
        assertThatThrownBy(() -> RemediationPolicy.parse("default_mode: dry-run\nkill_swich: true\n", "policy.yaml"))
                .hasMessageStartingWith("policy.yaml:2").hasMessageContaining("kill_swich");
        assertThat(RemediationPolicy.parse("", "empty.yaml").defaultMode()).isEqualTo(RemediationPolicy.Mode.DRY_RUN);
    }
}

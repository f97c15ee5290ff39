package aiops.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ConfigCheckTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void clear() {
        System.clearProperty("aiops.llm.models");
        System.clearProperty("aiops.llm.anthropic.api.key");
        System.clearProperty("aiops.ledger.max.batch");
        System.clearProperty("aiops.remediator.policy.file");
        System.clearProperty("aiops.remediator.webhook.urls");
    }

    private int check() {
        final CommandLine cli = AiopsCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute("config", "check");
    }

    @Test
    void shouldRefuseAModelWhoseProviderHasNoKey() {
        System.setProperty("aiops.llm.models", "anthropic:claude-3-5-haiku-20241022");

        assertThat(check()).isEqualTo(AiopsCommand.EXIT_CONFIG);
        assertThat(err.toString()).contains("AIOPS_LLM_ANTHROPIC_API_KEY");
    }

    @Test
    void shouldCheckAnalyzerAndLedgerKeysAndMaskTheLlmKey() {
        System.setProperty("aiops.llm.models", "anthropic:claude-3-5-haiku-20241022");
        System.setProperty("aiops.llm.anthropic.api.key", "sk-ant-secret-value-0123456789");
        System.setProperty("aiops.ledger.max.batch", "0");

        assertThat(check()).isEqualTo(AiopsCommand.EXIT_CONFIG);
        assertThat(err.toString()).contains("AIOPS_LEDGER_MAX_BATCH");
        assertThat(out.toString()).contains("AIOPS_LLM_MODELS").doesNotContain("sk-ant-secret-value-0123456789");
    }

    @Test
    void shouldRefuseAnInvalidRemediationPolicyNamingItsLineAndMaskWebhookUrls(
            @org.junit.jupiter.api.io.TempDir final java.nio.file.Path dir) throws Exception {
        final java.nio.file.Path policy = dir.resolve("policy.yaml");
        java.nio.file.Files.writeString(policy, "default_mode: dry-run\nrules:\n  - name: x\n    mode: yolo\n");
        System.setProperty("aiops.remediator.policy.file", policy.toString());
        System.setProperty("aiops.remediator.webhook.urls", "runbook=https://automation.example/token-abc123");

        assertThat(check()).isEqualTo(AiopsCommand.EXIT_CONFIG);
        assertThat(err.toString()).contains("AIOPS_REMEDIATOR_POLICY_FILE").contains("policy.yaml:4");
        assertThat(out.toString()).contains("AIOPS_REMEDIATOR_WEBHOOK_URLS").doesNotContain("token-abc123");
    }
}

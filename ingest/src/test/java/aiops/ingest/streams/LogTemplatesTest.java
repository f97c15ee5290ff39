package aiops.ingest.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogTemplatesTest {

    @Test
    void shouldMaskNumbersAddressesAndIds() {
        assertThat(String.join(" ", LogTemplates.tokens(
                "request 123e4567-e89b-12d3-a456-426614174000 from 10.1.2.3:5432 took 5000ms, user \"jane\" id 0x7f3a9c21")))
                .isEqualTo("request <*> from <*> took <*>, user <*> id <*>");
    }

    @Test
    void shouldMergeMessagesOfTheSameShapeIntoOneTemplate() {
        final LogTemplates templates = new LogTemplates();

        final LogTemplates.Match first = templates.add("payments", "upstream orders timed out after 5000 ms", "ERROR");
        final LogTemplates.Match second = templates.add("payments", "upstream cart timed out after 3000 ms", "ERROR");
        final LogTemplates.Match other = templates.add("payments", "GET /health 200 in 4 ms", "INFO");

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.template().id).isEqualTo(first.template().id);
        assertThat(second.template().text()).isEqualTo("upstream <*> timed out after <*> ms");
        assertThat(second.template().count).isEqualTo(2);
        assertThat(other.created()).isTrue();
        assertThat(templates.templates).hasSize(2);
    }

    @Test
    void shouldGiveTheSameIdsInEveryRun() {
        final List<String> lines = List.of("disk /var/lib/pg is 91% full", "connect: no route to host 10.0.0.7",
                "disk /var/lib/pg is 93% full", "x509: certificate has expired or is not yet valid");
        final LogTemplates a = new LogTemplates();
        final LogTemplates b = new LogTemplates();

        final List<String> idsA = lines.stream().map(l -> a.add("orders-db", l, "ERROR").template().id).toList();
        final List<String> idsB = lines.stream().map(l -> b.add("orders-db", l, "ERROR").template().id).toList();

        assertThat(idsA).isEqualTo(idsB);
        assertThat(idsA.get(2)).as("91%% and 93%% full are one template").isEqualTo(idsA.get(0));
        assertThat(idsA.subList(0, 2)).doesNotContain(idsA.get(3));
        assertThat(a.templates).hasSize(3);
    }
}

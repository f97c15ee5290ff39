package aiops.assistant.chat;

import aiops.assistant.tools.OpsToolbox;
import aiops.assistant.tools.ToolResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The citation markers of an answer ({@code [incident:ID]}, {@code [runbook:SERVICE]}, ...) checked against what tools returned. */
final class Citations {

    static final Pattern MARKER = Pattern.compile("\\[(incident|runbook|ledger|forecast|remediation):([^\\]\\s]{1,200})]");

    /** Backed markers, and the rest. */
    record Checked(List<ToolResult.Citation> backed, List<String> unsupported) {
    }

    private Citations() {
    }

    static Checked check(final String answer, final List<OpsToolbox.Outcome> outcomes) {
        final Set<ToolResult.Citation> returned = new LinkedHashSet<>();
        outcomes.stream().filter(o -> !o.error()).forEach(o -> returned.addAll(o.citations()));
        final Set<ToolResult.Citation> backed = new LinkedHashSet<>();
        final Set<String> unsupported = new LinkedHashSet<>();
        final Matcher m = MARKER.matcher(answer == null ? "" : answer);
        while (m.find()) {
            final ToolResult.Citation c = new ToolResult.Citation(m.group(1), m.group(2));
            if (returned.contains(c)) {
                backed.add(c);
            } else {
                unsupported.add(m.group());
            }
        }
        return new Checked(new ArrayList<>(backed), new ArrayList<>(unsupported));
    }
}

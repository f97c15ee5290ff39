package aiops.common.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/** Named readiness checks; the process is ready when every check passes. */
public final class Readiness {

    private final Map<String, BooleanSupplier> checks = new ConcurrentHashMap<>();

    public Readiness add(final String name, final BooleanSupplier check) {
        checks.put(name, check);
        return this;
    }

    /** Each check's current verdict; a check that throws counts as not ready. */
    public Map<String, Boolean> evaluate() {
        final Map<String, Boolean> result = new LinkedHashMap<>();
        checks.keySet().stream().sorted().forEach(name -> {
            boolean ok;
            try {
                ok = checks.get(name).getAsBoolean();
            } catch (RuntimeException e) {
                ok = false;
            }
            result.put(name, ok);
        });
        return result;
    }

    public boolean isReady() {
        return evaluate().values().stream().allMatch(Boolean::booleanValue);
    }
}

package aiops.embedded;

import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import java.util.Map;
import java.util.Properties;

/** A separate JVM that starts a stack on the home in its argument, says so, and runs until it is killed. */
public final class StackHolder {

    static final String READY = "stack-holder-ready";

    private StackHolder() {
    }

    public static void main(final String[] args) throws Exception {
        final AiopsConfig config = AiopsConfig.of(Map.of(), new Properties(), null).with(CoreConfig.HOME, args[0]);
        final EmbeddedStack stack = EmbeddedStack.start(config);
        System.out.println(READY + " " + stack.postgres().port());
        System.out.flush();
        Thread.currentThread().join();
    }
}

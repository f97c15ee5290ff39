package aiops.embedded;

/** A separate JVM that prints who holds the home in its argument: a pid, or {@code free}. */
public final class LockProbe {

    private LockProbe() {
    }

    public static void main(final String[] args) {
        final java.util.OptionalLong holder = HomeLock.holder(java.nio.file.Path.of(args[0]));
        System.out.println(holder.isPresent() ? Long.toString(holder.getAsLong()) : "free");
    }
}

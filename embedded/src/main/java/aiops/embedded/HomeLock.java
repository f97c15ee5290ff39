package aiops.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive lock on an embedded home, held while a stack runs on it. The operating system releases it when its
 * process dies, however it dies, so holding it proves that whatever still runs on the home's data is left over from
 * a process that is gone (see {@link LeftoverProcesses}), and never another live stack's.
 *
 * <p>The lock is a POSIX record lock, which belongs to the process and is dropped when the process closes any
 * descriptor of the file. So a home this JVM holds is answered from {@link #HELD} and its file is never opened again.
 */
final class HomeLock implements AutoCloseable {

    static final String FILE = ".lock";
    private static final Map<Path, HomeLock> HELD = new ConcurrentHashMap<>();
    // A probe from another process holds the lock for an instant; a start that meets it tries again.
    private static final int RETRIES = 4;
    private static final long RETRY_MS = 50;

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private HomeLock(final Path key, final FileChannel channel, final FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws IllegalStateException when another live process (or another stack in this one) holds the home */
    static HomeLock acquire(final Path home) {
        try {
            Files.createDirectories(home);
            final Path key = home.toRealPath();
            synchronized (HELD) {
                if (HELD.containsKey(key)) {
                    throw busy(home, Long.toString(ProcessHandle.current().pid()));
                }
                final FileChannel channel = FileChannel.open(key.resolve(FILE), StandardOpenOption.CREATE,
                        StandardOpenOption.READ, StandardOpenOption.WRITE);
                final FileLock lock = tryLock(channel);
                if (lock == null) {
                    final String holder = pidIn(channel);
                    channel.close();
                    throw busy(home, holder);
                }
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid())
                        .getBytes(StandardCharsets.UTF_8)));
                channel.force(false);
                final HomeLock held = new HomeLock(key, channel, lock);
                HELD.put(key, held);
                return held;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot lock " + home + ": " + e.getMessage(), e);
        }
    }

    /** The pid of the live process holding {@code home}, if any (this process's own when it holds it). */
    static OptionalLong holder(final Path home) {
        final Path file = home.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return OptionalLong.empty();
        }
        synchronized (HELD) {
            try {
                if (HELD.containsKey(home.toRealPath())) {
                    return OptionalLong.of(ProcessHandle.current().pid());
                }
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    final FileLock probe = channel.tryLock();
                    if (probe != null) {
                        probe.release();
                        return OptionalLong.empty();
                    }
                    final String pid = pidIn(channel);
                    return pid.matches("\\d{1,18}") ? OptionalLong.of(Long.parseLong(pid)) : OptionalLong.empty();
                }
            } catch (IOException e) {
                return OptionalLong.empty();
            }
        }
    }

    private static FileLock tryLock(final FileChannel channel) throws IOException {
        for (int attempt = 0; ; attempt++) {
            final FileLock lock = channel.tryLock();
            if (lock != null || attempt == RETRIES) {
                return lock;
            }
            try {
                Thread.sleep(RETRY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private static IllegalStateException busy(final Path home, final String holder) {
        return new IllegalStateException(home + " is in use by another running aiops process"
                + (holder.isEmpty() ? "" : " (pid " + holder + ")") + "; stop it, or give this one its own AIOPS_HOME");
    }

    private static String pidIn(final FileChannel channel) throws IOException {
        final ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
    }

    @Override
    public void close() {
        synchronized (HELD) {
            HELD.remove(key, this);
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // the lock goes with the channel or the process
            }
        }
    }
}

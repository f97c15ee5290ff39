package aiops.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on an embedded home, held while a stack runs on it. The operating system releases it when its
 * process dies, however it dies, so holding it proves that whatever still runs on the home's data is left over from
 * a process that is gone (see {@link LeftoverProcesses}), and never another live stack's.
 */
final class HomeLock implements AutoCloseable {

    static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private HomeLock(final FileChannel channel, final FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws IllegalStateException when another live process (or another stack in this one) holds the home */
    static HomeLock acquire(final Path home) {
        try {
            Files.createDirectories(home);
            final Path file = home.resolve(FILE);
            final FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = null;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                // held by this JVM already
            }
            if (lock == null) {
                final String holder = holder(channel);
                channel.close();
                throw new IllegalStateException(home + " is in use by another running aiops process"
                        + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                        + "; stop it, or give this one its own AIOPS_HOME");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
            channel.force(false);
            return new HomeLock(channel, lock);
        } catch (IOException e) {
            throw new IllegalStateException("cannot lock " + home + ": " + e.getMessage(), e);
        }
    }

    private static String holder(final FileChannel channel) throws IOException {
        final ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the channel or the process
        }
    }
}

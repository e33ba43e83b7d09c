package io.wellwatch.app;

import io.wellwatch.config.PathProblem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One WellWatch per model directory. Two instances on the same directory would both number their
 * next model version the same and collide on the write, and (with the same config) share one
 * history database; so the second one is refused at start, naming the first. The operating system
 * releases the lock when the process ends, kill -9 included, so a crash never leaves it stale.
 */
final class InstanceLock implements AutoCloseable {

    static final String FILE_NAME = ".wellwatch.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code modelDir} for this process or throws {@link IllegalStateException} naming the holder. */
    static InstanceLock acquire(Path modelDir) throws IOException {
        Path file = modelDir.resolve(FILE_NAME);
        FileChannel channel;
        try {
            Files.createDirectories(modelDir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            // Bare, the JDK's message is only a path ('wellwatch: /etc/passwd'): say which setting and why.
            throw new IllegalStateException("storage.modelDir " + modelDir + " (" + modelDir.toAbsolutePath()
                    + "): cannot use it as the model directory: " + PathProblem.describe(e), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another WellWatch in this same JVM
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = readHolder(channel);
            channel.close();
            throw new IllegalStateException("the model directory " + modelDir.toAbsolutePath()
                    + " is in use by another WellWatch" + (holder.isEmpty() ? "" : " (" + holder + ")")
                    + "; stop it, or give this one its own storage.modelDir and history.jdbcUrl");
        }
        String me = "pid " + ProcessHandle.current().pid() + ", started " + Instant.now();
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        return new InstanceLock(channel, lock);
    }

    private static String readHolder(FileChannel channel) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(256);
            int n = channel.read(buf, 0);
            return n <= 0 ? "" : new String(buf.array(), 0, n, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the process is ending or the file is gone: the lock goes with the channel either way
        }
    }
}

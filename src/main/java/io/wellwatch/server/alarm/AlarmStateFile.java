package io.wellwatch.server.alarm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.wellwatch.config.PathProblem;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The JSON file that keeps one well's {@link AlarmSnapshot} across restarts, normally
 * {@code <storage.modelDir>/<well>/alarm-state.json}. Writes go to a temporary file in the same
 * directory, fsynced and then renamed over the old one, so a crash leaves the old or the new
 * state, never half a file. Neither reading nor writing throws: an alarm must not stop the server.
 */
public final class AlarmStateFile {

    public static final String FILE_NAME = "alarm-state.json";

    private static final Logger LOG = LogManager.getLogger(AlarmStateFile.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    private final Path file;

    public AlarmStateFile(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /** The state file in a well's directory. */
    public static AlarmStateFile in(Path wellDirectory) {
        return new AlarmStateFile(wellDirectory.resolve(FILE_NAME));
    }

    public Path path() {
        return file;
    }

    /** The saved state; empty if there is none (a fresh start) or it cannot be read (logged as WARN). */
    public Optional<AlarmSnapshot> read() {
        try {
            AlarmSnapshot snapshot = JSON.readValue(Files.readAllBytes(file), AlarmSnapshot.class);
            if (snapshot.format() != AlarmSnapshot.FORMAT) {
                LOG.warn("Alarm state file {} has format {}, expected {}; the alarm starts inactive",
                        file.toAbsolutePath(), snapshot.format(), AlarmSnapshot.FORMAT);
                return Optional.empty();
            }
            return Optional.of(snapshot);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Alarm state file {} cannot be read ({}); the alarm starts inactive",
                    file.toAbsolutePath(), e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(""));
            return Optional.empty();
        }
    }

    /** Saves the state atomically; a failure is logged as WARN (the alarm goes on in memory). */
    public void write(AlarmSnapshot snapshot) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            byte[] bytes = JSON.writeValueAsBytes(snapshot);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true); // the rename must not overtake the data after a power loss
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot save the alarm state to {}: {}", file.toAbsolutePath(),
                    e instanceof IOException io ? PathProblem.describe(io) : e.toString());
        }
    }
}

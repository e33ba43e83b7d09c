package io.wellwatch.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wellwatch.config.HistoryConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;

/** {@link HistoryStoreTest} on SQLite files (the default store). */
class SqliteHistoryStoreTest extends HistoryStoreTest {

    @TempDir
    Path tmp;

    @Override
    HistoryConfig config(String name, int queueCapacity, int batchSize) {
        return HistoryConfig.of(true, "jdbc:sqlite:" + file(name), null, null, 30, queueCapacity, batchSize, 200L);
    }

    private Path file(String name) {
        return tmp.resolve(name + ".db");
    }

    /** An exclusive transaction of another connection: the writer's batches fail after the busy timeout. */
    @Override
    AutoCloseable lockAgainstWriters(String name) throws SQLException {
        Connection other = DriverManager.getConnection("jdbc:sqlite:" + file(name));
        try (Statement s = other.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
            s.execute("INSERT INTO wh_event (well_id, t, event_type, severity) VALUES ('X', 0, 'lock', 0)");
        }
        return () -> {
            try (Statement s = other.createStatement()) {
                s.execute("ROLLBACK");
            } finally {
                other.close();
            }
        };
    }

    @Override
    long storeBytes(String name) throws Exception {
        Path wal = tmp.resolve(name + ".db-wal");
        return Files.size(file(name)) + (Files.exists(wal) ? Files.size(wal) : 0);
    }

    @Override
    String databaseName() {
        return "SQLite";
    }

    @Test
    void aFileThatIsNotADatabaseFailsToOpenWithAMessage() throws Exception {
        Path file = tmp.resolve("not-a-db.db");
        Files.writeString(file, "this is not a database, and it is long enough to be read as a header.........");
        assertThatThrownBy(() -> new HistoryStore(HistoryConfig.at("jdbc:sqlite:" + file), Clock.systemUTC()).close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
    }
}

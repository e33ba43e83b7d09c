package io.wellwatch.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wellwatch.config.HistoryConfig;
import org.apache.logging.log4j.LogManager;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * {@link HistoryStoreTest} on a real PostgreSQL server: {@code WELLWATCH_TEST_PG_URL} (a JDBC URL with its
 * user, as {@code .ci/run} sets it after starting a throwaway server). Each test works in its own schema.
 * Without the variable (a developer machine without PostgreSQL) the class is skipped with a message; with
 * it, a server that cannot be reached fails the tests.
 */
class PostgresHistoryStoreTest extends HistoryStoreTest {

    static final String URL_VARIABLE = "WELLWATCH_TEST_PG_URL";

    private static String baseUrl;
    private final String prefix = "wh_" + UUID.randomUUID().toString().substring(0, 8);
    private final Set<String> schemas = new LinkedHashSet<>();

    @BeforeAll
    static void needsAServer() {
        baseUrl = System.getenv(URL_VARIABLE);
        if (baseUrl == null || baseUrl.isBlank()) {
            LogManager.getLogger(PostgresHistoryStoreTest.class).warn(
                    "{} is not set: the PostgreSQL history tests are skipped (.ci/run starts a server and sets it)",
                    URL_VARIABLE);
        }
        Assumptions.assumeTrue(baseUrl != null && !baseUrl.isBlank(),
                URL_VARIABLE + " is not set: PostgreSQL history tests skipped (.ci/run starts a server and sets it)");
    }

    @AfterEach
    void dropSchemas() throws SQLException {
        try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
            for (String schema : schemas) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private String schema(String name) {
        return (prefix + "_" + name).toLowerCase(Locale.ROOT);
    }

    private String url(String name) {
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema(name);
    }

    @Override
    HistoryConfig config(String name, int queueCapacity, int batchSize) {
        String schema = schema(name);
        if (schemas.add(schema)) {
            try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create schema " + schema + " at " + baseUrl, e);
            }
        }
        return HistoryConfig.of(true, url(name), null, null, 30, queueCapacity, batchSize, 200L);
    }

    /** Another transaction holds the tables in EXCLUSIVE mode: the writer's INSERT waits for it. */
    @Override
    AutoCloseable lockAgainstWriters(String name) throws SQLException {
        Connection other = DriverManager.getConnection(url(name));
        other.setAutoCommit(false);
        try (Statement s = other.createStatement()) {
            s.execute("LOCK TABLE wh_value, wh_event IN EXCLUSIVE MODE");
        }
        return () -> {
            try {
                other.rollback();
            } finally {
                other.close();
            }
        };
    }

    @Override
    long storeBytes(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(baseUrl);
             PreparedStatement ps = c.prepareStatement("SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c"
                     + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind = 'r'")) {
            ps.setString(1, schema(name));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    String databaseName() {
        return "PostgreSQL";
    }

    /** The server drops the writer's connection (as in a server restart): one batch is lost, then it reconnects. */
    @Test
    void theWriterReconnectsWhenTheServerDropsItsConnection() throws Exception {
        try (HistoryStore store = new HistoryStore(config("reconnect", 1000, 10), Clock.systemUTC())) {
            store.offer(new ValueRecord("W1", "Loss", T0, 1.0, StatusCodes.Good));
            assertThat(store.flush(WAIT)).isTrue();
            try (Connection c = DriverManager.getConnection(baseUrl);
                 PreparedStatement ps = c.prepareStatement("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                         + " WHERE application_name = ? AND pid <> pg_backend_pid()")) {
                ps.setString(1, HistoryStore.APPLICATION_NAME);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("store connections terminated").isGreaterThanOrEqualTo(1);
                }
            }
            store.offer(new ValueRecord("W1", "Loss", T0.plusSeconds(1), 2.0, StatusCodes.Good)); // on the dead connection
            assertThat(store.flush(WAIT)).isTrue();
            HistoryHealth broken = store.health();
            assertThat(broken.writeFailures()).isEqualTo(1);
            assertThat(broken.healthy()).isFalse();
            assertThat(broken.lastWriteError()).isNotEmpty();

            store.offer(new ValueRecord("W1", "Loss", T0.plusSeconds(2), 3.0, StatusCodes.Good));
            store.offer(new ValueRecord("W2", "Loss", T0.plusSeconds(2), 4.0, StatusCodes.Good));     // a new series
            assertThat(store.flush(WAIT)).isTrue();
            assertThat(store.health().healthy()).isTrue();
            assertThat(store.readValues("W1", "Loss", T0, T0.plusSeconds(10), false, 0, 10))
                    .extracting(ValueRecord::value).containsExactly(1.0, 3.0);
            assertThat(store.readValues("W2", "Loss", T0, T0.plusSeconds(10), false, 0, 10))
                    .extracting(ValueRecord::value).containsExactly(4.0);
        }
    }

    @Test
    void aServerThatIsNotThereFailsToOpenWithAMessage() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String dead = "jdbc:postgresql://127.0.0.1:" + port + "/wellwatch?connectTimeout=5";
        assertThatThrownBy(() -> new HistoryStore(HistoryConfig.at(dead), Clock.systemUTC()).close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("127.0.0.1:" + port));
    }
}

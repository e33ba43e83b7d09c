package io.wellwatch.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.wellwatch.config.PathProblem;
import io.wellwatch.config.SecurityConfig;
import io.wellwatch.config.ServerConfig;
import io.wellwatch.core.DetectorListener;
import io.wellwatch.core.RetrainRequester;
import io.wellwatch.security.ApplicationPki;
import io.wellwatch.security.EndpointSecurity;
import io.wellwatch.security.LoginThrottle;
import io.wellwatch.security.UserLogin;
import io.wellwatch.server.alarm.OperatorCheck;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;

/**
 * The WellWatch OPC UA server: a Milo {@link OpcUaServer} on the configured endpoint with the
 * {@link WellWatchNamespace}.
 *
 * <p>Lifecycle: construct, {@link #addWell add wells} and hand {@link #listener()} to the
 * detector (both also work later), {@link #start()}, and finally {@link #stop()} or
 * {@link #close()}. An instance runs once; to restart, create a new one (Milo's server cannot be
 * started again after shutdown). Any number of instances may run one after the other in a JVM.
 */
public final class WellWatchServer implements AutoCloseable {

    public static final String APPLICATION_URI = "urn:wellwatch:server";
    public static final String PRODUCT_URI = "urn:wellwatch";
    public static final String PRODUCT_NAME = "WellWatch";

    private static final Logger LOG = LogManager.getLogger(WellWatchServer.class);
    private static final long SHUTDOWN_TIMEOUT_SECONDS = 10;

    private enum State { NEW, RUNNING, STOPPED }

    private final ServerConfig config;
    private final EndpointSecurity endpointSecurity;
    private final ApplicationPki pki;
    private final OpcUaServer server;
    private final WellWatchNamespace namespace;
    private State state = State.NEW;

    /**
     * A server for a local demo or a test: {@link SecurityConfig#LOCAL_DEMO} (SecurityPolicy None
     * and anonymous operators allowed, besides the secured endpoints).
     */
    public WellWatchServer(ServerConfig config, Path pkiDir) {
        this(config, SecurityConfig.LOCAL_DEMO, pkiDir);
    }

    /**
     * Builds the server and opens its PKI (Milo's secured endpoints need the certificate when they
     * are built); nothing binds before {@link #start()}.
     *
     * @param security endpoints, users and roles, the application certificate
     * @param pkiDir   PKI directory (own/, trusted/, issuers/, rejected/, user/), created if missing;
     *                 the application certificate is created there on first use unless configured
     * @throws IllegalStateException if the PKI directories cannot be created, or the application certificate
     *                               cannot be read or created (with the reason)
     */
    public WellWatchServer(ServerConfig config, SecurityConfig security, Path pkiDir) {
        this.config = Objects.requireNonNull(config, "config");
        endpointSecurity = new EndpointSecurity(security);
        try {
            pki = new ApplicationPki(pkiDir, APPLICATION_URI,
                    EndpointSecurity.certificateHostnames(config.hostname(), config.bindAddress()), security.certificate());
        } catch (IOException e) {
            throw new IllegalStateException("security.pkiDir " + pkiDir + " (" + pkiDir.toAbsolutePath()
                    + "): cannot create the PKI directories: " + PathProblem.describe(e), e);
        }
        try {
            pki.open();
        } catch (IllegalStateException e) {
            pki.close();
            throw e;
        } catch (Exception e) {
            pki.close();
            throw new IllegalStateException("cannot open the PKI in " + pkiDir + ": " + e.getMessage(), e);
        }
        UserLogin login = new UserLogin(security, LoginThrottle.of(security.lockout()), pki.userCertificateValidator());

        OpcUaServerConfig serverConfig = OpcUaServerConfig.builder()
                .setApplicationUri(APPLICATION_URI)
                .setApplicationName(LocalizedText.english(PRODUCT_NAME))
                .setProductUri(PRODUCT_URI)
                .setBuildInfo(buildInfo())
                .setEndpoints(endpointSecurity.endpoints(config.bindAddress(), config.port(), config.hostname(),
                        config.path(), pki))
                .setIdentityValidator(login)
                .setRoleMapper(login)
                .setCertificateManager(pki.certificateManager())
                .setLimits(new ClientLimits(config.limits()))
                .setEncodingLimits(ClientLimits.encodingLimits(config.limits()))
                .build();

        server = new OpcUaServer(serverConfig,
                transportProfile -> new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
        namespace = new WellWatchNamespace(server);
    }

    /**
     * Builds the address space and binds the endpoint. Does nothing if already running.
     *
     * @throws IllegalStateException if stopped before, or if the server cannot start (e.g. the
     *                               port is taken); the server is then stopped
     */
    public synchronized void start() {
        if (state == State.RUNNING) {
            return;
        }
        if (state == State.STOPPED) {
            throw new IllegalStateException("WellWatchServer cannot be restarted; create a new instance");
        }
        state = State.RUNNING;
        try {
            namespace.startup();
            server.startup().get();
        } catch (Exception e) {
            stop();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot start OPC UA server on " + endpointUrl() + ": " + e.getMessage(), e);
        }
        LOG.info("OPC UA server listening on {} (bind {}:{}), wells {}",
                endpointUrl(), config.bindAddress(), config.port(), namespace.wellIds());
        endpointSecurity.warnIfOpen(endpointUrl());
    }

    /** Closes sessions and subscriptions, unbinds the endpoint and releases the PKI. Idempotent. */
    public synchronized void stop() {
        if (state == State.STOPPED) {
            return;
        }
        boolean wasRunning = state == State.RUNNING;
        state = State.STOPPED;
        if (wasRunning) {
            try {
                namespace.shutdown();
            } catch (RuntimeException e) {
                LOG.warn("Error shutting down the WellWatch namespace", e);
            }
            try {
                server.shutdown().get(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warn("Interrupted while stopping the OPC UA server");
            } catch (Exception e) {
                LOG.warn("Error stopping the OPC UA server", e);
            }
            LOG.info("OPC UA server on {} stopped", endpointUrl());
        }
        pki.close();
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Adds a well to the address space; see {@link WellWatchNamespace#addWell}. */
    public void addWell(String wellId, int windowSize) {
        namespace.addWell(wellId, windowSize);
    }

    /** Adds a well with its detector's window size and alarm rule; see {@link WellWatchNamespace#addWell(String, io.wellwatch.config.DetectorConfig)}. */
    public void addWell(String wellId, io.wellwatch.config.DetectorConfig detector) {
        namespace.addWell(wellId, detector);
    }

    /** Saves the AnomalyAlarms' state in these per-well directories and restores it at start; call before {@link #start()}. */
    public void setAlarmStateDirectories(java.util.function.Function<String, Path> directories) {
        namespace.setAlarmStateDirectories(directories);
    }

    /** Where the wells' Retrain methods send their requests (the detectors, via the application). */
    public void setRetrainRequester(RetrainRequester requester) {
        namespace.setRetrainRequester(requester);
    }

    /** Who may perform operator actions (acknowledge, comment, enable/disable, retrain); sessions with the operator role by default. */
    public void setOperatorCheck(OperatorCheck check) {
        namespace.setOperatorCheck(check);
    }

    /** Serves HistoryRead from this store (null: no history); see {@link WellWatchNamespace#setHistory}. */
    public void setHistory(io.wellwatch.history.HistoryStore store) {
        namespace.setHistory(store);
    }

    /** No history (disabled, or its database could not be opened); see {@link WellWatchNamespace#setHistoryUnavailable}. */
    public void setHistoryUnavailable(String jdbcUrl, String why) {
        namespace.setHistoryUnavailable(jdbcUrl, why);
    }

    /** The detector's sink: publishes assessments, connection states and retraining events. */
    public DetectorListener listener() {
        return namespace;
    }

    public WellWatchNamespace namespace() {
        return namespace;
    }

    /** The endpoint URL clients use, {@code opc.tcp://<hostname>:<port><path>}. */
    public String endpointUrl() {
        return config.endpointUrl();
    }

    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    /** The application's PKI: its certificate and trust lists also secure the upstream PLC connections. */
    public ApplicationPki pki() {
        return pki;
    }

    /** The Milo server, for the other parts of this package (alarms, history). */
    OpcUaServer opcUaServer() {
        return server;
    }

    private static BuildInfo buildInfo() {
        String version = WellWatchServer.class.getPackage().getImplementationVersion();
        return new BuildInfo(PRODUCT_URI, PRODUCT_NAME, PRODUCT_NAME + " anomaly server",
                version == null ? "dev" : version, version == null ? "dev" : version, DateTime.MIN_VALUE);
    }
}

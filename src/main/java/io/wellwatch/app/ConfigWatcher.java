package io.wellwatch.app;

import io.wellwatch.config.AppConfig;
import io.wellwatch.config.ConfigException;
import io.wellwatch.config.ConfigLoader;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches the config file while WellWatch runs. Nothing is applied on the fly (a half-applied
 * config on a plant server is worse than a restart): an invalid file is reported with its
 * file:line:field message at ERROR and WellWatch keeps running on the config it started with; a
 * valid one is reported with the sections that differ and need a restart to take effect; a deleted
 * one is reported, since the next restart would fail.
 */
public final class ConfigWatcher implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(ConfigWatcher.class);
    /** Editors write in several steps; wait for the file to settle before reading it. */
    private static final long SETTLE_MS = 300;

    private final Path file;
    private final AppConfig running;
    private final Consumer<Boolean> onReload;
    private final WatchService watcher;
    private final Thread thread;

    /**
     * @param running  the configuration as loaded from {@code file} at start
     * @param onReload told of each change seen: true when the new file is valid
     */
    public ConfigWatcher(Path file, AppConfig running, Consumer<Boolean> onReload) throws IOException {
        this.file = file.toAbsolutePath().normalize();
        this.running = Objects.requireNonNull(running);
        this.onReload = Objects.requireNonNull(onReload);
        this.watcher = FileSystems.getDefault().newWatchService();
        // DELETE too: a config removed while running would make the next restart fail, so it is reported
        // like an invalid edit ('config file not found'); a save by rename ends in a CREATE within the settle time.
        this.file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = new Thread(this::run, "wellwatch-config-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                WatchKey key = watcher.take();
                boolean ours = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    ours |= event.context() instanceof Path p && p.equals(file.getFileName());
                }
                key.reset();
                if (ours) {
                    TimeUnit.MILLISECONDS.sleep(SETTLE_MS);
                    drain();
                    check();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    /** Events of the same edit that arrived while settling. */
    private void drain() {
        WatchKey key;
        while ((key = watcher.poll()) != null) {
            key.pollEvents();
            key.reset();
        }
    }

    /** Validates the file as it is now and reports; never changes the running configuration. */
    void check() {
        if (!Files.exists(file)) {
            LOG.error("Config file {} was deleted or moved away; still running on the configuration loaded at start,"
                    + " but a restart will fail until the file is back", file);
            onReload.accept(false);
            return;
        }
        AppConfig changed;
        try {
            // Checked as it was at start: a running 'serve' does not check the demo's simulator section.
            changed = running.simulator() == null ? ConfigLoader.loadWithoutSimulator(file).withSimulator(null)
                    : ConfigLoader.load(file);
        } catch (ConfigException e) {
            LOG.error("Config file changed and is invalid: {}; still running on the configuration loaded at start",
                    e.getMessage());
            onReload.accept(false);
            return;
        } catch (RuntimeException e) {
            LOG.error("Config file {} changed and cannot be read: {}; still running on the configuration loaded at start",
                    file, e.toString());
            onReload.accept(false);
            return;
        }
        List<String> differ = differences(running, changed);
        if (differ.isEmpty()) {
            LOG.info("Config file {} changed; valid, and equal to the running configuration", file);
        } else {
            LOG.warn("Config file {} changed; valid. Differences from the running configuration that take effect"
                    + " after a restart: {}", file, String.join(", ", differ));
        }
        onReload.accept(true);
    }

    /** The sections (and wells by id) that differ. */
    static List<String> differences(AppConfig a, AppConfig b) {
        List<String> d = new ArrayList<>();
        if (!a.server().equals(b.server())) {
            d.add("server");
        }
        if (!a.storage().equals(b.storage())) {
            d.add("storage");
        }
        if (!a.history().equals(b.history())) {
            d.add("history");
        }
        if (!a.metrics().equals(b.metrics())) {
            d.add("metrics");
        }
        if (!a.upstream().equals(b.upstream())) {
            d.add("upstream");
        }
        if (!Objects.equals(a.simulator(), b.simulator())) {
            d.add("simulator");
        }
        List<String> idsA = a.wells().stream().map(w -> w.id()).toList();
        List<String> idsB = b.wells().stream().map(w -> w.id()).toList();
        for (var w : b.wells()) {
            int i = idsA.indexOf(w.id());
            if (i < 0) {
                d.add("wells: " + w.id() + " added");
            } else if (!a.wells().get(i).equals(w)) {
                d.add("wells: " + w.id());
            }
        }
        for (String id : idsA) {
            if (!idsB.contains(id)) {
                d.add("wells: " + id + " removed");
            }
        }
        return d;
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.debug("closing the config watch: {}", e.toString());
        }
    }
}

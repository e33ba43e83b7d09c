package io.wellwatch.cli;

import io.wellwatch.app.WellWatchApp;
import io.wellwatch.config.AppConfig;
import io.wellwatch.config.ConfigException;
import io.wellwatch.config.ConfigLoader;
import io.wellwatch.config.WellConfig;
import io.wellwatch.core.WellDetector;
import io.wellwatch.backtest.Backtest;
import io.wellwatch.backtest.BacktestReport;
import io.wellwatch.model.Dl4jForecasterFactory;
import io.wellwatch.model.FileModelStore;
import io.wellwatch.sim.PlcSimulator;
import io.wellwatch.sim.ThreeWCsv;

import java.nio.file.Files;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The command line: {@code demo} (simulated PLC replaying real 3W data into the server) and
 * {@code serve --config FILE} (production, against real PLC endpoints). Its console output is the
 * CLI's own; everything else goes through Log4j.
 */
public final class Main {

    private static final String USAGE = """
            usage:
              wellwatch demo  [--config FILE] [--speed-up N] [--duration D] [--status-every D] [--port P]
              wellwatch serve --config FILE [--duration D] [--status-every D] [--port P]
              wellwatch backtest --csv FILE [--config FILE] [--well ID] [--stride N]
            D is a duration such as 90s, 5m, 1h or an ISO-8601 PT2M; defaults: demo config config/demo.yaml,
            speed-up from the config (25), run until Ctrl-C, status every 5s.""";

    private final PrintStream out;
    /** Counted down by Ctrl-C / SIGTERM: the main loop stops and closes everything in order. */
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    /** The config as read from its file, before command-line overrides: what the config watcher compares with. */
    private AppConfig loadedConfig;

    Main(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        Main main = new Main(System.out);
        CountDownLatch finished = new CountDownLatch(1);
        // The JVM halts once shutdown hooks return, so the hook holds it until main has closed
        // the server, the upstream sessions and the simulator, and flushed the logs.
        Thread hook = new Thread(() -> {
            main.stopRequested.countDown();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "wellwatch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = main.run(args);
        // Log4j's own shutdown hook is off (log4j2.xml) so Ctrl-C does not silence the orderly stop.
        org.apache.logging.log4j.LogManager.shutdown();
        finished.countDown();
        System.exit(code);
    }

    int run(String[] args) {
        if (args.length == 0 || java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        try {
            Options o = Options.parse(args);
            return switch (args[0]) {
                case "demo" -> demo(o);
                case "serve" -> serve(o);
                case "backtest" -> backtest(o);
                default -> usageError("unknown command '" + args[0] + "'");
            };
        } catch (IllegalArgumentException e) {
            return usageError(e.getMessage());
        } catch (IllegalStateException e) {
            System.err.println("wellwatch: " + e.getMessage());
            return 1;
        } catch (ConfigException e) {
            System.err.println("wellwatch: configuration error: " + e.getMessage());
            return 2;
        } catch (java.io.IOException e) {
            System.err.println("wellwatch: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            System.err.println("wellwatch: " + e);
            return 1;
        }
    }

    private int usageError(String message) {
        System.err.println("wellwatch: " + message);
        System.err.println(USAGE);
        return 2;
    }

    private int demo(Options o) throws Exception {
        AppConfig config = ConfigLoader.load(Path.of(o.config == null ? "config/demo.yaml" : o.config));
        loadedConfig = config;
        if (config.simulator() == null) {
            throw new ConfigException(o.config + ": the demo needs a 'simulator' section");
        }
        double speedUp = o.speedUp != null ? o.speedUp : config.simulator().speedUp();
        if (!(speedUp > 0 && speedUp <= 10_000)) {
            throw new IllegalArgumentException("--speed-up must be in (0, 10000], got " + speedUp);
        }
        // The demo config gives sampling periods in data time; the replay runs speedUp times faster.
        List<WellConfig> wells = config.wells().stream()
                .map(w -> w.withSamplingPeriodMs(Math.max(1, Math.round(w.samplingPeriodMs() / speedUp))))
                .toList();
        config = config.withWells(wells).withSimulator(config.simulator().withSpeedUp(speedUp));
        if (o.port != null) {
            config = config.withServer(config.server().withPort(o.port));
        }
        PortCheck.requireFree(config.simulator().bindAddress(), config.simulator().port(),
                "the simulated PLC (simulator.port in " + (o.config == null ? "config/demo.yaml" : o.config) + ")");
        try (PlcSimulator sim = new PlcSimulator(config.simulator())) {
            sim.start();
            return runServer(config, o, String.format(Locale.ROOT,
                    "simulated PLC at %s replaying real 3W data at %.0fx", config.simulator().endpointUrl(), speedUp));
        }
    }

    /**
     * Replays a 3W CSV through the same detector code the server runs (no OPC UA), training
     * synchronously, and prints how quiet it was on normal data and how it met the fault.
     */
    private int backtest(Options o) throws Exception {
        if (o.csv == null) {
            throw new IllegalArgumentException("backtest needs --csv FILE (a 3W CSV, e.g. src/data/3w/2-WELL-00002_20131104014101.csv)");
        }
        String configFile = o.config == null ? "config/demo.yaml" : o.config;
        AppConfig config = ConfigLoader.load(Path.of(configFile));
        WellConfig well = o.well == null ? config.wells().get(0) : config.wells().stream()
                .filter(w -> w.id().equals(o.well)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no well '" + o.well + "' in " + configFile));
        int stride = o.stride == null ? 3 : o.stride;
        ThreeWCsv csv = ThreeWCsv.read(Path.of(o.csv));
        for (String sensor : well.sensorNames()) {
            if (!csv.hasColumn(sensor)) {
                throw new IllegalArgumentException(o.csv + " has no column '" + sensor + "' that well " + well.id() + " needs");
            }
        }
        Path models = Files.createTempDirectory("wellwatch-backtest");
        try {
            out.printf(Locale.ROOT, "backtest of %s with the settings of well %s in %s, one sample every %d rows%n",
                    o.csv, well.id(), configFile, stride);
            long started = System.nanoTime();
            Backtest.Result result = new Backtest(well, new Dl4jForecasterFactory(),
                    new FileModelStore(models, new Dl4jForecasterFactory())).run(csv, stride);
            out.println(BacktestReport.of(result).describe());
            out.printf(Locale.ROOT, "(%d samples, %.0f s)%n", result.steps().size(), (System.nanoTime() - started) / 1e9);
        } finally {
            try (var paths = Files.walk(models)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    private int serve(Options o) throws Exception {
        if (o.config == null) {
            throw new IllegalArgumentException("serve needs --config FILE");
        }
        AppConfig config = ConfigLoader.load(Path.of(o.config));
        loadedConfig = config;
        if (config.simulator() != null) {
            System.err.println("wellwatch: note: the 'simulator' section of " + o.config + " is used by 'demo' only; 'serve' ignores it");
        }
        if (o.port != null) {
            config = config.withServer(config.server().withPort(o.port));
        }
        return runServer(config, o, "upstream PLCs as configured in " + o.config);
    }

    private int runServer(AppConfig config, Options o, String upstreamNote) throws Exception {
        PortCheck.requireFree(config.server().bindAddress(), config.server().port(),
                "WellWatch (server.port in the config, or --port)");
        return serveUntilStopped(config, o, upstreamNote, stopRequested);
    }

    private int serveUntilStopped(AppConfig config, Options o, String upstreamNote, CountDownLatch stop) throws Exception {
        try (WellWatchApp app = WellWatchApp.start(config, Path.of("certs"), List.of())) {
            app.watchConfig(Path.of(o.config == null ? "config/demo.yaml" : o.config), loadedConfig);
            banner(app, config, upstreamNote);
            long deadline = o.duration == null ? Long.MAX_VALUE : System.nanoTime() + o.duration.toNanos();
            long every = (o.statusEvery == null ? Duration.ofSeconds(5) : o.statusEvery).toMillis();
            while (System.nanoTime() < deadline) {
                long wait = Math.min(every, Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                if (stop.await(wait, TimeUnit.MILLISECONDS)) {
                    break;
                }
                for (WellDetector d : app.detectors()) {
                    out.println(StatusLine.format(d.wellId(), d.status()));
                }
                if (app.history() != null && app.history().droppedRows() > 0) {
                    out.println(String.format(java.util.Locale.ROOT, "%-12s %d rows written, %d lost (%s); detection unaffected",
                            "history", app.history().writtenRows(), app.history().droppedRows(), app.history().lastProblem()));
                }
                out.flush();
            }
            out.println("WellWatch stopping...");
            out.flush();
        }
        out.println("WellWatch stopped. " + ResourceUse.summary());
        out.flush();
        return 0;
    }

    private void banner(WellWatchApp app, AppConfig config, String upstreamNote) {
        String line = "=".repeat(78);
        out.println(line);
        out.println(" WellWatch is running");
        out.println("   OPC UA endpoint : " + app.endpointUrl() + "   (connect UaExpert or any OPC UA client)");
        out.println("   browse          : Objects/WellWatch/Wells/<WellId>   namespace urn:wellwatch:anomaly");
        out.println("   wells           : " + String.join(", ", config.wells().stream().map(WellConfig::id).toList()));
        out.println("   upstream        : " + upstreamNote);
        out.println("   models on disk  : " + Path.of(config.storage().modelDir()).toAbsolutePath());
        out.println("   history         : " + (app.history() == null ? "off" : config.history().jdbcUrl()
                + " (HistoryRead; retention " + config.history().retentionDays() + " days)"));
        if (app.metricsUrl() != null) {
            out.println("   metrics         : " + app.metricsUrl());
        }
        out.println("   stop            : Ctrl-C");
        out.println(line);
        out.flush();
    }

    /** Parsed command-line options. */
    static final class Options {
        String config;
        Double speedUp;
        Duration duration;
        Duration statusEvery;
        Integer port;
        String csv;
        String well;
        Integer stride;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 1; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + name + " needs a value");
                }
                String value = args[++i];
                switch (name) {
                    case "--config" -> o.config = value;
                    case "--csv" -> o.csv = value;
                    case "--well" -> o.well = value;
                    case "--stride" -> {
                        double n = number(name, value);
                        if (n != Math.rint(n) || n < 1) {
                            throw new IllegalArgumentException("--stride must be a whole number >= 1, got '" + value + "'");
                        }
                        o.stride = (int) n;
                    }
                    case "--speed-up" -> o.speedUp = number(name, value);
                    case "--duration" -> o.duration = duration(name, value);
                    case "--status-every" -> o.statusEvery = duration(name, value);
                    case "--port" -> {
                        double p = number(name, value);
                        if (p != Math.rint(p) || p < 1 || p > 65535) {
                            throw new IllegalArgumentException("--port must be a whole number in 1..65535, got '" + value + "'");
                        }
                        o.port = (int) p;
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + name + "'");
                }
            }
            return o;
        }

        private static double number(String name, String value) {
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " expects a number, got '" + value + "'");
            }
        }

        static Duration duration(String name, String value) {
            try {
                String v = value.trim().toLowerCase(Locale.ROOT);
                Duration d;
                if (v.startsWith("pt")) {
                    d = Duration.parse(v.toUpperCase(Locale.ROOT));
                } else if (v.endsWith("ms")) {
                    d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                } else if (v.endsWith("s")) {
                    d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
                } else if (v.endsWith("m")) {
                    d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000));
                } else if (v.endsWith("h")) {
                    d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 3_600_000));
                } else {
                    d = Duration.ofSeconds(Long.parseLong(v));
                }
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException(name + " must be positive, got '" + value + "'");
                }
                return d;
            } catch (NumberFormatException | DateTimeParseException e) {
                throw new IllegalArgumentException(name + " expects a duration like 90s, 5m or 1h, got '" + value + "'");
            }
        }
    }
}

package io.wellwatch.cli;

import io.wellwatch.app.WellWatchApp;
import io.wellwatch.config.AppConfig;
import io.wellwatch.config.ConfigException;
import io.wellwatch.config.ConfigLoader;
import io.wellwatch.config.PathProblem;
import io.wellwatch.config.WellConfig;
import io.wellwatch.core.WellDetector;
import io.wellwatch.security.PasswordHash;
import io.wellwatch.backtest.BacktestMetrics;
import io.wellwatch.backtest.BacktestSuite;
import io.wellwatch.backtest.CsvLayout;
import io.wellwatch.backtest.FileMetrics;
import io.wellwatch.sim.PlcSimulator;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

import java.util.ArrayList;
import java.io.PrintStream;
import java.nio.file.Files;
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
              wellwatch backtest [--config FILE] --csv FILE [--csv FILE ...] [--report DIR] [--well ID]
                                 [--mapping FILE] [--sampling-period D] [--threads N]
              wellwatch history --endpoint URL --well ID (--variable NAME | --events) [--from T] [--to T] [--max N]
                                [--security POLICY --user NAME]   (wellwatch history --help for all)
              wellwatch hash-password   (reads the password without echo, prints the hash for security.users[].passwordHash)
              wellwatch --version | help
            D is a duration such as 90s, 5m, 1h or an ISO-8601 PT2M; defaults: demo config config/demo.yaml,
            speed-up from the config (25), run until Ctrl-C, status every 5s.
            backtest: replays historian CSVs (3W layout, or the layout of --mapping FILE) through the detector with
            the settings of the config's well (--well, default the first); --report DIR writes report.html,
            metrics.json and per-file timelines; --threads defaults to the number of cores.""";

    static final int MIN_PASSWORD_LENGTH = 8;

    private final PrintStream out;
    private final java.io.InputStream in;
    private final java.io.Console console;
    /** Counted down by Ctrl-C / SIGTERM: the main loop stops and closes everything in order. */
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    /** The config as read from its file, before command-line overrides: what the config watcher compares with. */
    private AppConfig loadedConfig;

    /** The CLI writing its own output to {@code out} (tests drive it in-process). */
    public Main(PrintStream out) {
        this(out, System.in, System.console());
    }

    /** @param console the terminal to read passwords from without echo; null: read them from {@code in} */
    Main(PrintStream out, java.io.InputStream in, java.io.Console console) {
        this.out = out;
        this.in = in;
        this.console = console;
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

    /** Runs one command; returns the process exit code. */
    public int run(String[] args) {
        boolean help = java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h");
        if (args.length > 0 && args[0].equals("history")) {
            return history(args, help);
        }
        if (args.length == 0 || help || args[0].equals("help")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        if (args[0].equals("hash-password") && args.length > 1) {
            // Most likely the password itself: say so without repeating it.
            System.err.println("wellwatch: hash-password takes no arguments: it reads the password from the terminal"
                    + " or one line of standard input, so that it stays out of the shell history and the process list"
                    + " (the " + (args.length - 1) + " argument(s) given are not printed)");
            return 2;
        }
        if (args[0].equals("--version") || args[0].equals("version")) {
            out.println("WellWatch " + version());
            return 0;
        }
        try {
            Options o = Options.parse(args);
            return switch (args[0]) {
                case "demo" -> demo(o);
                case "serve" -> serve(o);
                case "backtest" -> backtest(o);
                case "hash-password" -> hashPasswordCommand();
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

    /** {@code history}: its own options (one is a flag), read by {@link HistoryReadCommand}. */
    private int history(String[] args, boolean help) {
        if (help) {
            out.println(HistoryReadCommand.HELP);
            return 0;
        }
        try {
            var request = HistoryReadCommand.parse(java.util.Arrays.asList(args).subList(1, args.length),
                    java.time.Instant.now());
            return new HistoryReadCommand(out, Main::password).run(request);
        } catch (IllegalArgumentException e) {
            System.err.println("wellwatch: " + e.getMessage());
            System.err.println("usage: " + HistoryReadCommand.USAGE);
            return 2;
        } catch (IllegalStateException e) {
            System.err.println("wellwatch: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            System.err.println("wellwatch: " + e);
            return 1;
        }
    }

    /** A user's password for a client command: from WELLWATCH_PASSWORD, else typed at the terminal (not echoed). */
    private static String password() {
        String fromEnv = System.getenv("WELLWATCH_PASSWORD");
        if (fromEnv != null) {
            return fromEnv;
        }
        java.io.Console console = System.console();
        if (console == null) {
            throw new IllegalArgumentException("--user needs a password: set WELLWATCH_PASSWORD, or run in a terminal to type it");
        }
        char[] typed = console.readPassword("password: ");
        if (typed == null) {
            throw new IllegalArgumentException("no password given");
        }
        return new String(typed);
    }

    /** The jar's Implementation-Version; classes run from a build directory have none. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "(development build, not from the jar)" : v;
    }

    private int usageError(String message) {
        System.err.println("wellwatch: " + message);
        System.err.println(USAGE);
        return 2;
    }

    private int demo(Options o) throws Exception {
        Path file = Path.of(o.config == null ? "config/demo.yaml" : o.config);
        if (o.config == null && !java.nio.file.Files.exists(file)) {
            // The demo's config and its 3W data are relative paths inside the WellWatch directory.
            throw new ConfigException(file.toAbsolutePath() + ": not found; run the demo from the WellWatch"
                    + " directory (where README.md is), or pass --config FILE");
        }
        AppConfig config = ConfigLoader.load(file);
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
     * Reads a password (twice, without echo, on a terminal; one line from standard input
     * otherwise) and prints its salted PBKDF2 hash for the config. The password itself is
     * never printed.
     */
    private int hashPassword() throws java.io.IOException {
        char[] password;
        if (console != null) {
            password = console.readPassword("Password: ");
            char[] again = console.readPassword("Repeat password: ");
            if (password == null || again == null) {
                throw new IllegalArgumentException("no password entered");
            }
            boolean same = java.util.Arrays.equals(password, again);
            java.util.Arrays.fill(again, '\0');
            if (!same) {
                throw new IllegalArgumentException("the two passwords differ; nothing printed");
            }
        } else {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(in,
                    java.nio.charset.StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new IllegalArgumentException("got nothing: it reads the password from the terminal or one line of standard input");
            }
            password = line.toCharArray();
        }
        try {
            if (password.length < MIN_PASSWORD_LENGTH) {
                throw new IllegalArgumentException("a password needs at least " + MIN_PASSWORD_LENGTH + " characters");
            }
            if (java.nio.CharBuffer.wrap(password).chars().allMatch(Character::isWhitespace)) { // no String copy of it
                throw new IllegalArgumentException("a password of spaces only is no password");
            }
            out.println(PasswordHash.create(password, PasswordHash.DEFAULT_ITERATIONS).format());
            out.flush();
            return 0;
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    /** A bad password is not a usage mistake: one line, no usage text. */
    private int hashPasswordCommand() throws java.io.IOException {
        try {
            return hashPassword();
        } catch (IllegalArgumentException e) {
            System.err.println("wellwatch: hash-password: " + e.getMessage());
            return 2;
        }
    }

    /**
     * Replays historian CSVs through the same detector code the server runs (no OPC UA), prints the
     * metrics per file and in total, and with {@code --report DIR} writes report.html, metrics.json
     * and the per-sample timelines there.
     */
    private int backtest(Options o) throws Exception {
        if (o.csvs.isEmpty()) {
            throw new IllegalArgumentException("backtest needs --csv FILE (a 3W CSV, e.g. src/data/3w/2-WELL-00002_20131104014101.csv,"
                    + " or another historian export with --mapping FILE)");
        }
        if (o.stride != null) {
            throw new IllegalArgumentException("--stride is replaced by the sampling period of the well in --config"
                    + " (samplingPeriodMs; 3000 in config/demo.yaml = every 3rd row of a 1 s 3W file); override it with"
                    + " --sampling-period D, e.g. --sampling-period " + o.stride + "s for the old --stride " + o.stride);
        }
        if (o.report != null) {
            reportDirectory(o.report);
        }
        String configFile = o.config == null ? "config/demo.yaml" : o.config;
        AppConfig config = ConfigLoader.loadWithoutSimulator(Path.of(configFile));
        WellConfig well = o.well == null ? config.wells().get(0) : config.wells().stream()
                .filter(w -> w.id().equals(o.well)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no well '" + o.well + "' in " + configFile));
        if (o.samplingPeriod != null) {
            well = well.withSamplingPeriodMs(o.samplingPeriod.toMillis());
        }
        CsvLayout layout = CsvLayout.THREE_W;
        if (o.mapping != null) {
            layout = CsvLayout.load(Path.of(o.mapping));
            layout.requireNamesOf(well, Path.of(o.mapping));
        }
        int threads = o.threads != null ? o.threads : Runtime.getRuntime().availableProcessors();
        BacktestSuite suite = new BacktestSuite(well, layout, threads);
        out.printf(Locale.ROOT, "backtest of %d file(s) with the settings of well %s in %s, one sample every %d ms of data%n",
                o.csvs.size(), well.id(), configFile, well.samplingPeriodMs());
        out.flush();
        // The detector and model store log each training at INFO; that would break the progress bar, and the report has them.
        String ownLog = "io.wellwatch";
        Level before = LogManager.getLogger(ownLog).getLevel();
        Configurator.setLevel(ownLog, Level.WARN);
        BacktestSuite.Outcome outcome;
        try (ProgressBar bar = ProgressBar.onStderr()) {
            outcome = suite.run(o.csvs, bar);
        } finally {
            Configurator.setLevel(ownLog, before);
        }
        for (FileMetrics f : outcome.metrics().files()) {
            out.println(describe(f));
        }
        BacktestMetrics.Totals t = outcome.metrics().totals();
        out.printf(Locale.ROOT, "total: %d files, %d of %d faults detected, median delay %s, %.2f false alarms per 24 h"
                        + " (%d on %.2f h of normal data), learning %.0f s%n", t.files(), t.faultFilesDetected(), t.faultFiles(),
                t.medianDetectionDelaySeconds() == null ? "-" : String.format(Locale.ROOT, "%.0f s", t.medianDetectionDelaySeconds()),
                t.falseAlarmsPer24h(), t.alarmActivationsOnNormal(), t.normalHours(), t.learningSeconds());
        if (o.report != null) {
            Path dir = Path.of(o.report);
            suite.write(outcome, dir, configFile);
            out.println("report: " + dir.resolve("report.html") + " (and metrics.json, *.timeline.csv)");
        }
        return 0;
    }

    /**
     * Creates the {@code --report} directory before the replay: otherwise a long run is lost to a bare
     * 'wellwatch: <path>' at the end when the directory cannot be made.
     */
    static Path reportDirectory(String report) {
        Path dir = Path.of(report);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--report " + report + ": exists and is not a directory");
        }
        try {
            return Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("--report " + report + ": cannot create the directory: "
                    + PathProblem.describe(e));
        }
    }

    private static String describe(FileMetrics f) {
        String detection = !f.hasFault() ? "no fault label"
                : f.detectionDelaySeconds() == null ? "fault NOT detected"
                : String.format(Locale.ROOT, "fault detected, delay %.0f s", f.detectionDelaySeconds());
        return String.format(Locale.ROOT, "%s: %d rows, %s; %d alarm activations (%d on normal), %d alarm events, %.2f h normal scored,"
                        + " P/R/F1 %s/%s/%s, %d models (%d rejected), learning %.0f s", f.file(), f.rows(), detection,
                f.alarmActivations(), f.alarmActivationsOnNormal(), f.alarmEvents(), f.normalHours(), ratio(f.precision()),
                ratio(f.recall()), ratio(f.f1()), f.trainings(), f.rejectedTrainings(), f.learningSeconds());
    }

    private static String ratio(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private int serve(Options o) throws Exception {
        if (o.config == null) {
            throw new IllegalArgumentException("serve needs --config FILE");
        }
        AppConfig config = ConfigLoader.loadWithoutSimulator(Path.of(o.config));
        if (config.simulator() != null) {
            System.err.println("wellwatch: note: the 'simulator' section of " + o.config + " is used by 'demo' only; 'serve' ignores it");
            config = config.withSimulator(null);
        }
        loadedConfig = config;
        if (o.port != null) {
            config = config.withServer(config.server().withPort(o.port));
        }
        return runServer(config, o, "upstream PLCs as configured in " + o.config);
    }

    private int runServer(AppConfig config, Options o, String upstreamNote) throws Exception {
        PortCheck.requireNotOwnEndpoint(config.server(), config.wells());
        PortCheck.requireFree(config.server().bindAddress(), config.server().port(),
                "WellWatch (server.port in the config, or --port)");
        return serveUntilStopped(config, o, upstreamNote, stopRequested);
    }

    private int serveUntilStopped(AppConfig config, Options o, String upstreamNote, CountDownLatch stop) throws Exception {
        try (WellWatchApp app = WellWatchApp.start(config, Path.of(config.security().pkiDir()), List.of())) {
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
        out.println("   security        : " + config.security().describe());
        out.println("   certificate     : " + app.server().pki().ownCertificateFile().toAbsolutePath()
                + "   (refused clients in " + app.server().pki().rejectedDir() + ")");
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
        final List<String> csvs = new ArrayList<>();
        String well;
        Integer stride;
        String report;
        String mapping;
        Duration samplingPeriod;
        Integer threads;

        private static final java.util.Set<String> KNOWN = java.util.Set.of("--config", "--csv", "--report",
                "--mapping", "--sampling-period", "--threads", "--well", "--stride", "--speed-up", "--duration",
                "--status-every", "--port");

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 1; i < args.length; i++) {
                String name = args[i];
                if (!KNOWN.contains(name)) {
                    throw new IllegalArgumentException(name.startsWith("-")
                            ? "unknown option '" + name + "'" : "unexpected argument '" + name + "'");
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + name + " needs a value");
                }
                String value = args[++i];
                switch (name) {
                    case "--config" -> o.config = value;
                    case "--csv" -> o.csvs.add(value);
                    case "--report" -> o.report = value;
                    case "--mapping" -> o.mapping = value;
                    case "--sampling-period" -> o.samplingPeriod = duration(name, value);
                    case "--threads" -> o.threads = wholeNumber(name, value, 1, 256);
                    case "--well" -> o.well = value;
                    case "--stride" -> o.stride = wholeNumber(name, value, 1, Integer.MAX_VALUE);
                    case "--speed-up" -> o.speedUp = number(name, value);
                    case "--duration" -> o.duration = duration(name, value);
                    case "--status-every" -> o.statusEvery = duration(name, value);
                    case "--port" -> o.port = wholeNumber(name, value, 1, 65535);
                    default -> throw new IllegalArgumentException("unknown option '" + name + "'");
                }
            }
            return o;
        }

        private static int wholeNumber(String name, String value, int min, int max) {
            double n = number(name, value);
            if (n != Math.rint(n) || n < min || n > max) {
                throw new IllegalArgumentException(name + " must be a whole number in " + min + ".." + max + ", got '" + value + "'");
            }
            return (int) n;
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

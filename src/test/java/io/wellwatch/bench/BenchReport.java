package io.wellwatch.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one benchmark run: printed as they come, then appended to {@code bench/RESULTS.md}
 * with the date, the machine (cores, memory, JDK), the machine's load at the start and at the end
 * (the machine is shared, so every figure must say how busy it was) and the exact command.
 * The command comes from the {@code bench.command} system property the {@code bench/*.sh} scripts set.
 */
final class BenchReport {

    static final Path RESULTS = Path.of("bench", "RESULTS.md");

    private final String title;
    private final Instant started = Instant.now();
    private final String loadAtStart = uptime();
    private final List<String> lines = new ArrayList<>();
    private final PrintStream out = System.out;

    BenchReport(String title) {
        this.title = title;
        out.println("== " + title);
        out.println("machine: " + machine());
        out.println("load at start: " + loadAtStart);
    }

    /** Prints one figure line and keeps it for RESULTS.md. */
    void line(String format, Object... args) {
        String s = String.format(Locale.ROOT, format, args);
        out.println(s);
        lines.add(s);
    }

    /** Appends this run to {@link #RESULTS} (created with a heading when missing). */
    void append() throws IOException {
        String loadAtEnd = uptime();
        StringBuilder md = new StringBuilder();
        md.append("\n## ").append(title).append(" — ").append(started.truncatedTo(ChronoUnit.SECONDS)).append('\n');
        md.append("- command: `").append(System.getProperty("bench.command", "(run outside bench/*.sh)")).append("`\n");
        md.append("- machine: ").append(machine()).append('\n');
        md.append("- load (`uptime`) at start: ").append(loadAtStart).append("; at end: ").append(loadAtEnd).append('\n');
        md.append("- duration: ").append(ChronoUnit.SECONDS.between(started, Instant.now())).append(" s\n\n");
        md.append("```\n");
        lines.forEach(l -> md.append(l).append('\n'));
        md.append("```\n");
        if (!Files.exists(RESULTS)) {
            Files.writeString(RESULTS, "# WellWatch benchmark results\n\nAppended by `bench/*.sh`; newest last. "
                    + "The machine is shared: read every figure together with the load it was taken under.\n",
                    StandardCharsets.UTF_8);
        }
        Files.writeString(RESULTS, md.toString(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        out.println("load at end: " + loadAtEnd);
        out.println("appended to " + RESULTS);
    }

    static String machine() {
        long memKb = -1;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    memKb = Long.parseLong(l.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // left at -1: reported as unknown below
        }
        return String.format(Locale.ROOT, "%d cores, %s memory, JDK %s (%s), OMP_NUM_THREADS=%s, max heap %d MB",
                Runtime.getRuntime().availableProcessors(),
                memKb < 0 ? "?" : String.format(Locale.ROOT, "%.1f GB", memKb / 1048576.0),
                System.getProperty("java.version"), ManagementFactory.getRuntimeMXBean().getVmName(),
                System.getenv("OMP_NUM_THREADS"), Runtime.getRuntime().maxMemory() >> 20);
    }

    /** The output of {@code uptime} (load averages over 1, 5, 15 minutes), or /proc/loadavg. */
    static String uptime() {
        try {
            Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() == 0 && !s.isEmpty()) {
                return s;
            }
        } catch (IOException e) {
            // fall through to /proc/loadavg
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            return "loadavg " + Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}

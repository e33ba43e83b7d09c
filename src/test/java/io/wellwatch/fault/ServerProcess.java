package io.wellwatch.fault;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WellWatch's real CLI ({@code serve --config}) in a child JVM started from the shipped jar
 * ({@code java -jar target/wellwatch.jar}, with its own logging config), its output collected line by line.
 */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final List<String> stdout = new ArrayList<>();
    private final List<Thread> pumps = new ArrayList<>();

    /** Children still running when the test JVM exits (a test that failed half-way) are killed with it. */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "kill-children"));
    }

    private ServerProcess(Process process) {
        this.process = process;
        RUNNING.add(process);
        pump(process.getErrorStream(), lines);
        pump(process.getInputStream(), stdout);
    }

    static ServerProcess start(Path workDir, Path configFile) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0",
                "-Dwellwatch.logDir=" + workDir.resolve("logs"),
                "-jar", shippedJar().toString(),
                "serve", "--config", configFile.toString(), "--status-every", "1h");
        pb.directory(workDir.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return new ServerProcess(pb.start());
    }

    /** The jar 'mvn package' built, as Failsafe names it; these tests run in 'mvn verify', after the package phase. */
    private static Path shippedJar() {
        String jar = System.getProperty("wellwatch.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("the shipped jar is not there (wellwatch.jar=" + jar
                    + "): the process tests (*IT) run with 'mvn verify', after 'package' has built target/wellwatch.jar");
        }
        return Path.of(jar).toAbsolutePath();
    }

    private void pump(InputStream in, List<String> into) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (this) {
                        into.add(line);
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "server-output");
        t.setDaemon(true);
        t.start();
        pumps.add(t);
    }

    /** After the process ended: waits (bounded) until its last output lines are read. */
    private void drain() throws InterruptedException {
        for (Thread t : pumps) {
            t.join(10_000);
        }
    }

    /**
     * Waits for a log line (stderr) at or after index {@code from} matching {@code regex}; returns
     * the match, or throws with the log tail when the process ends or {@code timeoutMs} passes.
     */
    synchronized Found await(int from, String regex, long timeoutMs) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.currentTimeMillis() + timeoutMs;
        int i = from;
        while (true) {
            for (; i < lines.size(); i++) {
                Matcher m = p.matcher(lines.get(i));
                if (m.find()) {
                    return new Found(i, m);
                }
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0 || !process.isAlive() && i >= lines.size()) {
                throw new AssertionError("no log line matching '" + regex + "' within " + timeoutMs + " ms"
                        + (process.isAlive() ? "" : " (process ended with exit code " + process.exitValue() + ")")
                        + "; last lines:\n" + tail(30) + "\nlast output lines:\n"
                        + String.join("\n", stdout.subList(Math.max(0, stdout.size() - 10), stdout.size())));
            }
            wait(Math.min(left, 200));
        }
    }

    /** The first log line at or after {@code from} matching {@code regex}, or null. */
    synchronized Matcher find(int from, String regex) {
        Pattern p = Pattern.compile(regex);
        for (int i = from; i < lines.size(); i++) {
            Matcher m = p.matcher(lines.get(i));
            if (m.find()) {
                return m;
            }
        }
        return null;
    }

    synchronized int lineCount() {
        return lines.size();
    }

    synchronized List<String> stdout() {
        return List.copyOf(stdout);
    }

    synchronized String tail(int n) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /** kill -9: no shutdown hook, no flush, nothing. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        RUNNING.remove(process);
        drain();
    }

    /** SIGTERM (Ctrl-C's orderly path); returns the exit code. */
    int terminate(long timeoutMs) throws InterruptedException {
        // Through the ProcessHandle: Process.destroy() also closes our ends of the child's stdout and
        // stderr at once, so the orderly stop's last lines would never be read.
        process.toHandle().destroy();
        boolean ended = process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
        RUNNING.remove(process);
        if (!ended) {
            process.destroyForcibly();
            throw new AssertionError("WellWatch did not stop within " + timeoutMs + " ms of SIGTERM; last lines:\n" + tail(30));
        }
        drain();
        return process.exitValue();
    }

    /** Waits (bounded) for the process to end by itself; returns its exit code. */
    int awaitExit(long timeoutMs) throws InterruptedException {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("WellWatch still running after " + timeoutMs + " ms; last lines:\n" + tail(30));
        }
        RUNNING.remove(process);
        drain();
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    record Found(int line, Matcher match) {
        String group(int g) {
            return match.group(g);
        }
    }
}

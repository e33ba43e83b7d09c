package io.wellwatch.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Attributes the CPU samples of a JFR recording ({@code jdk.ExecutionSample}) to the stages of the
 * pipeline: the WellWatch frame nearest the top of the stack names the stage (so Milo's work under
 * our address-space update counts as "server publish"); samples without a WellWatch frame go to the
 * library doing the work (Milo's sampling/publishing of subscriptions, Milo's client, TCP/encoding,
 * DL4J training, SQLite).
 */
final class JfrStages {

    private static final String TRAINING = "training (DL4J/ND4J)";

    private record Rule(String stage, Predicate<String> matches) {
    }

    /** WellWatch stages, most specific first. */
    private static final List<Rule> OURS = List.of(
            new Rule("detector scoring (LSTM step, loss)", c -> c.startsWith("io.wellwatch.model.")
                    || c.equals("io.wellwatch.core.ActiveModel") || c.equals("io.wellwatch.core.LossTracker")),
            new Rule("validator", c -> c.equals("io.wellwatch.core.SampleValidator")),
            new Rule("history recorder/store", c -> c.startsWith("io.wellwatch.history.")),
            new Rule("alarm condition", c -> c.startsWith("io.wellwatch.server.alarm.")),
            new Rule("server publish (well variables)", c -> c.startsWith("io.wellwatch.server.")),
            new Rule("detector (window, rules)", c -> c.startsWith("io.wellwatch.core.")),
            new Rule("assembler", c -> c.equals("io.wellwatch.upstream.SampleAssembler")),
            new Rule("upstream notification", c -> c.startsWith("io.wellwatch.upstream.")),
            new Rule("other WellWatch", c -> c.startsWith("io.wellwatch.")));

    /** Libraries, checked over the whole stack in this order. */
    private static final List<Rule> LIBRARIES = List.of(
            new Rule(TRAINING, c -> c.startsWith("org.deeplearning4j.") || c.startsWith("org.nd4j.")
                    || c.startsWith("org.bytedeco.")),
            new Rule("history recorder/store", c -> c.startsWith("org.sqlite.")),
            new Rule("Milo server: sampling + publishing subscriptions", c -> c.startsWith("org.eclipse.milo.opcua.sdk.server.subscriptions.")
                    || c.startsWith("org.eclipse.milo.opcua.sdk.server.items.")
                    || c.equals("org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel")
                    || c.startsWith("org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel$")),
            new Rule("Milo client (upstream)", c -> c.startsWith("org.eclipse.milo.opcua.sdk.client.")),
            new Rule("OPC UA stack + TCP (encode/decode, Netty)", c -> c.startsWith("io.netty.")
                    || c.startsWith("org.eclipse.milo.")),
            new Rule("logging", c -> c.startsWith("org.apache.logging.")));

    private JfrStages() {
    }

    static String summarize(Path recording) throws IOException {
        Map<String, Long> counts = new LinkedHashMap<>();
        long total = 0;
        Duration gc = Duration.ZERO;
        Duration span = null;
        java.time.Instant first = null;
        java.time.Instant last = null;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            String type = e.getEventType().getName();
            if (first == null || e.getStartTime().isBefore(first)) {
                first = e.getStartTime();
            }
            if (last == null || e.getEndTime().isAfter(last)) {
                last = e.getEndTime();
            }
            if (type.equals("jdk.GarbageCollection")) {
                gc = gc.plus(e.getDuration());
            } else if (type.equals("jdk.ExecutionSample") && e.getStackTrace() != null) {
                counts.merge(stage(e.getStackTrace().getFrames()), 1L, Long::sum);
                total++;
            }
        }
        if (first != null) {
            span = Duration.between(first, last);
        }
        long n = total;
        String shares = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(en -> String.format(Locale.ROOT, "%s %.0f%%", en.getKey(), 100.0 * en.getValue() / n))
                .collect(Collectors.joining(" | "));
        return String.format(Locale.ROOT, "%s (%d samples); GC pauses %d ms in %s s", shares, total, gc.toMillis(),
                span == null ? "?" : Long.toString(span.toSeconds()));
    }

    /** Server-side times of one sample from the pipeline events, epoch microseconds. */
    record ServerTimes(long tick, long tickWait, long publishStart, long publishEnd) {
    }

    /**
     * The {@code io.wellwatch.SampleAssembled} and {@code io.wellwatch.AssessmentPublished} events of a
     * recording, joined by well and sample time: key {@code <wellId>@<sample epoch ms>}, first sample only.
     */
    static Map<String, ServerTimes> pipelineTimes(Path recording) throws IOException {
        Map<String, RecordedEvent> assembled = new java.util.HashMap<>();
        Map<String, RecordedEvent> published = new java.util.HashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            String type = e.getEventType().getName();
            if (type.equals("io.wellwatch.SampleAssembled")) {
                assembled.putIfAbsent(e.getString("wellId") + "@" + e.getLong("sampleTimeMillis"), e);
            } else if (type.equals("io.wellwatch.AssessmentPublished")) {
                published.putIfAbsent(e.getString("wellId") + "@" + e.getLong("sampleTimeMillis"), e);
            }
        }
        Map<String, ServerTimes> out = new java.util.HashMap<>();
        assembled.forEach((key, a) -> {
            RecordedEvent p = published.get(key);
            if (p != null) {
                out.put(key, new ServerTimes(micros(a.getStartTime()), a.getLong("tickWait") / 1000,
                        micros(p.getStartTime()), micros(p.getEndTime())));
            }
        });
        return out;
    }

    private static long micros(java.time.Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    static String stage(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) { // a training steps the model too: count it as training, not scoring
            if (f.getMethod().getType().getName().equals("io.wellwatch.core.WellDetector")
                    && f.getMethod().getName().equals("train")) {
                return TRAINING;
            }
        }
        for (RecordedFrame f : frames) { // top of the stack first
            String c = f.getMethod().getType().getName();
            for (Rule r : OURS) {
                if (r.matches.test(c)) {
                    return r.stage;
                }
            }
        }
        for (Rule r : LIBRARIES) {
            for (RecordedFrame f : frames) {
                if (r.matches.test(f.getMethod().getType().getName())) {
                    return r.stage;
                }
            }
        }
        return "other (JDK, JVM)";
    }
}

package io.wellwatch.upstream;

import io.wellwatch.core.RawSample;
import io.wellwatch.core.SampleSink;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A sink that records everything in arrival order, for assertions. */
final class RecordingSink implements SampleSink {

    /** One call into the sink: a sample, or a connection state (sample == null). */
    record Event(String wellId, RawSample sample, Boolean connected) {
        boolean isSample() {
            return sample != null;
        }
    }

    private final List<Event> events = new ArrayList<>();

    @Override
    public synchronized void onSample(RawSample sample) {
        events.add(new Event(sample.wellId(), sample, null));
        notifyAll();
    }

    @Override
    public synchronized void onConnectionState(String wellId, boolean connected) {
        events.add(new Event(wellId, null, connected));
        notifyAll();
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized int size() {
        return events.size();
    }

    synchronized List<RawSample> samples(String wellId) {
        return events.stream().filter(e -> e.isSample() && e.wellId().equals(wellId)).map(Event::sample).toList();
    }

    synchronized List<Boolean> connectionStates(String wellId) {
        return events.stream().filter(e -> !e.isSample() && e.wellId().equals(wellId)).map(Event::connected).toList();
    }

    /** Waits until an event at index >= {@code from} matches; returns its index. */
    synchronized int await(int from, Predicate<Event> match, long timeoutMs, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            for (int i = from; i < events.size(); i++) {
                if (match.test(events.get(i))) {
                    return i;
                }
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what
                        + "; events since #" + from + ": " + describe(from));
            }
            wait(left);
        }
    }

    int awaitConnection(int from, String wellId, boolean connected, long timeoutMs) throws InterruptedException {
        return await(from, e -> !e.isSample() && e.wellId().equals(wellId) && e.connected() == connected,
                timeoutMs, "connected=" + connected + " of " + wellId);
    }

    int awaitSample(int from, String wellId, long timeoutMs) throws InterruptedException {
        return await(from, e -> e.isSample() && e.wellId().equals(wellId), timeoutMs, "a sample of " + wellId);
    }

    /** Waits until {@code count} samples of a well have arrived in total. */
    synchronized void awaitSampleCount(String wellId, int count, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (samples(wellId).size() < count) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("only " + samples(wellId).size() + " of " + count + " samples of " + wellId
                        + " within " + timeoutMs + " ms");
            }
            wait(left);
        }
    }

    private String describe(int from) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < events.size() && out.size() < 20; i++) {
            Event e = events.get(i);
            out.add(e.wellId() + (e.isSample() ? ":sample@" + e.sample().time() : ":connected=" + e.connected()));
        }
        return out.toString();
    }
}

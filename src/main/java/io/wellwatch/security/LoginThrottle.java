package io.wellwatch.security;

import io.wellwatch.config.LockoutConfig;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Slows password guessing without holding a thread: after {@code afterFailures} consecutive
 * failed logins of one user name, or from one client address, further attempts for it are
 * refused at once, without checking the password, for a lockout that doubles with every further
 * failure ({@code first}, 2×, 4×, ... up to {@code max}). A successful login clears the user's
 * and the address's count. Refusing immediately (instead of sleeping in the login) keeps Milo's
 * request threads free, and the bound on the number of tracked keys keeps memory flat when an
 * attacker cycles through names.
 */
public final class LoginThrottle {

    static final int MAX_TRACKED_KEYS = 10_000;

    private final int afterFailures;
    private final long firstNanos;
    private final long maxNanos;
    private final LongSupplier nanoClock;
    private final int maxKeys;
    // insertion order = order of last failure (entries are re-inserted), so the oldest goes first
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private static final class Entry {
        int failures;
        long lockedUntil;
        long lastFailure;
    }

    public LoginThrottle(int afterFailures, Duration first, Duration max, LongSupplier nanoClock, int maxKeys) {
        if (afterFailures < 1 || first.isNegative() || first.isZero() || max.compareTo(first) < 0 || maxKeys < 2) {
            throw new IllegalArgumentException("afterFailures >= 1, 0 < first <= max, maxKeys >= 2");
        }
        this.afterFailures = afterFailures;
        this.firstNanos = first.toNanos();
        this.maxNanos = max.toNanos();
        this.nanoClock = nanoClock;
        this.maxKeys = maxKeys;
    }

    /** The configured lockout on the system's monotonic clock. */
    public static LoginThrottle of(LockoutConfig lockout) {
        return new LoginThrottle(lockout.afterFailures(), Duration.ofSeconds(lockout.firstSeconds()),
                Duration.ofSeconds(lockout.maxSeconds()), System::nanoTime, MAX_TRACKED_KEYS);
    }

    /** How long the user or the address stays locked; empty when the attempt may go ahead. */
    public synchronized Optional<Duration> lockedFor(String user, String address) {
        long now = nanoClock.getAsLong();
        long remaining = Math.max(remaining(userKey(user), now), remaining(addressKey(address), now));
        return remaining > 0 ? Optional.of(Duration.ofNanos(remaining)) : Optional.empty();
    }

    /** Counts a failed login; returns the lockout it starts (zero while below the threshold). */
    public synchronized Duration recordFailure(String user, String address) {
        long now = nanoClock.getAsLong();
        long a = fail(userKey(user), now);
        long b = address == null ? 0 : fail(addressKey(address), now);
        return Duration.ofNanos(Math.max(a, b));
    }

    /** A successful login clears the counts of the user and of the address. */
    public synchronized void recordSuccess(String user, String address) {
        entries.remove(userKey(user));
        if (address != null) {
            entries.remove(addressKey(address));
        }
    }

    /** Keys tracked now (for tests of the bound). */
    synchronized int trackedKeys() {
        return entries.size();
    }

    private long remaining(String key, long now) {
        Entry e = key == null ? null : entries.get(key);
        return e == null ? 0 : Math.max(0, e.lockedUntil - now);
    }

    private long fail(String key, long now) {
        Entry e = entries.remove(key);
        if (e == null) {
            e = new Entry();
            makeRoom(now);
        }
        e.failures++;
        e.lastFailure = now;
        long lockout = 0;
        if (e.failures >= afterFailures) {
            int doublings = Math.min(e.failures - afterFailures, 40);
            lockout = Math.min(maxNanos, firstNanos << Math.min(doublings, Long.numberOfLeadingZeros(firstNanos) - 1));
            e.lockedUntil = now + lockout;
        }
        entries.put(key, e);
        return lockout;
    }

    /** Forgets keys idle for longer than the longest lockout, then the oldest, to stay within the bound. */
    private void makeRoom(long now) {
        if (entries.size() < maxKeys) {
            return;
        }
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (now - e.lastFailure > maxNanos && e.lockedUntil <= now) {
                it.remove();
            }
        }
        Iterator<Entry> oldest = entries.values().iterator();
        while (entries.size() >= maxKeys && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }

    private static String userKey(String user) {
        return "user:" + (user == null ? "" : user);
    }

    private static String addressKey(String address) {
        return address == null ? null : "address:" + address;
    }
}

package com.enterpriseadmin.store;

import com.enterpriseadmin.error.DomainException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one retry loop of optimistic writes: an attempt reads what it needs, builds its transaction and
 * commits; it answers a value when done, or empty when it lost a race (contention, a version that moved)
 * and should simply be made again from fresh reads. Attempts are separated by full-jitter backoff
 * (10 ms doubling, capped at 500 ms); after {@link #MAX_ATTEMPTS} the caller gets 503 {@code busy}.
 * Each attempt must be complete and safe to repeat in itself (conditional writes).
 */
public final class Retry {
    public static final int MAX_ATTEMPTS = 8;

    private Retry() {}

    /** One attempt; {@code attempt} counts from 0. */
    @FunctionalInterface
    public interface Attempt<T> {
        Optional<T> run(int attempt);
    }

    public static <T> T until(Attempt<T> attempt) {
        return until("the resource is busy with concurrent changes; retry the request", attempt);
    }

    /** As {@link #until(Attempt)}, with the detail the caller reads when every attempt lost. */
    public static <T> T until(String busyDetail, Attempt<T> attempt) {
        for (int n = 0; n < MAX_ATTEMPTS; n++) {
            Optional<T> done = attempt.run(n);
            if (done.isPresent()) {
                return done.get();
            }
            if (n + 1 < MAX_ATTEMPTS) {
                pause(n, busyDetail);
            }
        }
        throw new DomainException.Busy(busyDetail);
    }

    /** Sleeps the backoff that follows attempt {@code attempt} (0-based). */
    public static void pause(int attempt) {
        pause(attempt, "interrupted while waiting to retry");
    }

    static Duration backoff(int attempt) {
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(1, backoffCapMillis(attempt) + 1));
    }

    /** The most the backoff after attempt {@code attempt} (0-based) may last; the pause is uniform in [1, cap] ms (the scaling model draws it too). */
    public static long backoffCapMillis(int attempt) {
        return Math.min(500, 10L << Math.min(attempt, 6));
    }

    private static void pause(int attempt, String busyDetail) {
        try {
            Thread.sleep(backoff(attempt).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DomainException.Busy(busyDetail);
        }
    }
}

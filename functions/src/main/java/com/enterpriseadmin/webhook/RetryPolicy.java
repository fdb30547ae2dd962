package com.enterpriseadmin.webhook;

import java.time.Duration;

/**
 * When a failed delivery is tried again (docs/webhooks.md): after {@code base · 2^(n-1)} for the n-th failure,
 * at most {@code maxDelay}, while the next attempt still falls within {@code window} of the delivery's start
 * (24 h by default); then it is dead-lettered. An endpoint whose attempts all failed for {@code disableAfter}
 * (3 days by default) is disabled. Configured from the environment so that tests run it in seconds.
 */
public record RetryPolicy(Duration base, Duration maxDelay, Duration window, Duration disableAfter) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofHours(24), Duration.ofDays(3));

    /** The wait after the {@code failures}-th failed attempt (1, 2, ...). */
    public Duration delayAfter(int failures) {
        long seconds = base.toSeconds();
        for (int i = 1; i < failures && seconds < maxDelay.toSeconds(); i++) {
            seconds *= 2;
        }
        return Duration.ofSeconds(Math.min(seconds, maxDelay.toSeconds()));
    }
}

package com.enterpriseadmin.webhook;

import java.time.Instant;
import java.util.List;

/**
 * One event for one endpoint: its id is the event's id (unique per endpoint; a replayed stream record finds it
 * there), the body sent on every attempt ({@code payload}), and every attempt so far. {@code retryFrom} starts the
 * retry window (the first fan-out, or the last redelivery).
 */
public record Delivery(String orgId, String webhookId, String eventId, String eventType, Status status, int attemptCount,
                       List<Attempt> attempts, Instant createdAt, Instant retryFrom, Instant nextAttemptAt, String payload) {

    /** PENDING: an attempt is due or scheduled; SUCCEEDED: a 2xx was received; FAILED: given up (dead-lettered). */
    public enum Status { PENDING, SUCCEEDED, FAILED }

    /** One POST: its number, when, the HTTP status answered (0: none), why it failed (null: it did not), how long it took. */
    public record Attempt(int number, Instant at, int statusCode, String error, long durationMs) {
        public boolean succeeded() {
            return error == null;
        }
    }
}

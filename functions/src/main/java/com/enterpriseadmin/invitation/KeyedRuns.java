package com.enterpriseadmin.invitation;

import java.util.function.Supplier;

/**
 * Runs an operation under an {@code Idempotency-Key} (the credit feature's records, plugged in by the composition
 * root): the first request with the key runs {@code work} and its answer is stored; the same request again answers
 * the stored JSON ({@code replayed}); another request with the key is 422 {@code idempotency-key-reused}; one still
 * running is 409 {@code idempotency-request-in-flight}.
 */
@FunctionalInterface
public interface KeyedRuns {
    Answer run(String orgId, String key, String fingerprint, Supplier<String> work);

    /** The answer's JSON, and whether it is a replay of an earlier request's. */
    record Answer(String json, boolean replayed) {}
}

package com.enterpriseadmin.invitation;

import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.error.DomainException;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.observability.Log;
import com.enterpriseadmin.observability.Metrics;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bulk invitations ({@code POST /v1/organizations/{orgId}/invitations/batch}, OWNER/ADMIN): up to 100 rows, each
 * run as an ordinary invite ({@link Invitations#invite}) in its own transaction, so rows are independent: a row is
 * {@code created}, {@code already-pending} (the e-mail has an open invitation in the organization; also a repeated
 * e-mail within the batch) or {@code refused} with the problem the single invite would have answered (bad input,
 * {@code user-not-signed-up}, {@code already-a-member}, {@code unknown-team}, the daily limits
 * {@code invite-rate-limited} / {@code inviter-rate-limited}, {@code invitee-has-too-many-invitations}, …). A limit
 * reached in the middle refuses the rows beyond it, never the whole batch (no 429). The answer is stored under the
 * required {@code Idempotency-Key} ({@link KeyedRuns}): the same batch again replays it, another body with the key is
 * 422. A batch of 100 is 100 transactions, run {@value #PARALLEL_ROWS} at a time (answers in row order): when a daily
 * limit is reached during the batch, the rows refused are those that came to it last, not necessarily the last rows.
 */
public final class InvitationBatches {
    private final Policy policy;
    private final Invitations invitations;
    private final KeyedRuns runs;
    private final Json json;

    public InvitationBatches(Policy policy, Invitations invitations, KeyedRuns runs, Json json) {
        this.policy = policy;
        this.invitations = invitations;
        this.runs = runs;
        this.json = json;
    }

    /** What became of one row; {@code problem} for a refused row. */
    public record Row(int index, String email, String result, Invitations.View invitation, Problem problem) {}

    /** A refused row's problem, as the single invite would have answered it. */
    public record Problem(String code, int status, String detail, String field) {}

    public record Result(int created, int alreadyPending, int refused, List<Row> results) {}

    public KeyedRuns.Answer invite(Caller caller, String orgId, Optional<String> key, BatchInvitationRequest request) {
        policy.require(caller, orgId, Action.MANAGE_INVITATIONS);
        String idempotencyKey = key.orElseThrow(() -> new InvalidInput("idempotency-key-required", "Idempotency-Key",
                "a batch of invitations needs an Idempotency-Key header (e.g. a UUID); reuse it when you retry the batch"));
        if (idempotencyKey.length() > 255 || !idempotencyKey.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new InvalidInput("Idempotency-Key", "must be 1 to 255 visible ASCII characters");
        }
        String fingerprint = fingerprint(caller, orgId, request);
        return runs.run(orgId, idempotencyKey, fingerprint, () -> json.write(run(caller, orgId, request)));
    }

    /** Rows invited at the same time: a batch of 100 answers well inside API Gateway's 30 s (each row is ~6 calls to AWS). */
    static final int PARALLEL_ROWS = 10;

    private Result run(Caller caller, String orgId, BatchInvitationRequest request) {
        int n = request.invitations().size();
        Row[] rows = new Row[n];
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(PARALLEL_ROWS);
        Map<String, String> logContext = Log.context();
        try (java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                running.add(pool.submit(() -> {
                    Log.adopt(logContext);
                    slots.acquireUninterruptibly();
                    try {
                        rows[index] = row(caller, orgId, index, request.invitations().get(index));
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : running) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    // Not a refusal of the row (those are rows): a failure of the store or a defect, the batch's.
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
        int created = 0;
        int pending = 0;
        for (Row r : rows) {
            created += "created".equals(r.result()) ? 1 : 0;
            pending += "already-pending".equals(r.result()) ? 1 : 0;
        }
        int refused = n - created - pending;
        Log.info("invitation-batch", "rows", n, "created", created, "refused", refused);
        Metrics.count("InvitationBatchRowsRefused", refused, Map.of());
        return new Result(created, pending, refused, List.of(rows));
    }

    private Row row(Caller caller, String orgId, int i, JsonNode raw) {
        String email = raw.path("email").isTextual() ? raw.path("email").asText() : null;
        try {
            CreateInvitationRequest row = json.readBody(raw.isObject() ? raw.toString() : "[]", CreateInvitationRequest.class);
            Invitations.Invited invited = invitations.invite(caller, orgId, row);
            return new Row(i, row.email(), invited.created() ? "created" : "already-pending", invited.invitation(), null);
        } catch (DomainException refusal) {
            Object field = refusal.extensions().get("field");
            String where = "invitations[" + i + "]" + (field == null || "body".equals(field) ? "" : "." + field);
            return new Row(i, email, "refused", null, new Problem(refusal.code(), refusal.status(), refusal.detail(), where));
        }
    }

    private String fingerprint(Caller caller, String orgId, BatchInvitationRequest request) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(
                    String.join("\u001f", "POST", "invitations/batch", orgId, caller.userId(), json.write(request))
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package com.enterpriseadmin.credit;

import com.enterpriseadmin.error.DomainException;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Key;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.store.Tx;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Idempotency-Key records with Stripe's semantics for every credit write:
 * <ul>
 * <li>the first request claims the key (an IN_PROGRESS record with a short lock);</li>
 * <li>its outcome is written into the record by the SAME transaction that moves the credits
 *     ({@link #complete}), so "applied" and "remembered" commit together — a retry can never
 *     apply twice; a business refusal is remembered too ({@link #remember});</li>
 * <li>the same key with the same request replays the first outcome; with a different request it is
 *     422; while the first is still in flight it is 409;</li>
 * <li>records live 48 hours (TTL); a lock left by a crashed attempt expires after 30 seconds.</li>
 * </ul>
 * Keys are scoped to the organization; the request fingerprint covers method, route, caller and body.
 * A record keeps the outcome in domain terms: the JSON of the result's view, or the refusal.
 */
public final class Idempotency {
    public static final String HEADER = "idempotency-key";
    static final String IN_FLIGHT = "idempotency-request-in-flight";
    static final Duration RETENTION = Duration.ofHours(48);
    static final Duration LOCK = Duration.ofSeconds(30);

    private static final String TYPE = "IDEMPOTENCY";
    private static final String IN_PROGRESS = "IN_PROGRESS";
    private static final String COMPLETED = "COMPLETED";
    private static final String APPLIED = "APPLIED";
    private static final String REFUSED = "REFUSED";

    private final Db db;
    private final Json json;
    private final Clock clock;

    public Idempotency(Db db, Json json, Clock clock) {
        this.db = db;
        this.json = json;
        this.clock = clock;
    }

    /** A claimed key: this request owns it until it completes. */
    public record Claim(String orgId, String key, String lockId) {}

    /** The answer to a claim: the key is this request's, or an earlier request with it already ran. */
    public sealed interface Claimed {
        record Granted(Claim claim) implements Claimed {}

        record Earlier(Outcome outcome) implements Claimed {}
    }

    public static String validateKey(Optional<String> header) {
        String key = header.orElseThrow(() -> new InvalidInput("idempotency-key-required", "Idempotency-Key",
                "this request moves credits: send an Idempotency-Key header (e.g. a UUID) and reuse it when you retry"));
        if (key.length() > 255 || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new InvalidInput("Idempotency-Key", "must be 1 to 255 visible ASCII characters");
        }
        return key;
    }

    public static String fingerprint(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                sha.update((part == null ? "\u0000" : part).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0x1f);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 409: the request under this key is no longer this attempt's (its lock expired and another took over). */
    static DomainException.Conflict takenOver() {
        return new DomainException.Conflict(IN_FLIGHT, "another attempt with this Idempotency-Key took over; retry shortly");
    }

    public Claimed claim(String orgId, String key, String fingerprint) {
        Instant now = clock.instant();
        String lockId = Ids.newId();
        Key k = Keys.idempotency(orgId, key);
        Tx write = db.write();
        Tx.Action put = write.put(Item.of(k, TYPE)
                        .s("status", IN_PROGRESS)
                        .s("fingerprint", fingerprint)
                        .s("lockId", lockId)
                        .n("lockExpiresAtMs", now.plus(LOCK).toEpochMilli())
                        .time("createdAt", now)
                        .n(Keys.TTL, now.plus(RETENTION).getEpochSecond())
                        .build())
                .when("attribute_not_exists(#pk) OR (#status = :inProgress AND #lock < :now AND #fp = :fp)")
                .names(Map.of("#pk", Keys.PK, "#status", "status", "#lock", "lockExpiresAtMs", "#fp", "fingerprint"))
                .value(":inProgress", IN_PROGRESS).value(":now", now.toEpochMilli()).value(":fp", fingerprint)
                .label("idempotency claim").add();
        Tx.Result result;
        try {
            result = write.commit();
        } catch (RuntimeException unknown) {
            // Written or not (a timeout): give it back, so that the client's retry need not wait for the lock to expire.
            abandon(new Claim(orgId, key, lockId));
            throw unknown;
        }
        if (result.committed()) {
            return new Claimed.Granted(new Claim(orgId, key, lockId));
        }
        // The record that refused the claim comes back with the refusal: no second round trip.
        Map<String, AttributeValue> existing = result.oldItem(put).or(() -> db.get(k)).orElse(null);
        if (existing == null) {
            // Expired by TTL between the two calls: try once more.
            return claim(orgId, key, fingerprint);
        }
        if (lockId.equals(Item.str(existing, "lockId"))) {
            // Our own claim: it was written, its answer was lost, and the client sent it again (the SDK retries).
            return new Claimed.Granted(new Claim(orgId, key, lockId));
        }
        return new Claimed.Earlier(earlier(existing, fingerprint));
    }

    /**
     * What an existing record answers a request with {@code fingerprint}: the same request → its outcome
     * (replayed); another request → 422 {@code idempotency-key-reused}; the same request still running
     * (an IN_PROGRESS claim of an operation that is not one transaction) → 409 in flight.
     */
    Outcome earlier(Map<String, AttributeValue> existing, String fingerprint) {
        if (!fingerprint.equals(Item.str(existing, "fingerprint"))) {
            throw reused();
        }
        if (COMPLETED.equals(Item.str(existing, "status"))) {
            return outcomeOf(existing);
        }
        throw new DomainException.Conflict(IN_FLIGHT, "a request with this Idempotency-Key is still being processed; retry shortly");
    }

    /**
     * What an existing record answers the attempt that sent {@code view} in its transaction: that attempt's own
     * write (it landed, its answer was lost and the SDK sent it again: applied, not a replay), else {@link #earlier}.
     */
    Outcome answer(Map<String, AttributeValue> existing, String fingerprint, String view) {
        if (sameRequest(existing, fingerprint) && APPLIED.equals(Item.str(existing, "outcome")) && view.equals(Item.str(existing, "view"))) {
            return new Outcome.Applied(view, false);
        }
        return earlier(existing, fingerprint);
    }

    /**
     * After a transaction that carried the key's record ended without an answer (a timeout): the record says
     * whether it landed — this attempt's own view, or another request's outcome — or, absent, that nothing was applied.
     */
    public Optional<Outcome> afterLostAnswer(String orgId, String key, String fingerprint, String view) {
        return db.get(Keys.idempotency(orgId, key)).map(item -> answer(item, fingerprint, view));
    }

    static DomainException.Unprocessable reused() {
        return new DomainException.Unprocessable("idempotency-key-reused",
                "this Idempotency-Key was already used for a different request; use a new key for a new request");
    }

    /** Whether an existing record is of the request with {@code fingerprint}. */
    static boolean sameRequest(Map<String, AttributeValue> existing, String fingerprint) {
        return fingerprint.equals(Item.str(existing, "fingerprint"));
    }

    /**
     * Adds the record of an operation that is ONE transaction: COMPLETED with its view, created only if the
     * key was never used ({@code attribute_not_exists}). Refused, its {@code ALL_OLD} is the earlier record
     * ({@link #earlier}). No claim, no lock: applied and remembered commit together or not at all.
     */
    public Tx.Action record(Tx tx, String orgId, String key, String fingerprint, String view) {
        return tx.put(completed(orgId, key, fingerprint).s("outcome", APPLIED).s("view", view).build())
                .ifAbsent().label("idempotency record").add();
    }

    /**
     * Remembers the refusal of an operation that is one transaction under its key (a put created only if
     * the key is still unused), so that the same request answers the same refusal. When another request
     * took the key meanwhile, its record decides the answer: that outcome (same request) or 422.
     */
    public Optional<Outcome> rememberRefusal(String orgId, String key, String fingerprint, DomainException refusal) {
        Tx write = db.write();
        Tx.Action put = write.put(completed(orgId, key, fingerprint).s("outcome", REFUSED)
                        .s("refusal", json.write(RememberedRefusal.of(refusal))).build())
                .ifAbsent().label("idempotency refusal").add();
        Tx.Result result = write.commit();
        if (result.committed()) {
            return Optional.empty();
        }
        return Optional.of(result.oldItem(put).map(existing -> earlier(existing, fingerprint))
                .orElseThrow(result::unexpected));
    }

    private Item completed(String orgId, String key, String fingerprint) {
        Instant now = clock.instant();
        return Item.of(Keys.idempotency(orgId, key), TYPE)
                .s("status", COMPLETED)
                .s("fingerprint", fingerprint)
                .time("createdAt", now)
                .n(Keys.TTL, now.plus(RETENTION).getEpochSecond());
    }

    /**
     * The outcome of a completed request with this key and fingerprint, if any. Used when the caller no
     * longer passes authorization (e.g. their seat was removed after the first attempt): a retry still
     * learns that its request was applied, instead of a refusal that would invite a second spend.
     */
    public Optional<Outcome> replay(String orgId, String key, String fingerprint) {
        return db.get(Keys.idempotency(orgId, key)).flatMap(item -> replay(item, fingerprint));
    }

    /** The outcome a record holds for the request with {@code fingerprint}, if it completed. */
    public Optional<Outcome> replay(Map<String, AttributeValue> item, String fingerprint) {
        return Optional.of(item)
                .filter(i -> COMPLETED.equals(Item.str(i, "status")) && fingerprint.equals(Item.str(i, "fingerprint")))
                .map(this::outcomeOf);
    }

    /** Adds the completion of the claim (with the JSON of the result's view) to the credit transaction; it fails if the lock was lost. */
    public Tx.Action complete(Tx tx, Claim claim, String view) {
        return completion(tx, claim).set("#view = :view").name("#view", "view").value(":outcome", APPLIED).value(":view", view)
                .label("idempotency completion").add();
    }

    /**
     * Completes the claim with {@code view} in a write of its own, for an operation that is not one transaction (a
     * batch of invitations: each row commits by itself, the record remembers the answer). Answers the outcome the key
     * holds if another attempt completed it meanwhile; 409 in flight if another attempt holds it.
     */
    public Optional<Outcome> completeAlone(Claim claim, String view) {
        Tx write = db.write();
        Tx.Action done = complete(write, claim, view);
        Tx.Result result = write.commit();
        if (result.committed()) {
            return Optional.empty();
        }
        return Optional.of(completedBy(result, done).orElseThrow(Idempotency::takenOver));
    }

    /**
     * Remembers a refusal (no credits moved) so that a retry with the same key gets the same answer. Answers the
     * outcome the key already holds if it was completed meanwhile (see {@link #abandon}): that one stands.
     */
    public Optional<Outcome> remember(Claim claim, DomainException refusal) {
        Tx write = db.write();
        Tx.Action remembered = completion(write, claim).set("#refusal = :refusal").name("#refusal", "refusal")
                .value(":outcome", REFUSED).value(":refusal", json.write(RememberedRefusal.of(refusal)))
                .label("idempotency refusal").add();
        return completedBy(write.commit(), remembered);
    }

    /**
     * Gives the key back after an unexpected failure, so that a retry may run at once; or, when the record is
     * COMPLETED by then, answers its outcome: the credit transaction landed although its answer was lost (a
     * timeout after the write was applied, or a resent transaction refused by its own completion), or another
     * attempt took over after our lock expired. Either way that outcome is what the key holds, and no retry
     * may be told otherwise.
     */
    public Optional<Outcome> abandon(Claim claim) {
        Tx write = db.write();
        Tx.Action given = write.delete(Keys.idempotency(claim.orgId(), claim.key())).when("#status = :inProgress AND lockId = :lock")
                .name("#status", "status").value(":inProgress", IN_PROGRESS).value(":lock", claim.lockId())
                .label("idempotency abandon").add();
        try {
            return completedBy(write.commit(), given);
        } catch (software.amazon.awssdk.core.exception.SdkException unreachable) {
            // The lock expires by itself.
            return Optional.empty();
        }
    }

    /** The outcome of the record that refused our conditional write on it, if it is COMPLETED. */
    private Optional<Outcome> completedBy(Tx.Result result, Tx.Action ours) {
        return result.oldItem(ours).filter(item -> COMPLETED.equals(Item.str(item, "status"))).map(this::outcomeOf);
    }

    /** IN_PROGRESS (with our lock) → COMPLETED with an outcome; the caller sets what the outcome holds. */
    private static Tx.Write completion(Tx tx, Claim claim) {
        return tx.update(Keys.idempotency(claim.orgId(), claim.key()))
                .set("#status = :completed").set("#outcome = :outcome")
                .remove("lockId").remove("lockExpiresAtMs")
                .when("#status = :inProgress AND lockId = :lock")
                .name("#status", "status").name("#outcome", "outcome")
                .value(":completed", COMPLETED).value(":inProgress", IN_PROGRESS).value(":lock", claim.lockId());
    }

    private Outcome outcomeOf(Map<String, AttributeValue> item) {
        String outcome = Item.str(item, "outcome");
        if (APPLIED.equals(outcome)) {
            return new Outcome.Applied(Item.str(item, "view"), true);
        }
        if (!REFUSED.equals(outcome)) {
            throw new IllegalStateException("idempotency record without a known outcome: " + outcome);
        }
        try {
            return new Outcome.Refused(json.mapper().readValue(Item.str(item, "refusal"), RememberedRefusal.class).toException());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable remembered refusal", e);
        }
    }
}

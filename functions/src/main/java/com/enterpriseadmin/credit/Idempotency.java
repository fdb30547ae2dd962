package com.enterpriseadmin.credit;

import com.enterpriseadmin.error.DomainException;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.http.ApiResponse;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Key;
import com.enterpriseadmin.store.Keys;
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
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Idempotency-Key handling with Stripe's semantics for every credit write:
 * <ul>
 * <li>the first request claims the key (an IN_PROGRESS record with a short lock);</li>
 * <li>its outcome is written into the record by the SAME TransactWriteItems that moves the credits
 *     ({@link #completion}), so "applied" and "remembered" commit together — a retry can never
 *     apply twice; a business refusal is remembered too ({@link #completeAlone});</li>
 * <li>the same key with the same request replays the first response ({@code Idempotent-Replayed: true});
 *     with a different request it is 422; while the first is still in flight it is 409;</li>
 * <li>records live 48 hours (TTL); a lock left by a crashed attempt expires after 30 seconds.</li>
 * </ul>
 * Keys are scoped to the organization; the request fingerprint covers method, route, caller and body.
 */
public final class Idempotency {
    public static final String HEADER = "idempotency-key";
    static final Duration RETENTION = Duration.ofHours(48);
    static final Duration LOCK = Duration.ofSeconds(30);

    private final Db db;
    private final Clock clock;

    public Idempotency(Db db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** A claimed key: this request owns it until it completes. */
    public record Claim(String orgId, String key, String lockId) {}

    /** Either a claim to go ahead with, or the response to replay. */
    public record Outcome(Optional<Claim> claim, Optional<ApiResponse> replay) {}

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

    public Outcome claim(String orgId, String key, String fingerprint) {
        Instant now = clock.instant();
        String lockId = Ids.newId();
        Key k = Keys.idempotency(orgId, key);
        try {
            db.client().putItem(PutItemRequest.builder().tableName(db.table())
                    .item(Item.of(k, "IDEMPOTENCY")
                            .s("status", "IN_PROGRESS")
                            .s("fingerprint", fingerprint)
                            .s("lockId", lockId)
                            .n("lockExpiresAtMs", now.plus(LOCK).toEpochMilli())
                            .time("createdAt", now)
                            .n(Keys.TTL, now.plus(RETENTION).getEpochSecond())
                            .build())
                    .conditionExpression("attribute_not_exists(#pk) OR (#status = :inProgress AND #lock < :now AND #fp = :fp)")
                    .expressionAttributeNames(Map.of("#pk", Keys.PK, "#status", "status", "#lock", "lockExpiresAtMs", "#fp", "fingerprint"))
                    .expressionAttributeValues(Map.of(":inProgress", AttributeValue.fromS("IN_PROGRESS"),
                            ":now", AttributeValue.fromN(Long.toString(now.toEpochMilli())), ":fp", AttributeValue.fromS(fingerprint)))
                    .returnValuesOnConditionCheckFailure("ALL_OLD")
                    .build());
            return new Outcome(Optional.of(new Claim(orgId, key, lockId)), Optional.empty());
        } catch (ConditionalCheckFailedException taken) {
            // The record that refused the claim comes back with the refusal: no second round trip.
            Map<String, AttributeValue> existing = taken.hasItem() && !taken.item().isEmpty() ? taken.item() : db.get(k).orElse(null);
            if (existing == null) {
                // Expired by TTL between the two calls: try once more.
                return claim(orgId, key, fingerprint);
            }
            if (!fingerprint.equals(Item.str(existing, "fingerprint"))) {
                throw new DomainException.Unprocessable("idempotency-key-reused",
                        "this Idempotency-Key was already used for a different request; use a new key for a new request");
            }
            if ("COMPLETED".equals(Item.str(existing, "status"))) {
                return new Outcome(Optional.empty(), Optional.of(replayOf(existing)));
            }
            throw new DomainException.Conflict("idempotency-request-in-flight",
                    "a request with this Idempotency-Key is still being processed; retry shortly");
        }
    }

    /**
     * The stored response of a completed request with this key and fingerprint, if any. Used when the
     * caller no longer passes authorization (e.g. their seat was removed after the first attempt): a
     * retry still learns that its request was applied, instead of a refusal that would invite a second spend.
     */
    public Optional<ApiResponse> replay(String orgId, String key, String fingerprint) {
        return db.get(Keys.idempotency(orgId, key))
                .filter(item -> "COMPLETED".equals(Item.str(item, "status")) && fingerprint.equals(Item.str(item, "fingerprint")))
                .map(Idempotency::replayOf);
    }

    private static ApiResponse replayOf(Map<String, AttributeValue> item) {
        return ApiResponse.of((int) Item.num(item, "responseStatus"), Item.str(item, "responseType"), Item.str(item, "responseBody"))
                .withHeader("idempotent-replayed", "true");
    }

    /** The action that completes the claim inside the credit transaction (fails if the lock was lost). */
    public TransactWriteItem completion(Claim claim, ApiResponse response) {
        return TransactWriteItem.builder().update(Update.builder().tableName(db.table())
                .key(Keys.idempotency(claim.orgId(), claim.key()).toMap())
                .updateExpression("SET #status = :completed, responseStatus = :rs, responseType = :rt, responseBody = :rb REMOVE lockId, lockExpiresAtMs")
                .conditionExpression("#status = :inProgress AND lockId = :lock")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(completionValues(claim, response))
                .build()).build();
    }

    /** Remembers a refusal (no credits moved) so that a retry with the same key gets the same answer. */
    public void completeAlone(Claim claim, ApiResponse response) {
        try {
            db.client().updateItem(UpdateItemRequest.builder().tableName(db.table())
                    .key(Keys.idempotency(claim.orgId(), claim.key()).toMap())
                    .updateExpression("SET #status = :completed, responseStatus = :rs, responseType = :rt, responseBody = :rb REMOVE lockId, lockExpiresAtMs")
                    .conditionExpression("#status = :inProgress AND lockId = :lock")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(completionValues(claim, response))
                    .build());
        } catch (ConditionalCheckFailedException lockLost) {
            // Another attempt took over after our lock expired; its outcome stands.
        }
    }

    /** Gives the key back after an unexpected failure, so that a retry may run at once. */
    public void abandon(Claim claim) {
        try {
            db.client().deleteItem(DeleteItemRequest.builder().tableName(db.table())
                    .key(Keys.idempotency(claim.orgId(), claim.key()).toMap())
                    .conditionExpression("#status = :inProgress AND lockId = :lock")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":inProgress", AttributeValue.fromS("IN_PROGRESS"), ":lock", AttributeValue.fromS(claim.lockId())))
                    .build());
        } catch (software.amazon.awssdk.core.exception.SdkException ignored) {
            // Completed after all, or unreachable: the lock expires by itself.
        }
    }

    private static Map<String, AttributeValue> completionValues(Claim claim, ApiResponse response) {
        return Map.of(
                ":completed", AttributeValue.fromS("COMPLETED"),
                ":inProgress", AttributeValue.fromS("IN_PROGRESS"),
                ":lock", AttributeValue.fromS(claim.lockId()),
                ":rs", AttributeValue.fromN(Integer.toString(response.statusCode())),
                ":rt", AttributeValue.fromS(response.headers().getOrDefault("content-type", ApiResponse.JSON)),
                ":rb", AttributeValue.fromS(response.body() == null ? "" : response.body()));
    }

}

package com.enterpriseadmin.store;

import com.enterpriseadmin.error.DomainException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The table and the few mechanics every store shares: consistent reads, transactions with their
 * cancellation reasons, and jittered retries of transaction conflicts. Stores build keys with
 * {@link Keys} and items with {@link Item}; nothing outside {@code store} packages sees AWS types.
 */
public final class Db {
    private static final int MAX_ATTEMPTS = 8;

    private final DynamoDbClient client;
    private final String table;

    public Db(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    public DynamoDbClient client() { return client; }

    public String table() { return table; }

    /** A new transaction on this table ({@link Tx}). */
    public Tx tx() {
        return new Tx(this, false);
    }

    /** One conditional write of one item, with the builders of {@link Tx} ({@code commit()} sends a single-item request). */
    public Tx write() {
        return new Tx(this, true);
    }

    /**
     * Every item a query matches, page after page (the SDK's paginator), lazily. The table name is set
     * here; the request says the rest (index, key condition, filter, consistency).
     */
    public Stream<Map<String, AttributeValue>> queryAll(QueryRequest.Builder query) {
        return client.queryPaginator(query.tableName(table).build()).items().stream();
    }

    /** How many items a query matches (its filter applied), over every page. */
    public long count(QueryRequest.Builder query) {
        return client.queryPaginator(query.tableName(table).select(Select.COUNT).build()).stream().mapToLong(QueryResponse::count).sum();
    }

    /** Every item of a table scan, page after page; only for the stores' sweeps of rare item types. */
    public Stream<Map<String, AttributeValue>> scanAll(ScanRequest.Builder scan) {
        return client.scanPaginator(scan.tableName(table).build()).items().stream();
    }

    public Optional<Map<String, AttributeValue>> get(Key key) {
        Map<String, AttributeValue> item = client.getItem(GetItemRequest.builder()
                .tableName(table).key(key.toMap()).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /**
     * Reads many items by key (BatchGetItem, 100 keys a call, unprocessed keys retried with backoff);
     * absent items are absent from the result.
     */
    public Map<Key, Map<String, AttributeValue>> batchGet(java.util.Collection<Key> keys, boolean consistent) {
        Map<Key, Map<String, AttributeValue>> found = new java.util.HashMap<>();
        List<Key> distinct = List.copyOf(new java.util.LinkedHashSet<>(keys));
        for (int i = 0; i < distinct.size(); i += 100) {
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder()
                    .keys(distinct.subList(i, Math.min(distinct.size(), i + 100)).stream().map(Key::toMap).toList())
                    .consistentRead(consistent).build());
            for (int attempt = 0; !request.isEmpty(); attempt++) {
                if (attempt >= Retry.MAX_ATTEMPTS) {
                    throw contended();
                }
                BatchGetItemResponse response = client.batchGetItem(BatchGetItemRequest.builder().requestItems(request).build());
                response.responses().getOrDefault(table, List.of())
                        .forEach(item -> found.put(new Key(item.get(Keys.PK).s(), item.get(Keys.SK).s()), item));
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
                if (!request.isEmpty()) {
                    Retry.pause(attempt);
                }
            }
        }
        return found;
    }

    /**
     * Runs a TransactWriteItems. If DynamoDB cancels it, returns the cancellation reason codes
     * (one per action, {@code "None"} where that action was fine) with the items DynamoDB returned
     * for failed conditions; a successful write returns an empty list.
     */
    public List<CancellationReason> transact(List<TransactWriteItem> actions) {
        try {
            client.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(actions).build());
            return List.of();
        } catch (TransactionCanceledException e) {
            return e.hasCancellationReasons() ? e.cancellationReasons() : List.of(CancellationReason.builder().code("Unknown").build());
        }
    }

    /**
     * True when a cancellation was caused only by concurrent transactions or throttling (no condition
     * refused, nothing invalid), so the same attempt may succeed when tried again.
     */
    public static boolean onlyConflicts(List<CancellationReason> reasons) {
        boolean any = false;
        for (CancellationReason r : reasons) {
            String code = r.code();
            if ("TransactionConflict".equals(code) || "ThrottlingError".equals(code) || "ProvisionedThroughputExceeded".equals(code)) {
                any = true;
            } else if (code != null && !"None".equals(code)) {
                return false;
            }
        }
        return any;
    }

    /**
     * True when every reason is one a caller can act on: a refused condition or contention. Anything
     * else (a validation error, an item too large) is a defect, surfaced by {@link #unexpected}.
     */
    public static boolean explainable(List<CancellationReason> reasons) {
        for (CancellationReason r : reasons) {
            String code = r.code();
            if (code != null && !List.of("None", "ConditionalCheckFailed", "TransactionConflict", "ThrottlingError",
                    "ProvisionedThroughputExceeded").contains(code)) {
                return false;
            }
        }
        return true;
    }

    public static IllegalStateException unexpected(List<CancellationReason> reasons) {
        return new IllegalStateException("transaction cancelled for a reason no caller can act on: "
                + reasons.stream().map(CancellationReason::code).toList());
    }

    public static boolean failed(List<CancellationReason> reasons, int index) {
        return index < reasons.size() && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    /**
     * Retries {@code attempt} while it reports a transaction conflict (returns empty), with full
     * jitter backoff. Each attempt must be complete and idempotent in itself (conditional writes).
     */
    public static <T> T retryOnConflict(Supplier<Optional<T>> attempt) {
        for (int i = 0; i < MAX_ATTEMPTS; i++) {
            Optional<T> result = attempt.get();
            if (result.isPresent()) {
                return result.get();
            }
            sleep(backoff(i));
        }
        throw contended();
    }

    /** Sleeps the full-jitter backoff of the given attempt (0-based) before a retry. */
    public static void backoffSleep(int attempt) {
        sleep(backoff(attempt));
    }

    static Duration backoff(int attempt) {
        long capMillis = Math.min(500, 10L << Math.min(attempt, 6));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(1, capMillis + 1));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw contended();
        }
    }

    private static DomainException.Busy contended() {
        return new DomainException.Busy("the resource is busy with concurrent changes; retry the request");
    }
}

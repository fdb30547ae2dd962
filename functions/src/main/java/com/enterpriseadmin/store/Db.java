package com.enterpriseadmin.store;

import com.enterpriseadmin.error.DomainException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * The table and what every store shares: consistent reads, batched reads, paginated queries and scans,
 * and the way into writes ({@link #tx()}, {@link #write()}: see {@link Tx}). Stores build keys with
 * {@link Keys} and items with {@link Item}; no class outside the stores sees an AWS type.
 */
public final class Db {
    private final DynamoDbClient client;
    private final String table;

    public Db(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    DynamoDbClient client() { return client; }

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
     * Reads up to 100 items as ONE snapshot ({@code TransactGetItems}: serializable, no write transaction halfway
     * through); empty when DynamoDB cancelled it because one of the items was in an ongoing transaction (read again
     * later). Absent items are absent from the result.
     */
    public Optional<Map<Key, Map<String, AttributeValue>>> transactGet(List<Key> keys) {
        try {
            var response = client.transactGetItems(software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest.builder()
                    .transactItems(keys.stream().map(k -> software.amazon.awssdk.services.dynamodb.model.TransactGetItem.builder()
                            .get(g -> g.tableName(table).key(k.toMap())).build()).toList()).build());
            Map<Key, Map<String, AttributeValue>> found = new java.util.HashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                Map<String, AttributeValue> item = response.responses().get(i).item();
                if (item != null && !item.isEmpty()) {
                    found.put(keys.get(i), item);
                }
            }
            return Optional.of(found);
        } catch (software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException e) {
            return Optional.empty();
        }
    }

    private static DomainException.Busy contended() {
        return new DomainException.Busy("the resource is busy with concurrent changes; retry the request");
    }
}

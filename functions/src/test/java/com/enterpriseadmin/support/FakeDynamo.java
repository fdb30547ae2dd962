package com.enterpriseadmin.support;

import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Keys;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.paginators.QueryIterable;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.paginators.ScanIterable;

/**
 * A server-free stand-in for the DynamoDB client in unit tests: items by key for GetItem and
 * BatchGetItem, PutItem stored unconditionally, transactions RECORDED (not evaluated) so that tests can assert their
 * shape, empty queries (recorded too). Conditions are the ITs' business, against the emulator. A cancellation the
 * test asks for returns, for each action it marks ConditionalCheckFailed, the fake's item under that action's key
 * (as {@code ReturnValuesOnConditionCheckFailure=ALL_OLD} would).
 */
public final class FakeDynamo {
    public final Map<String, Map<String, AttributeValue>> items = new LinkedHashMap<>();
    public final List<TransactWriteItemsRequest> transactions = new ArrayList<>();
    /** Cancellation codes for the next transactions, one list per transaction (then they commit again). */
    public final java.util.Deque<List<String>> cancellations = new java.util.ArrayDeque<>();
    /** Single-item write requests (PutItem, UpdateItem, DeleteItem), in order. */
    public final List<Object> writes = new ArrayList<>();
    /** Single-item and batch reads (GetItem, BatchGetItem), in order. */
    public final List<Object> reads = new ArrayList<>();
    /** Run before the next transactions are recorded, one per transaction (a change "in between" a read and a write). */
    public final java.util.Deque<Runnable> beforeTransactions = new java.util.ArrayDeque<>();
    /** Query requests (pages of paginated queries included), in order. */
    public final List<QueryRequest> queries = new ArrayList<>();
    /** What a Query answers (one page); by default nothing. */
    public java.util.function.Function<QueryRequest, List<Map<String, AttributeValue>>> queryAnswers = q -> List.of();
    /**
     * A failure of the next call of {@code method} (e.g. "putItem"), made from its request: thrown instead of
     * running it, or after it ran (the write applied, its answer lost).
     */
    public record Fault(String method, boolean afterRunning, java.util.function.Function<Object, RuntimeException> error) {}

    /** Failures for the next calls, in order: the head applies when its method is called. */
    public final java.util.Deque<Fault> faults = new java.util.ArrayDeque<>();
    public final Db db;

    public FakeDynamo() {
        DynamoDbClient client = (DynamoDbClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DynamoDbClient.class},
                (proxy, method, args) -> {
                    Fault fault = faults.peek() != null && faults.peek().method().equals(method.getName()) ? faults.poll() : null;
                    if (fault != null && !fault.afterRunning()) {
                        throw fault.error().apply(args[0]);
                    }
                    Object answer = answer(proxy, method, args);
                    if (fault != null) {
                        throw fault.error().apply(args[0]);
                    }
                    return answer;
                });
        this.db = new Db(client, "table");
    }

    private Object answer(Object proxy, java.lang.reflect.Method method, Object[] args) {
        return switch (method.getName()) {
            case "getItem" -> {
                GetItemRequest r = (GetItemRequest) args[0];
                reads.add(r);
                Map<String, AttributeValue> item = items.get(key(r.key()));
                yield item == null ? GetItemResponse.builder().build() : GetItemResponse.builder().item(item).build();
            }
            case "putItem" -> {
                PutItemRequest r = (PutItemRequest) args[0];
                writes.add(r);
                items.put(key(r.item()), r.item());
                yield PutItemResponse.builder().build();
            }
            case "transactWriteItems" -> {
                TransactWriteItemsRequest r = (TransactWriteItemsRequest) args[0];
                Runnable before = beforeTransactions.poll();
                if (before != null) {
                    before.run();
                }
                transactions.add(r);
                List<String> codes = cancellations.poll();
                if (codes != null) {
                    List<CancellationReason> reasons = new ArrayList<>();
                    for (int i = 0; i < codes.size(); i++) {
                        CancellationReason.Builder reason = CancellationReason.builder().code(codes.get(i));
                        Map<String, AttributeValue> old = "ConditionalCheckFailed".equals(codes.get(i)) && i < r.transactItems().size()
                                ? items.get(key(actionKey(r.transactItems().get(i)))) : null;
                        if (old != null) {
                            reason.item(old);
                        }
                        reasons.add(reason.build());
                    }
                    throw TransactionCanceledException.builder().message("cancelled by the test").cancellationReasons(reasons).build();
                }
                yield TransactWriteItemsResponse.builder().build();
            }
            case "updateItem" -> {
                writes.add(args[0]);
                yield UpdateItemResponse.builder().build();
            }
            case "deleteItem" -> {
                DeleteItemRequest r = (DeleteItemRequest) args[0];
                writes.add(r);
                items.remove(key(r.key()));
                yield DeleteItemResponse.builder().build();
            }
            case "query" -> {
                queries.add((QueryRequest) args[0]);
                List<Map<String, AttributeValue>> answer = queryAnswers.apply((QueryRequest) args[0]);
                yield QueryResponse.builder().items(answer).count(answer.size()).build();
            }
            case "queryPaginator" -> new QueryIterable((DynamoDbClient) proxy, (QueryRequest) args[0]);
            case "scan" -> ScanResponse.builder().items(List.of()).count(0).build();
            case "scanPaginator" -> new ScanIterable((DynamoDbClient) proxy, (ScanRequest) args[0]);
            case "batchGetItem" -> {
                BatchGetItemRequest r = (BatchGetItemRequest) args[0];
                reads.add(r);
                Map<String, List<Map<String, AttributeValue>>> found = new LinkedHashMap<>();
                r.requestItems().forEach((table, keys) -> found.put(table, keys.keys().stream()
                        .map(k -> items.get(key(k))).filter(java.util.Objects::nonNull).toList()));
                yield BatchGetItemResponse.builder().responses(found).build();
            }
            case "transactGetItems" -> {
                var r = (software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest) args[0];
                reads.add(r);
                yield software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse.builder().responses(r.transactItems().stream()
                        .map(t -> software.amazon.awssdk.services.dynamodb.model.ItemResponse.builder().item(items.get(key(t.get().key()))).build())
                        .toList()).build();
            }
            case "serviceName" -> "dynamodb";
            case "close" -> null;
            case "toString" -> "FakeDynamo";
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> throw new UnsupportedOperationException(method.getName());
        };
    }

    /** The partition of every key read ({@code GetItem}, {@code BatchGetItem}) and of every Query's {@code :pk}, in order. */
    public List<String> partitionsRead() {
        List<String> partitions = new ArrayList<>();
        for (Object r : reads) {
            if (r instanceof GetItemRequest g) {
                partitions.add(g.key().get(Keys.PK).s());
            } else if (r instanceof BatchGetItemRequest b) {
                b.requestItems().values().forEach(k -> k.keys().forEach(key -> partitions.add(key.get(Keys.PK).s())));
            }
        }
        queries.forEach(q -> partitions.add(q.expressionAttributeValues().get(":pk").s()));
        return partitions;
    }

    public void put(Map<String, AttributeValue> item) {
        items.put(key(item), item);
    }

    private static Map<String, AttributeValue> actionKey(software.amazon.awssdk.services.dynamodb.model.TransactWriteItem a) {
        if (a.update() != null) {
            return a.update().key();
        }
        if (a.put() != null) {
            return a.put().item();
        }
        if (a.delete() != null) {
            return a.delete().key();
        }
        return a.conditionCheck().key();
    }

    private static String key(Map<String, AttributeValue> item) {
        return item.get(Keys.PK).s() + "|" + item.get(Keys.SK).s();
    }
}

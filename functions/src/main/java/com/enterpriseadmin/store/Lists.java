package com.enterpriseadmin.store;

import com.enterpriseadmin.error.DomainException.InvalidInput;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Paged queries with opaque cursors ({@link Cursors}). A cursor is accepted only for the partition
 * it was issued for; one DynamoDB rejects (outside the key condition) is a 400 {@code invalid-cursor}.
 * Unfiltered queries read {@code limit + 1} items, so the last page never carries a cursor to an
 * empty page; filtered ones use DynamoDB's LastEvaluatedKey (a page may then hold fewer items).
 */
public final class Lists {
    private static final int MAX_CURSOR_CHARS = 2048;

    private Lists() {}

    /** The partition a query reads: the table's {@code PK}, or an index's partition attribute. */
    public record Scope(Optional<String> index, String partitionAttribute, String sortAttribute, String partition) {
        public static Scope table(String pk) { return new Scope(Optional.empty(), Keys.PK, Keys.SK, pk); }
        public static Scope gsi1(String pk) { return new Scope(Optional.of(Keys.GSI1), Keys.GSI1PK, Keys.GSI1SK, pk); }
        public static Scope gsi2(String pk) { return new Scope(Optional.of(Keys.GSI2), Keys.GSI2PK, Keys.GSI2SK, pk); }
    }

    public static Page<Map<String, AttributeValue>> query(Db db, QueryRequest.Builder query, Scope scope,
                                                          Optional<String> cursor, int limit, boolean filtered) {
        scope.index().ifPresent(query::indexName);
        if (cursor.isPresent()) {
            if (cursor.get().length() > MAX_CURSOR_CHARS) {
                throw invalidCursor();
            }
            Map<String, AttributeValue> start = Cursors.decode(cursor.get(), scope.partitionAttribute(), scope.partition());
            // Exactly the key attributes this list issues: the table's, plus the index's for an index.
            java.util.Set<String> expected = scope.index().isPresent()
                    ? java.util.Set.of(Keys.PK, Keys.SK, scope.partitionAttribute(), scope.sortAttribute())
                    : java.util.Set.of(Keys.PK, Keys.SK);
            if (!start.keySet().equals(expected)) {
                throw invalidCursor();
            }
            query.exclusiveStartKey(start);
        }
        query.limit(filtered ? limit : limit + 1);
        QueryResponse response;
        try {
            response = db.client().query(query.build());
        } catch (DynamoDbException e) {
            if (cursor.isPresent() && e.statusCode() == 400) {
                throw invalidCursor();
            }
            throw e;
        }
        List<Map<String, AttributeValue>> items = response.items();
        if (filtered) {
            Map<String, AttributeValue> last = response.lastEvaluatedKey();
            return new Page<>(items, response.hasLastEvaluatedKey() && !last.isEmpty() ? Optional.of(Cursors.encode(last)) : Optional.empty());
        }
        if (items.size() <= limit) {
            // Fewer than asked and a LastEvaluatedKey: DynamoDB stopped at its 1 MB page, not at the end.
            Map<String, AttributeValue> last = response.lastEvaluatedKey();
            boolean cut = response.hasLastEvaluatedKey() && !last.isEmpty() && !items.isEmpty();
            return new Page<>(items, cut ? Optional.of(Cursors.encode(last)) : Optional.empty());
        }
        List<Map<String, AttributeValue>> kept = items.subList(0, limit);
        Map<String, AttributeValue> lastItem = kept.get(limit - 1);
        Map<String, AttributeValue> key = new HashMap<>();
        key.put(Keys.PK, lastItem.get(Keys.PK));
        key.put(Keys.SK, lastItem.get(Keys.SK));
        if (scope.index().isPresent()) {
            key.put(scope.partitionAttribute(), lastItem.get(scope.partitionAttribute()));
            key.put(scope.sortAttribute(), lastItem.get(scope.sortAttribute()));
        }
        return new Page<>(List.copyOf(kept), Optional.of(Cursors.encode(key)));
    }

    private static InvalidInput invalidCursor() {
        return new InvalidInput("invalid-cursor", "cursor", "the cursor is not one this list issued");
    }
}

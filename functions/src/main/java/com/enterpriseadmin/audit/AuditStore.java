package com.enterpriseadmin.audit;

import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Key;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.store.Lists;
import com.enterpriseadmin.store.Page;
import com.enterpriseadmin.store.Tx;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Audit entries: {@code ORG#{orgId}#AUDIT / {at}#{entryId}} — one partition per organization, sorted
 * by time, so the log and its {@code from/to} filters are key-range queries. Entries are only ever
 * put (create-if-absent) inside the transaction of the change they record; nothing updates them.
 */
public final class AuditStore {
    static final String TYPE = "AUDIT";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final Db db;
    private final Json json;

    public AuditStore(Db db, Json json) {
        this.db = db;
        this.json = json;
    }

    /** Adds the entry's put (create-if-absent) to the transaction of the change it records. */
    public Tx.Action record(Tx tx, AuditEntry entry) {
        return tx.put(toItem(entry)).ifAbsent().label("audit " + entry.action()).add();
    }

    /** Newest first, within [from, to). */
    public Page<AuditEntry> list(String orgId, Optional<Instant> from, Optional<Instant> to, Optional<String> cursor, int limit) {
        return list(orgId, from, to, Filter.NONE, cursor, limit);
    }

    /** Exact matches on the entry's actor, action and target id (absent: any). */
    public record Filter(Optional<String> actor, Optional<String> action, Optional<String> targetId) {
        public static final Filter NONE = new Filter(Optional.empty(), Optional.empty(), Optional.empty());

        boolean any() {
            return actor.isPresent() || action.isPresent() || targetId.isPresent();
        }
    }

    /**
     * Newest first, within [from, to), keeping the entries that match {@code filter} (a FilterExpression on the
     * organization's audit partition: a page may hold fewer than {@code limit} entries, the cursor goes on).
     */
    public Page<AuditEntry> list(String orgId, Optional<Instant> from, Optional<Instant> to, Filter filter, Optional<String> cursor, int limit) {
        String low = from.map(Ids::at).orElse("0");
        String high = to.map(t -> Ids.at(t.minusMillis(1)) + "#\uffff").orElse("\uffff");
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(db.table())
                .keyConditionExpression("PK = :pk AND SK BETWEEN :low AND :high")
                .expressionAttributeValues(Map.of(
                        ":pk", AttributeValue.fromS(Keys.audit(orgId)),
                        ":low", AttributeValue.fromS(low),
                        ":high", AttributeValue.fromS(high)))
                .scanIndexForward(false)
                .consistentRead(true);
        if (filter.any()) {
            java.util.List<String> conditions = new java.util.ArrayList<>();
            Map<String, String> names = new java.util.HashMap<>();
            Map<String, AttributeValue> values = new java.util.HashMap<>(query.build().expressionAttributeValues());
            filter.actor().ifPresent(a -> { conditions.add("#actor = :actor"); names.put("#actor", "actor"); values.put(":actor", AttributeValue.fromS(a)); });
            filter.action().ifPresent(a -> { conditions.add("#action = :action"); names.put("#action", "action"); values.put(":action", AttributeValue.fromS(a)); });
            filter.targetId().ifPresent(t -> { conditions.add("#target = :target"); names.put("#target", "targetId"); values.put(":target", AttributeValue.fromS(t)); });
            query.filterExpression(String.join(" AND ", conditions)).expressionAttributeNames(names).expressionAttributeValues(values);
        }
        return Lists.query(db, query, Lists.Scope.table(Keys.audit(orgId)), cursor, limit, filter.any()).map(this::fromItem);
    }

    Map<String, AttributeValue> toItem(AuditEntry e) {
        Key key = Keys.auditEntry(e.orgId(), Ids.at(e.at()), e.entryId());
        return Item.of(key, TYPE)
                .s("entryId", e.entryId())
                .s("orgId", e.orgId())
                .s("actor", e.actor())
                .s("action", e.action())
                .s("targetType", e.target().type())
                .s("targetId", e.target().id())
                .s("before", json.write(e.before()))
                .s("after", json.write(e.after()))
                .s("at", Ids.at(e.at()))
                .build();
    }

    AuditEntry fromItem(Map<String, AttributeValue> item) {
        return new AuditEntry(
                Item.str(item, "entryId"),
                Item.str(item, "orgId"),
                Item.str(item, "actor"),
                Item.str(item, "action"),
                new AuditEntry.Target(Item.str(item, "targetType"), Item.str(item, "targetId")),
                readMap(Item.str(item, "before")),
                readMap(Item.str(item, "after")),
                Item.time(item, "at"));
    }

    private Map<String, Object> readMap(String s) {
        if (s == null) {
            return Map.of();
        }
        try {
            return json.mapper().readValue(s, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable audit state", e);
        }
    }
}

package com.enterpriseadmin.webhook;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Key;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.store.Lists;
import com.enterpriseadmin.store.Page;
import com.enterpriseadmin.store.Tx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** Webhook endpoints and their deliveries in the table (docs/key-design.md, "Webhooks"). */
public final class WebhookStore {
    static final String TYPE = "WEBHOOK";
    static final String DELIVERY_TYPE = "WEBHOOK_DELIVERY";
    /** Deliveries are kept this long after their event (DynamoDB TTL). */
    static final Duration DELIVERY_RETENTION = Duration.ofDays(30);

    private final Db db;
    private final AuditStore audit;

    public WebhookStore(Db db, AuditStore audit) {
        this.db = db;
        this.audit = audit;
    }

    // ------------------------------------------------------------------ endpoints

    /** Creates the endpoint with its audit entry (create-if-absent: the id is fresh). */
    public void create(Webhook w, AuditEntry audited) {
        Tx tx = db.tx();
        tx.put(toItem(w)).ifAbsent().label("webhook").add();
        audit.record(tx, audited);
        if (!tx.commit().committed()) {
            throw new IllegalStateException("a fresh webhook id was taken");
        }
    }

    public Optional<Webhook> get(String orgId, String webhookId) {
        return db.get(Keys.webhook(orgId, webhookId)).map(WebhookStore::fromItem);
    }

    /** Every endpoint of the organization (few: at most {@link Webhooks#MAX_PER_ORGANIZATION}), consistent. */
    public List<Webhook> all(String orgId) {
        return db.queryAll(QueryRequest.builder()
                        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                        .expressionAttributeNames(Map.of("#pk", Keys.PK, "#sk", Keys.SK))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.org(orgId)), ":prefix", AttributeValue.fromS(Keys.WEBHOOK_PREFIX)))
                        .consistentRead(true))
                .map(WebhookStore::fromItem).toList();
    }

    /** Replaces the endpoint's settings if its version is still {@code read.version()}; false when it changed (or is gone). */
    public boolean update(Webhook read, Webhook next, AuditEntry audited) {
        Tx tx = db.tx();
        Tx.Action put = tx.put(toItem(next)).when("#v = :v").name("#v", "version").value(":v", read.version()).label("webhook as read").add();
        audit.record(tx, audited);
        return tx.commit().committedUnlessRaced(put);
    }

    /** Deletes the endpoint if its version is still the one read (its deliveries expire with their TTL). */
    public boolean delete(Webhook read, AuditEntry audited) {
        Tx tx = db.tx();
        Tx.Action del = tx.delete(Keys.webhook(read.orgId(), read.webhookId())).when("#v = :v").name("#v", "version")
                .value(":v", read.version()).label("webhook as read").add();
        audit.record(tx, audited);
        return tx.commit().committedUnlessRaced(del);
    }

    /** A failed attempt: the endpoint's failing run starts now unless it already started. */
    public void markFailing(String orgId, String webhookId, Instant now) {
        once(t -> t.update(Keys.webhook(orgId, webhookId)).set("#f = if_not_exists(#f, :now)").name("#f", "failingSince")
                .value(":now", Ids.at(now)).ifExists().label("webhook failing").add());
    }

    /** A successful attempt: the endpoint is healthy again. */
    public void markHealthy(String orgId, String webhookId) {
        once(t -> t.update(Keys.webhook(orgId, webhookId)).remove("#f").name("#f", "failingSince")
                .when("attribute_exists(#f)").label("webhook healthy").add());
    }

    /** ENABLED → DISABLED with the reason, if still enabled and failing since {@code failingSince}; audited (actor {@code system}). */
    public boolean disable(Webhook read, String reason, Instant now, AuditEntry audited) {
        Tx tx = db.tx();
        Tx.Action upd = tx.update(Keys.webhook(read.orgId(), read.webhookId()))
                .set("#s = :disabled").set("#r = :reason").set("#u = :now").set("#v = #v + :one")
                .when("#s = :enabled AND #v = :read")
                .name("#s", "status").name("#r", "disabledReason").name("#u", "updatedAt").name("#v", "version")
                .value(":disabled", Webhook.Status.DISABLED.name()).value(":enabled", Webhook.Status.ENABLED.name())
                .value(":reason", reason).value(":now", Ids.at(now)).value(":one", 1).value(":read", read.version())
                .label("webhook enabled as read").add();
        audit.record(tx, audited);
        return tx.commit().committedUnlessRaced(upd);
    }

    /** One conditional write of one item; true when it was applied. */
    private boolean once(java.util.function.Consumer<Tx> build) {
        Tx w = db.write();
        build.accept(w);
        return w.commit().committed();
    }

    static Map<String, AttributeValue> toItem(Webhook w) {
        Item item = Item.of(Keys.webhook(w.orgId(), w.webhookId()), TYPE)
                .s("webhookId", w.webhookId()).s("orgId", w.orgId()).s("url", w.url()).strings("eventTypes", w.eventTypes())
                .s("description", w.description()).s("status", w.status().name()).s("disabledReason", w.disabledReason())
                .s("createdAt", Ids.at(w.createdAt())).s("updatedAt", Ids.at(w.updatedAt()))
                .s("failingSince", w.failingSince() == null ? null : Ids.at(w.failingSince()))
                .n("version", w.version()).s("secret", w.secret());
        return item.build();
    }

    static Webhook fromItem(Map<String, AttributeValue> item) {
        return new Webhook(Item.str(item, "webhookId"), Item.str(item, "orgId"), Item.str(item, "url"), Item.strings(item, "eventTypes"),
                Item.str(item, "description"), Webhook.Status.valueOf(Item.str(item, "status")), Item.str(item, "disabledReason"),
                Item.time(item, "createdAt"), Item.time(item, "updatedAt"), Item.time(item, "failingSince"), Item.num(item, "version"),
                Item.str(item, "secret"));
    }

    // ------------------------------------------------------------------ deliveries

    /** Puts the delivery if it is not there yet (a replayed event finds it); true when this call created it. */
    public boolean putIfAbsent(Delivery d) {
        Key key = Keys.webhookDelivery(d.orgId(), d.webhookId(), d.eventId());
        Map<String, AttributeValue> item = Item.of(key, DELIVERY_TYPE)
                .s("orgId", d.orgId()).s("webhookId", d.webhookId()).s("eventId", d.eventId()).s("eventType", d.eventType())
                .s("status", d.status().name()).n("attemptCount", d.attemptCount()).attr("attempts", AttributeValue.fromL(List.of()))
                .s("createdAt", Ids.at(d.createdAt())).s("retryFrom", Ids.at(d.retryFrom())).s("payload", d.payload())
                .n(Keys.TTL, d.createdAt().plus(DELIVERY_RETENTION).getEpochSecond())
                .build();
        return once(t -> t.put(item).ifAbsent().label("delivery").add());
    }

    public Optional<Delivery> delivery(String orgId, String webhookId, String eventId) {
        return db.get(Keys.webhookDelivery(orgId, webhookId, eventId)).map(WebhookStore::deliveryFromItem);
    }

    /** Newest first. */
    public Page<Delivery> deliveries(String orgId, String webhookId, Optional<String> cursor, int limit) {
        String pk = Keys.webhookDeliveries(orgId, webhookId);
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(db.table())
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", Keys.PK, "#sk", Keys.SK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk), ":prefix", AttributeValue.fromS(Keys.DELIVERY_PREFIX)))
                .scanIndexForward(false).consistentRead(true);
        return Lists.query(db, query, Lists.Scope.table(pk), cursor, limit, false).map(WebhookStore::deliveryFromItem);
    }

    /**
     * Claims attempt {@code attempt}: the attempt count moves from {@code attempt - 1} to {@code attempt} if the delivery is
     * still PENDING. False when another message claimed it first (a duplicate) or the delivery moved on.
     */
    public boolean claim(String orgId, String webhookId, String eventId, int attempt) {
        return once(t -> t.update(Keys.webhookDelivery(orgId, webhookId, eventId))
                .set("#n = :attempt").when("#n = :previous AND #s = :pending")
                .name("#n", "attemptCount").name("#s", "status")
                .value(":attempt", attempt).value(":previous", attempt - 1).value(":pending", Delivery.Status.PENDING.name())
                .label("delivery attempt as read").add());
    }

    /** Records the claimed attempt's outcome and the delivery's next status (next attempt time when PENDING). */
    public void record(String orgId, String webhookId, String eventId, Delivery.Attempt a, Delivery.Status status, Instant nextAttemptAt) {
        Map<String, AttributeValue> attempt = new java.util.HashMap<>();
        attempt.put("number", AttributeValue.fromN(Integer.toString(a.number())));
        attempt.put("at", AttributeValue.fromS(Ids.at(a.at())));
        attempt.put("statusCode", AttributeValue.fromN(Integer.toString(a.statusCode())));
        attempt.put("durationMs", AttributeValue.fromN(Long.toString(a.durationMs())));
        if (a.error() != null) {
            attempt.put("error", AttributeValue.fromS(a.error()));
        }
        Tx w = db.write();
        Tx.Write upd = w.update(Keys.webhookDelivery(orgId, webhookId, eventId))
                .set("#a = list_append(if_not_exists(#a, :empty), :attempt)").set("#s = :status")
                .when("#n = :n")
                .name("#a", "attempts").name("#s", "status").name("#n", "attemptCount")
                .value(":empty", AttributeValue.fromL(List.of())).value(":attempt", AttributeValue.fromL(List.of(AttributeValue.fromM(attempt))))
                .value(":status", status.name()).value(":n", a.number()).label("delivery attempt as claimed");
        if (nextAttemptAt != null) {
            upd.set("#next = :next").name("#next", "nextAttemptAt").value(":next", Ids.at(nextAttemptAt));
        } else {
            upd.remove("#next").name("#next", "nextAttemptAt");
        }
        upd.add();
        w.commit();
    }

    /** A redelivery: PENDING again with a new retry window, whatever it was, unless it is already being retried from that attempt. */
    public boolean restart(Delivery read, Instant now) {
        return once(t -> t.update(Keys.webhookDelivery(read.orgId(), read.webhookId(), read.eventId()))
                .set("#s = :pending").set("#from = :now").remove("#next")
                .when("#n = :n")
                .name("#s", "status").name("#from", "retryFrom").name("#next", "nextAttemptAt").name("#n", "attemptCount")
                .value(":pending", Delivery.Status.PENDING.name()).value(":now", Ids.at(now)).value(":n", read.attemptCount())
                .label("delivery as read").add());
    }

    static Delivery deliveryFromItem(Map<String, AttributeValue> item) {
        List<Delivery.Attempt> attempts = new ArrayList<>();
        AttributeValue raw = item.get("attempts");
        if (raw != null && raw.hasL()) {
            for (AttributeValue v : raw.l()) {
                Map<String, AttributeValue> m = v.m();
                attempts.add(new Delivery.Attempt((int) Item.num(m, "number"), Item.time(m, "at"), (int) Item.num(m, "statusCode"),
                        Item.str(m, "error"), Item.num(m, "durationMs")));
            }
        }
        return new Delivery(Item.str(item, "orgId"), Item.str(item, "webhookId"), Item.str(item, "eventId"), Item.str(item, "eventType"),
                Delivery.Status.valueOf(Item.str(item, "status")), (int) Item.num(item, "attemptCount"), attempts,
                Item.time(item, "createdAt"), Item.time(item, "retryFrom"), Item.time(item, "nextAttemptAt"), Item.str(item, "payload"));
    }
}

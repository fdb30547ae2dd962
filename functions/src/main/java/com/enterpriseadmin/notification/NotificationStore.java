package com.enterpriseadmin.notification;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Key;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.store.Tx;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * What the notifier reads and writes: the sent-markers that make each e-mail go out once, the budget alert items
 * (one conditional put per scope, period, threshold and direction), and the reads an e-mail needs (names, the
 * recipients of an alert). Keys in {@link Keys}, items in docs/key-design.md ("Notifications and alerts").
 */
public final class NotificationStore {
    /** How long a sent-marker is kept: longer than any replay of the stream (24 h) and any retry. */
    static final Duration MARKER_TTL = Duration.ofDays(30);

    /** Someone to tell: a user id (for the sent-marker) and an e-mail address. */
    public record Recipient(String userId, String email) {}

    private final Db db;
    private final AuditStore audit;

    public NotificationStore(Db db, AuditStore audit) {
        this.db = db;
        this.audit = audit;
    }

    /**
     * Sets a team's alert thresholds ({@code alertThresholds}, a number set; the team's {@code version} is not its
     * budget's and stays) with its audit entry; false when the team does not exist.
     */
    public boolean setThresholds(String orgId, String teamId, List<Integer> thresholds, AuditEntry audited) {
        Tx tx = db.tx();
        Tx.Action team = tx.update(Keys.team(orgId, teamId)).set("alertThresholds = :t")
                .value(":t", AttributeValue.fromNs(thresholds.stream().map(String::valueOf).toList())).ifExists().label("team thresholds").add();
        audit.record(tx, audited);
        Tx.Result result = tx.commit();
        if (result.committed()) {
            return true;
        }
        if (result.failed(team)) {
            return false;
        }
        throw new com.enterpriseadmin.error.DomainException.Busy("the team is busy with concurrent changes; retry the request");
    }

    /** Claims the sending of one e-mail: true if nobody had (create-if-absent of its sent-marker). */
    public boolean claim(String dedupeKey, Instant now) {
        Tx write = db.write();
        write.put(Item.of(Keys.notificationSent(dedupeKey), "NOTIFICATION_SENT").time("at", now)
                .n(Keys.TTL, now.plus(MARKER_TTL).getEpochSecond()).build()).ifAbsent().add();
        return write.commit().committed();
    }

    /** Gives a claim back after the e-mail was not accepted: the retry of the record sends it. */
    public void release(String dedupeKey) {
        Tx write = db.write();
        write.delete(Keys.notificationSent(dedupeKey)).add();
        write.commit();
    }

    public Optional<Map<String, AttributeValue>> get(Key key) {
        return db.get(key);
    }

    /** The organization's credits across its escrow lanes as read now: lane 0's {@code purchased} and the lanes' {@code available}. */
    public record LaneTotals(long purchased, long available) {}

    /** Reads lane 0 (the account item) and every further lane item it counts ({@code laneItems}, at most 64; off the request path). */
    public LaneTotals laneTotals(String orgId) {
        Map<String, AttributeValue> lane0 = db.get(Keys.account(orgId)).orElse(Map.of());
        long available = Item.num(lane0, "available");
        for (int i = 1; i < Math.max(1, Item.num(lane0, "laneItems")); i++) {
            available += db.get(Keys.accountLane(orgId, i)).map(l -> Item.num(l, "available")).orElse(0L);
        }
        return new LaneTotals(Item.num(lane0, "purchased"), available);
    }

    /**
     * Records a budget alert once: a CROSSED alert is put if absent; a RECOVERED one only if its CROSSED alert
     * exists (nobody was told of a crossing that never fired) and is absent. Answers whether the alert exists now
     * (created by this call or by an earlier delivery of the same change).
     */
    public boolean recordAlert(Alert alert) {
        if (alert.direction() == BudgetAlerts.Direction.CROSSED) {
            Tx write = db.write();
            write.put(alert.toItem()).ifAbsent().label("alert put").add();
            write.commit(); // committed, or refused because it exists: either way it exists
            return true;
        }
        Tx tx = db.tx();
        Tx.Action crossed = tx.check(Keys.alert(alert.orgId(), alert.scope(), alert.period(), alert.threshold(),
                BudgetAlerts.Direction.CROSSED.name())).ifExists().label("crossed alert exists").add();
        Tx.Action put = tx.put(alert.toItem()).ifAbsent().label("alert put").add();
        Tx.Result result = tx.commit();
        if (result.committed()) {
            return true;
        }
        if (result.failed(crossed)) {
            return false;
        }
        if (result.failed(put)) {
            return true;
        }
        throw result.unexpected();
    }

    /**
     * Sets (or, with null, removes) the organization's low-balance alert ({@code lowBalanceAlert} on the organization
     * item: {@code amount} or {@code percentOfPurchased}; the organization's {@code version} stays) with its audit
     * entry; false when the organization does not exist.
     */
    public boolean setLowBalance(String orgId, Map<String, AttributeValue> setting, AuditEntry audited) {
        Tx tx = db.tx();
        Tx.Write update = tx.update(Keys.organization(orgId));
        if (setting == null) {
            update.remove("lowBalanceAlert");
        } else {
            update.set("lowBalanceAlert = :s").value(":s", AttributeValue.fromM(setting));
        }
        Tx.Action org = update.ifExists().label("organization low-balance alert").add();
        audit.record(tx, audited);
        Tx.Result result = tx.commit();
        if (result.committed()) {
            return true;
        }
        if (result.failed(org)) {
            return false;
        }
        throw new com.enterpriseadmin.error.DomainException.Busy("the organization is busy with concurrent changes; retry the request");
    }

    /** The organization's alert items, newest first. */
    public List<Alert> alerts(String orgId) {
        return db.queryAll(QueryRequest.builder().keyConditionExpression("PK = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.alerts(orgId)))).consistentRead(true))
                .map(Alert::fromItem)
                .sorted((a, b) -> b.at().compareTo(a.at()))
                .toList();
    }

    /**
     * Who hears of a team's budget alert: the organization's active OWNER and ADMINs and the team's ADMINs, once
     * each, those with an e-mail address ({@code teamId} null: the organization's alert, OWNER and ADMINs only).
     */
    public List<Recipient> budgetRecipients(String orgId, String teamId) {
        Map<String, Recipient> out = new LinkedHashMap<>();
        db.queryAll(QueryRequest.builder().keyConditionExpression("PK = :pk AND begins_with(SK, :p)")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.org(orgId)), ":p", AttributeValue.fromS(Keys.MEMBER_PREFIX)))
                        .consistentRead(true))
                .filter(m -> "ACTIVE".equals(Item.optStr(m, "status").orElse("")))
                .filter(m -> {
                    String role = Item.optStr(m, "role").orElse("");
                    String teamRole = teamId == null ? null : Item.map(m, "teams").get(teamId);
                    return role.equals("OWNER") || role.equals("ADMIN") || "ADMIN".equals(teamRole);
                })
                .forEach(m -> Item.optStr(m, "email").ifPresent(email -> out.putIfAbsent(Item.str(m, "userId"), new Recipient(Item.str(m, "userId"), email))));
        return List.copyOf(out.values());
    }

    /**
     * A budget alert: {@code scope} {@code TEAM#{teamId}} (or {@code ORG}), its period, threshold (percent), direction,
     * the usage and limit the change left, and when it was recorded. {@code alertId} is stable: derived from the key.
     */
    public record Alert(String alertId, String orgId, String teamId, String scope, String period, long threshold,
                        BudgetAlerts.Direction direction, long usage, long limit, Instant at) {

        public static Alert of(String orgId, String teamId, BudgetAlerts.Transition t, Instant at) {
            return of(orgId, teamId, "TEAM#" + teamId, t.period(), t.threshold(), t.direction(), t.usage(), t.limit(), at);
        }

        /** An alert of {@code scope} with its stable id (a name-based UUID of its key). */
        public static Alert of(String orgId, String teamId, String scope, String period, long threshold, BudgetAlerts.Direction direction,
                               long usage, long limit, Instant at) {
            Key key = Keys.alert(orgId, scope, period, threshold, direction.name());
            String id = UUID.nameUUIDFromBytes((key.pk() + "|" + key.sk()).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
            return new Alert(id, orgId, teamId, scope, period, threshold, direction, usage, limit, at);
        }

        Map<String, AttributeValue> toItem() {
            Item item = Item.of(Keys.alert(orgId, scope, period, threshold, direction.name()), "ALERT")
                    .s("alertId", alertId).s("orgId", orgId).s("scope", scope).s("period", period).n("threshold", threshold)
                    .s("direction", direction.name()).n("usage", usage).n("limit", limit).time("at", at);
            if (teamId != null) {
                item.s("teamId", teamId);
            }
            return item.build();
        }

        static Alert fromItem(Map<String, AttributeValue> item) {
            return new Alert(Item.str(item, "alertId"), Item.str(item, "orgId"), Item.optStr(item, "teamId").orElse(null), Item.str(item, "scope"),
                    Item.str(item, "period"), Item.num(item, "threshold"), BudgetAlerts.Direction.valueOf(Item.str(item, "direction")),
                    Item.num(item, "usage"), Item.num(item, "limit"), Item.time(item, "at"));
        }
    }
}

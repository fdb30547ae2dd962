package com.enterpriseadmin.reconciliation;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Key;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.store.Tx;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The reconciliation's own items and reads (keys in {@code store/Keys}, documented in docs/credits.md and
 * docs/key-design.md): the checkpoint of each organization, the open-hold counters of its members, the
 * pending-invitation counters of its invitees, and the conditional repairs of those counters.
 */
public final class ReconciliationStore {
    static final String CHECKPOINT_TYPE = "RECONCILIATION_CHECKPOINT";
    private static final String OPEN_HOLDS = "openHolds";
    private static final String COUNT = "count";

    private final Db db;
    private final AuditStore audit;

    public ReconciliationStore(Db db, AuditStore audit) {
        this.db = db;
        this.audit = audit;
    }

    // ------------------------------------------------------------------ checkpoint

    public Checkpoint checkpoint(String orgId) {
        return db.get(Keys.reconciliationCheckpoint(orgId)).map(ReconciliationStore::checkpointFromItem).orElse(Checkpoint.EMPTY);
    }

    /**
     * Stores {@code next} if the stored checkpoint is still {@code previous} (one conditional put): two
     * workers reconciling the same organization at once (SQS delivers at least once) store one of their
     * folds, both correct. False if another run moved it first.
     */
    public boolean saveCheckpoint(String orgId, Checkpoint previous, Checkpoint next, Instant now) {
        Map<String, AttributeValue> teams = new HashMap<>();
        next.teams().forEach((id, t) -> {
            Map<String, AttributeValue> fold = new HashMap<>();
            fold.put("consumedTotal", AttributeValue.fromN(Long.toString(t.consumedTotal())));
            fold.put("held", AttributeValue.fromN(Long.toString(t.held())));
            fold.put("periodConsumed", AttributeValue.fromN(Long.toString(t.periodConsumed())));
            if (t.periodKey() != null) {
                fold.put("periodKey", AttributeValue.fromS(t.periodKey()));
            }
            teams.put(id, AttributeValue.fromM(fold));
        });
        Tx write = db.write();
        Tx.Write put = write.put(Item.of(Keys.reconciliationCheckpoint(orgId), CHECKPOINT_TYPE)
                .s("through", next.through()).n("entries", next.entries())
                .n("purchased", next.purchased()).n("consumed", next.consumed()).n("held", next.held())
                .attr("teams", AttributeValue.fromM(teams)).s("updatedAt", Ids.at(now)).build());
        if (previous == Checkpoint.EMPTY) {
            put.when("attribute_not_exists(#pk)").name("#pk", Keys.PK);
        } else {
            put.when("#through = :previous").name("#through", "through").value(":previous", previous.through());
        }
        put.label("checkpoint as read").add();
        return write.commit().committed();
    }

    static Checkpoint checkpointFromItem(Map<String, AttributeValue> item) {
        Map<String, Checkpoint.TeamFold> teams = new HashMap<>();
        AttributeValue raw = item.get("teams");
        if (raw != null && raw.hasM()) {
            raw.m().forEach((id, v) -> teams.put(id, new Checkpoint.TeamFold(Item.num(v.m(), "consumedTotal"), Item.num(v.m(), "held"),
                    v.m().containsKey("periodKey") ? v.m().get("periodKey").s() : null, Item.num(v.m(), "periodConsumed"))));
        }
        return new Checkpoint(Item.str(item, "through"), Item.num(item, "entries"), Item.num(item, "purchased"), Item.num(item, "consumed"),
                Item.num(item, "held"), teams);
    }

    // ------------------------------------------------------------------ open-hold counters

    /** Every open-hold counter of the organization: user id → stored value (consistent query of the org partition). */
    public Map<String, Long> openHoldCounters(String orgId) {
        return db.queryAll(QueryRequest.builder()
                        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                        .expressionAttributeNames(Map.of("#pk", Keys.PK, "#sk", Keys.SK))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.org(orgId)),
                                ":prefix", AttributeValue.fromS(Keys.OPEN_HOLDS_PREFIX)))
                        .consistentRead(true))
                .collect(Collectors.toMap(item -> Item.str(item, Keys.SK).substring(Keys.OPEN_HOLDS_PREFIX.length()),
                        item -> item.containsKey(OPEN_HOLDS) ? Item.num(item, OPEN_HOLDS) : 0L));
    }

    /**
     * Sets each drifting open-hold counter to the number of OPEN holds counted, only if the account's
     * {@code seq} is still {@code accountSeq} (with one account lane every placement and close moves it; with
     * more, those on other lanes move their lane's) and each counter still holds the value measured (every
     * placement and close of the member moves their counter, whatever the lane, so nothing changed their holds
     * since the measurement); moves
     * {@code seq} on, and records the audit entry (actor {@code system}). At most 98 counters at once
     * (the rest at the next run). True if written.
     */
    public boolean repairOpenHolds(String orgId, long accountSeq, List<CounterDrift> drifts, AuditEntry audited) {
        Tx tx = db.tx();
        tx.update(Keys.account(orgId)).set("#seq = #seq + :one").when("#seq = :seq").name("#seq", "seq").value(":seq", accountSeq).value(":one", 1)
                .label("account seq as measured").add();
        drifts.stream().limit(Tx.MAX_ACTIONS - 2).forEach(d -> setCounter(tx, Keys.openHolds(orgId, d.userId()), OPEN_HOLDS, d));
        audit.record(tx, audited);
        return tx.commit().committed();
    }

    // ------------------------------------------------------------------ pending-invitation counters

    /** Every person this organization ever invited (GSI1 {@code ORG#{orgId}#INVITATIONS}, the invitee ids only). */
    public Set<String> invitees(String orgId) {
        return db.queryAll(QueryRequest.builder()
                        .indexName(Keys.GSI1)
                        .keyConditionExpression("#pk = :pk")
                        .projectionExpression("inviteeUserId")
                        .expressionAttributeNames(Map.of("#pk", Keys.GSI1PK))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.orgInvitationsIndex(orgId)))))
                .map(item -> item.get("inviteeUserId"))
                .filter(v -> v != null && v.s() != null)
                .map(AttributeValue::s)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The invitee's pending-invitation counter (consistent; 0 if absent). */
    public long inviteePendingCounter(String userId) {
        return db.get(Keys.inviteePending(userId)).map(item -> item.containsKey(COUNT) ? Item.num(item, COUNT) : 0L).orElse(0L);
    }

    /**
     * How many of the invitee's invitations are PENDING and counted on their counter ({@code inviteeCounted}),
     * across organizations: their ids from GSI2 {@code INVITEE#{userId}}, their status from consistent reads
     * of the invitations themselves (the index may lag; see the caller for how that is handled).
     */
    public long countedPendingInvitations(String userId) {
        List<Key> ids = db.queryAll(QueryRequest.builder()
                        .indexName(Keys.GSI2)
                        .keyConditionExpression("#pk = :pk")
                        .projectionExpression("#id")
                        .expressionAttributeNames(Map.of("#pk", Keys.GSI2PK, "#id", "invitationId"))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.inviteeIndex(userId)))))
                .map(item -> Keys.invitation(Item.str(item, "invitationId")))
                .toList();
        return db.batchGet(ids, true).values().stream()
                .filter(inv -> "PENDING".equals(Item.str(inv, "status")) && Item.bool(inv, "inviteeCounted")
                        && userId.equals(Item.str(inv, "inviteeUserId")))
                .count();
    }

    /** Sets the invitee's counter to the count, only if it still holds the value measured; audited (actor {@code system}). */
    public boolean repairInviteeCounter(CounterDrift drift, AuditEntry audited) {
        Tx tx = db.tx();
        setCounter(tx, Keys.inviteePending(drift.userId()), COUNT, drift);
        audit.record(tx, audited);
        return tx.commit().committed();
    }

    private static void setCounter(Tx tx, Key key, String attribute, CounterDrift d) {
        tx.update(key).set("#count = :counted")
                .when(d.stored() == 0 ? "attribute_not_exists(#count) OR #count = :stored" : "#count = :stored")
                .name("#count", attribute).value(":counted", d.counted()).value(":stored", d.stored())
                .label(d.counter() + " counter of " + d.userId() + " as measured").add();
    }
}

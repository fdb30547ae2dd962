package com.enterpriseadmin.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.support.FakeDynamo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

class ReconciliationStoreTest {
    private static final Instant NOW = Instant.parse("2026-11-28T02:00:00Z");
    private final FakeDynamo dynamo = new FakeDynamo();
    private final ReconciliationStore store = new ReconciliationStore(dynamo.db, new AuditStore(dynamo.db, new Json()));

    private static AuditEntry audited(String action) {
        return AuditEntry.of("o", "system", action, AuditEntry.Target.organization("o"), Map.of(), Map.of(), NOW);
    }

    @Test
    void anOpenHoldCounterIsSetToTheCountOnlyIfNothingMovedSinceTheMeasurement() {
        store.repairOpenHolds("o", 41, List.of(new CounterDrift(CounterDrift.OPEN_HOLDS, "ada", 3, 1),
                new CounterDrift(CounterDrift.OPEN_HOLDS, "bob", 0, 2)), audited("holds.counters-reconciled"));
        List<TransactWriteItem> actions = dynamo.transactions.get(0).transactItems();
        assertEquals(4, actions.size());
        assertEquals(Keys.account("o").toMap(), actions.get(0).update().key());
        assertEquals("#seq = :seq", actions.get(0).update().conditionExpression());
        assertEquals("41", actions.get(0).update().expressionAttributeValues().get(":seq").n());
        assertEquals(Keys.openHolds("o", "ada").toMap(), actions.get(1).update().key());
        assertEquals("#count = :stored", actions.get(1).update().conditionExpression());
        assertEquals("1", actions.get(1).update().expressionAttributeValues().get(":counted").n());
        assertEquals("openHolds", actions.get(1).update().expressionAttributeNames().get("#count"));
        assertTrue(actions.get(2).update().conditionExpression().startsWith("attribute_not_exists(#count)"), "a counter that was absent");
        assertEquals("holds.counters-reconciled", actions.get(3).put().item().get("action").s());
        assertEquals("system", actions.get(3).put().item().get("actor").s());
    }

    @Test
    void anInviteeCounterIsSetToTheCountOnlyIfItStillHoldsTheValueMeasured() {
        store.repairInviteeCounter(new CounterDrift(CounterDrift.PENDING_INVITATIONS, "ada", 20, 2), audited("invitations.counter-reconciled"));
        List<TransactWriteItem> actions = dynamo.transactions.get(0).transactItems();
        assertEquals(Keys.inviteePending("ada").toMap(), actions.get(0).update().key());
        assertEquals("#count = :stored", actions.get(0).update().conditionExpression());
        assertEquals("20", actions.get(0).update().expressionAttributeValues().get(":stored").n());
        assertEquals("2", actions.get(0).update().expressionAttributeValues().get(":counted").n());
        assertEquals("invitations.counter-reconciled", actions.get(1).put().item().get("action").s());
    }

    @Test
    void theCheckpointRoundTripsAndMovesOnlyFromTheOneRead() {
        Checkpoint first = new Checkpoint("2026-11-28T01:00:00.000Z", 7, 100, 30, 5, Map.of("t", new Checkpoint.TeamFold(30, 5, "2026-11", 12)));
        assertTrue(store.saveCheckpoint("o", Checkpoint.EMPTY, first, NOW));
        assertEquals("attribute_not_exists(#pk)", ((software.amazon.awssdk.services.dynamodb.model.PutItemRequest) dynamo.writes.get(0)).conditionExpression());
        assertEquals(first, store.checkpoint("o"));
        Checkpoint second = new Checkpoint("2026-11-28T02:00:00.000Z", 9, 100, 32, 5, Map.of("t", new Checkpoint.TeamFold(32, 5, "2026-11", 14)));
        store.saveCheckpoint("o", first, second, NOW);
        var put = (software.amazon.awssdk.services.dynamodb.model.PutItemRequest) dynamo.writes.get(1);
        assertEquals("#through = :previous", put.conditionExpression());
        assertEquals(first.through(), put.expressionAttributeValues().get(":previous").s());
        assertEquals(ReconciliationStore.CHECKPOINT_TYPE, Item.str(put.item(), Keys.TYPE));
    }
}

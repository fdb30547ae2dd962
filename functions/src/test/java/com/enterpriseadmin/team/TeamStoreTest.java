package com.enterpriseadmin.team;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.store.Tx;
import com.enterpriseadmin.support.FakeDynamo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** How the team store reads a refused transaction: a domain refusal, a lost race, or a defect. */
class TeamStoreTest {
    static final String ORG = "01hzx8k2m4n6p8r0s2t4v6w8y0";
    static final String TEAM = "01hzx9a1b2c3d4e5f6g7h8j9k0";
    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    final FakeDynamo dynamo = new FakeDynamo();
    final TeamStore store = new TeamStore(dynamo.db, new AuditStore(dynamo.db, new Json()));
    final TeamMember seat = new TeamMember(ORG, TEAM, "u1", "u1@example.com", null, TeamRole.MEMBER, "admin", NOW, NOW, 1);

    AuditEntry entry() {
        return AuditEntry.of(ORG, "admin", "team.member-added", TeamMembers.target(TEAM, "u1"), Map.of(), Map.of(), NOW);
    }

    @Test
    void addingASeatIsOneTransactionOfFourActions() {
        assertEquals(TeamStore.SeatAdded.DONE, store.addMember(seat, 40, entry()));
        List<TransactWriteItem> tx = dynamo.transactions.get(0).transactItems();
        assertEquals(4, tx.size());
        assertEquals("attribute_not_exists(PK)", tx.get(0).put().conditionExpression());
        assertEquals("attribute_exists(PK) AND #status = :active AND size(teams) < :max", tx.get(1).update().conditionExpression());
        assertEquals("#status = :active", tx.get(2).update().conditionExpression());
        assertEquals("team.member-added", tx.get(3).put().item().get("action").s());
    }

    @Test
    void eachRefusedConditionIsNamed() {
        dynamo.cancellations.add(List.of("ConditionalCheckFailed", "None", "None", "None"));
        assertEquals(TeamStore.SeatAdded.ALREADY_SEATED, store.addMember(seat, 40, entry()));
        dynamo.cancellations.add(List.of("None", "None", "ConditionalCheckFailed", "None"));
        assertEquals(TeamStore.SeatAdded.TEAM_ARCHIVED, store.addMember(seat, 40, entry()));
        dynamo.cancellations.add(List.of("None", "ConditionalCheckFailed", "None", "None"));
        assertEquals(TeamStore.SeatAdded.MEMBERSHIP_REFUSED, store.addMember(seat, 40, entry()));
        dynamo.cancellations.add(List.of("None", "TransactionConflict", "None", "None"));
        assertEquals(TeamStore.SeatAdded.RETRY, store.addMember(seat, 40, entry()));
    }

    @Test
    void aLostRaceIsFalseAndAnUnexplainedRefusalThrows() {
        dynamo.cancellations.add(List.of("ConditionalCheckFailed", "None", "None", "None"));
        assertFalse(store.removeMember(seat, NOW, entry()));
        dynamo.cancellations.add(List.of("None", "None", "ConditionalCheckFailed", "None"));
        assertThrows(IllegalStateException.class, () -> store.removeMember(seat, NOW, entry()));
        assertTrue(store.removeMember(seat, NOW, entry()));
    }

    @Test
    void seatRemovalsJoinTheTransactionTheyAreGiven() {
        Tx tx = dynamo.db.tx();
        store.addSeatRemovals(tx, ORG, "u1", List.of("t1", "t2"));
        assertEquals(4, tx.size());
        assertEquals("attribute_exists(PK)", tx.actions().get(0).delete().conditionExpression());
        assertEquals("SET memberCount = memberCount - :one", tx.actions().get(1).update().updateExpression());
        assertEquals(0, dynamo.transactions.size());
    }
}

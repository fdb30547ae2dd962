package com.enterpriseadmin.credit;

import static com.enterpriseadmin.credit.CreditFakes.NOW;
import static com.enterpriseadmin.credit.CreditFakes.ORG;
import static com.enterpriseadmin.credit.CreditFakes.TEAM;
import static com.enterpriseadmin.credit.CreditFakes.USER;
import static com.enterpriseadmin.credit.CreditFakes.n;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.error.DomainException;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.reconciliation.Drift;
import com.enterpriseadmin.reconciliation.LedgerFold;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Key;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.support.FakeDynamo;
import com.enterpriseadmin.team.Budget;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Escrow lanes (docs/scaling.md): an admission debits one lane; a stale number of lanes is learned from lane 0's
 * refusal; a short lane is never the caller's refusal unless the lanes' SUM is short; a rebalance and the
 * operator's change move credit between lanes, each lane conditioned on its seq as read, never creating or
 * losing any.
 */
class LanesTest {
    private static final String CCF = "ConditionalCheckFailed";

    private final FakeDynamo dynamo = new FakeDynamo();
    private final Json json = new Json();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final AuditStore audit = new AuditStore(dynamo.db, json);
    private final CreditStore store = new CreditStore(dynamo.db, audit);
    private final Idempotency idempotency = new Idempotency(dynamo.db, json, clock);
    private final Credits credits = new Credits(CreditFakes.policy(dynamo), store, idempotency, audit, json, clock);
    private final Caller caller = new Caller(USER, Optional.empty(), false, Optional.empty());

    @BeforeEach
    void organization() {
        CreditFakes.member(dynamo, USER, OrgRole.USER);
        dynamo.put(CreditFakes.teamItem(CreditFakes.team(new Budget(Budget.Mode.SHARED_POOL, null, Budget.Period.NONE), "ALL", 0, 0, 0)));
        dynamo.put(Item.of(Keys.organization(ORG), "ORG").s("orgId", ORG).build());
    }

    /** Lane 0 (the account: purchased {@code purchased}) and lanes 1.. with the given available credits, {@code active} in use. */
    private void lanes(long purchased, int active, long... available) {
        long moved0 = available[0] - purchased;
        dynamo.put(Item.of(Keys.account(ORG), "ACCOUNT").n("purchased", purchased).n("consumed", 0).n("held", 0).n("available", available[0])
                .n("moved", moved0).n("seq", 10).n("lanes", active).n("laneItems", available.length).build());
        for (int i = 1; i < available.length; i++) {
            dynamo.put(Item.of(Keys.accountLane(ORG, i), "ACCOUNT_LANE").n("lane", i).n("consumed", 0).n("held", 0).n("available", available[i])
                    .n("moved", available[i]).n("seq", 20 + i).build());
        }
    }

    private Outcome consume(long amount) {
        return credits.consume(caller, ORG, TEAM, "key-1", new Requests.Consume(amount, null, null));
    }

    /** One cancellation of a consumption (8 actions; the account lane is action 1) by the chosen lane's condition. */
    private void laneRefuses() {
        List<String> codes = new ArrayList<>(Collections.nCopies(8, "None"));
        codes.set(1, CCF);
        dynamo.cancellations.add(codes);
    }

    private Update accountAction(int transaction) {
        return dynamo.transactions.get(transaction).transactItems().get(1).update();
    }

    private static Key keyOf(Update u) {
        return new Key(u.key().get(Keys.PK).s(), u.key().get(Keys.SK).s());
    }

    @Test
    void laneKeysHaveTheirOwnPartitionsAndLaneZeroIsTheAccountItem() {
        assertEquals(Keys.account(ORG), Keys.accountLane(ORG, 0));
        assertEquals(new Key("ORG#" + ORG + "#LANE#3", "ACCOUNT"), Keys.accountLane(ORG, 3));
    }

    @Test
    void withOneLaneAnAdmissionIsOneTransactionOnTheAccountItemAsserting_oneLane() {
        lanes(100, 1, 100);
        assertInstanceOf(Outcome.Applied.class, consume(10));
        assertEquals(1, dynamo.transactions.size());
        assertTrue(dynamo.reads.isEmpty());
        Update account = accountAction(0);
        assertEquals(Keys.account(ORG), keyOf(account));
        assertEquals(n(1), account.expressionAttributeValues().get(":lanes"));
    }

    @Test
    void aStaleNumberOfLanesIsLearnedFromLaneZerosRefusalThenTheAdmissionMovesToALaneOfTheKey() {
        lanes(400, 4, 100, 100, 100, 100);
        laneRefuses(); // lane 0 asserted one lane; its ALL_OLD says 4
        assertInstanceOf(Outcome.Applied.class, consume(10));
        assertEquals(2, dynamo.transactions.size());
        assertTrue(dynamo.reads.isEmpty(), "learned from the cancellation: nothing read");
        Update second = accountAction(1);
        int lane = Math.floorMod("key-1".hashCode() + 1, 4);
        assertEquals(Keys.accountLane(ORG, lane), keyOf(second));
        if (lane == 0) {
            assertEquals("#available >= :n AND #lanes = :lanes", second.conditionExpression());
        } else {
            assertEquals("#available >= :n", second.conditionExpression(), "only lane 0 asserts the number of lanes");
        }
    }

    @Test
    void nearExhaustionAShortLaneMovesTheAdmissionToALaneThatHoldsTheAmountWithoutAnyWrite() {
        int first = Math.floorMod("key-1".hashCode() + 1, 4);
        long[] available = {1, 1, 1, 1};
        available[(first + 2) % 4] = 40; // 43 in all: less than 12 per lane
        lanes(43, 4, available);
        laneRefuses(); // the stale one lane
        laneRefuses(); // the key's lane, short
        assertInstanceOf(Outcome.Applied.class, consume(12));
        assertEquals(3, dynamo.transactions.size(), "no rebalance: a lane held 12");
        assertEquals(Keys.accountLane(ORG, (first + 2) % 4), keyOf(accountAction(2)));
    }

    @Test
    void aShortLaneWhenNoLaneHoldsTheAmountRebalancesFromTheOthersThenAdmitsOnTheRichest() {
        lanes(20, 4, 5, 5, 5, 5);
        laneRefuses();
        laneRefuses();
        assertInstanceOf(Outcome.Applied.class, consume(12));
        assertEquals(4, dynamo.transactions.size(), "two refused attempts, the rebalance, the admission");
        List<TransactWriteItem> rebalance = dynamo.transactions.get(2).transactItems();
        long sum = 0;
        Map<Key, Long> next = new java.util.HashMap<>();
        for (TransactWriteItem action : rebalance) {
            Update u = action.update();
            long was = Long.parseLong(CreditFakes.item(dynamo, keyOf(u)).get("available").n());
            long delta = Long.parseLong(u.expressionAttributeValues().get(":delta").n());
            assertTrue(u.updateExpression().startsWith("SET #available = if_not_exists(#available, :zero) + :delta, #moved = if_not_exists(#moved, :zero) + :delta"));
            if (delta < 0) {
                assertEquals("#available >= :give", u.conditionExpression(), "a lane gives only what it holds");
                assertEquals(n(-delta), u.expressionAttributeValues().get(":give"));
            } else {
                assertEquals(null, u.conditionExpression(), "a lane receives whatever happened to it meanwhile");
            }
            assertFalse(u.updateExpression().contains("#lanes"), "a rebalance never changes the number of lanes");
            next.put(keyOf(u), was + delta);
            sum += delta;
        }
        assertEquals(0, sum, "credit moved, none created or lost");
        assertEquals(12L, next.get(Keys.account(ORG)), "the richest lane (0 on a tie) now holds the amount");
        assertEquals(Keys.account(ORG), keyOf(accountAction(3)));
        assertEquals(n(4), accountAction(3).expressionAttributeValues().get(":lanes"));
    }

    @Test
    void aShortLaneIsTheCallersRefusalOnlyWhenTheSumOfTheLanesIsShort() {
        lanes(20, 4, 5, 5, 5, 5);
        laneRefuses();
        laneRefuses();
        DomainException refusal = assertThrows(DomainException.Conflict.class, () -> consume(21));
        assertEquals("organization-credits-exhausted", refusal.code());
        assertEquals(2, dynamo.transactions.size(), "no rebalance, no third attempt");
    }

    @Test
    void anAdministratorIsToldTheSumOfTheLanes() {
        CreditFakes.member(dynamo, "admin-1", OrgRole.ADMIN);
        lanes(20, 4, 5, 5, 5, 5);
        Caller admin = new Caller("admin-1", Optional.empty(), false, Optional.empty());
        List<String> codes = new ArrayList<>(Collections.nCopies(8, "None"));
        codes.set(2, CCF); // roles learned
        dynamo.cancellations.add(codes);
        laneRefuses();
        laneRefuses();
        DomainException refusal = assertThrows(DomainException.Conflict.class,
                () -> credits.consume(admin, ORG, TEAM, "key-2", new Requests.Consume(21L, null, null)));
        assertEquals("organization-credits-exhausted", refusal.code());
        assertEquals(20L, ((Number) refusal.extensions().get("available")).longValue());
    }

    @Test
    void reportsAndTheLedgerCheckSeeTheSumOfTheLanes() {
        lanes(100, 4, 40, 30, 20, 10);
        Account account = store.account(ORG).orElseThrow();
        assertEquals(new Account(100, 0, 0, 100), account);
        AccountLanes lanes = store.lanes(ORG).orElseThrow();
        assertEquals(List.of(), LedgerFold.lanes(ORG, lanes), "moved sums to 0, no lane negative");
        assertTrue(store.sequenceNumbers(ORG).containsKey("LANE#3"), "every lane's seq guards the reconciliation's reads");
    }

    @Test
    void theReconciliationReportsALaneBelowZeroAndMovedCreditThatDoesNotSumToZero() {
        AccountLanes lanes = new AccountLanes(10, 2, List.of(new AccountLanes.Lane(0, 12, 0, 0, 2, 1), new AccountLanes.Lane(1, -1, 0, 0, -3, 1)));
        List<Drift> drifts = LedgerFold.lanes(ORG, lanes);
        assertEquals(List.of("lane-1-available-negative", "lanes-moved"), drifts.stream().map(Drift::counter).toList());
    }

    @Test
    void spreadingKeepsTheSumGivesTheTargetTheAmountAndEmptiesRetiredLanes() {
        AccountLanes lanes = new AccountLanes(103, 4, List.of(new AccountLanes.Lane(0, 100, 0, 0, 0, 1), new AccountLanes.Lane(1, 1, 0, 0, 1, 1),
                new AccountLanes.Lane(2, 1, 0, 0, 1, 1), new AccountLanes.Lane(3, 1, 0, 0, 1, 1)));
        assertArrayEquals(new long[] {28, 25, 25, 25}, lanes.spread(4, 0, 0));
        assertArrayEquals(new long[] {52, 51, 0, 0}, lanes.spread(2, 0, 0), "lowered: lanes 2 and 3 emptied");
        assertArrayEquals(new long[] {0, 0, 103, 0}, lanes.spread(4, 2, 103), "the whole sum to one lane");
        assertArrayEquals(new long[] {0, 15, 63, 25}, lanes.spread(4, 2, 63));
        assertArrayEquals(new long[] {103}, new AccountLanes(103, 1, List.of(new AccountLanes.Lane(0, 103, 0, 0, 0, 1))).spread(1, 0, 0));
    }

    @Test
    void theOperatorRaisesTheLanesInOneAuditedTransactionThatSpreadsTheCredit() {
        dynamo.put(CreditFakes.accountItem(1000, 100, 3));
        Lanes lanes = new Lanes(store, clock);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, SetLanesCommand.run(new String[] {ORG, "4", "ticket #9"}, new PrintStream(out), new PrintStream(new ByteArrayOutputStream()),
                () -> lanes));
        List<TransactWriteItem> tx = dynamo.transactions.get(0).transactItems();
        assertEquals(Keys.organization(ORG).toMap(), tx.get(0).conditionCheck().key());
        assertEquals(6, tx.size(), "organization, lane 0, three new lanes, the audit entry");
        Update lane0 = tx.get(1).update();
        assertEquals("#available >= :give AND (attribute_not_exists(#lanes) OR #lanes = :lanesRead) AND "
                + "(attribute_not_exists(#laneItems) OR #laneItems = :itemsRead)", lane0.conditionExpression(), "gives what it holds; the lanes as read");
        assertEquals(n(4), lane0.expressionAttributeValues().get(":lanes"));
        assertEquals(n(4), lane0.expressionAttributeValues().get(":items"));
        assertEquals(n(-672), lane0.expressionAttributeValues().get(":delta"), "897 available: 225 stay, 224 to each new lane");
        for (int i = 1; i < 4; i++) {
            Update lane = tx.get(1 + i).update();
            assertEquals(Keys.accountLane(ORG, i).toMap(), lane.key());
            assertEquals("attribute_not_exists(#seq)", lane.conditionExpression(), "a new lane item is created");
            assertEquals(n(224), lane.expressionAttributeValues().get(":delta"));
        }
        assertEquals("credits.lanes-set", tx.get(5).put().item().get("action").s());
        assertTrue(out.toString().contains("account lanes of " + ORG), out.toString());
    }

    @Test
    void theCommandRefusesBadInputAndAnUnknownOrganization() {
        Lanes lanes = new Lanes(store, clock);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        assertEquals(2, SetLanesCommand.run(new String[] {ORG}, quiet, quiet, () -> lanes));
        assertEquals(2, SetLanesCommand.run(new String[] {ORG, "0"}, quiet, quiet, () -> lanes));
        assertEquals(2, SetLanesCommand.run(new String[] {ORG, "65"}, quiet, quiet, () -> lanes));
        assertEquals(2, SetLanesCommand.run(new String[] {ORG, "many"}, quiet, quiet, () -> lanes));
        assertEquals(1, SetLanesCommand.run(new String[] {"not an id", "4"}, quiet, quiet, () -> lanes));
        List<String> codes = new ArrayList<>(List.of(CCF, "None", "None", "None", "None", "None"));
        dynamo.items.remove(Keys.organization(ORG).pk() + "|" + Keys.organization(ORG).sk());
        dynamo.cancellations.add(codes);
        assertEquals(1, SetLanesCommand.run(new String[] {ORG, "4"}, quiet, quiet, () -> lanes));
        assertFalse(dynamo.transactions.isEmpty());
    }

    @Test
    void aRedistributionThatWouldCreateOrLoseCreditIsADefect() {
        lanes(20, 2, 10, 10);
        Optional<AccountLanes> read = store.lanes(ORG);
        assertThrows(IllegalArgumentException.class, () -> store.redistribute(ORG, read, 2, new long[] {15, 10}, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> store.redistribute(ORG, read, 2, new long[] {25, -5}, Optional.empty()));
    }

    @Test
    void aHoldClosesOnTheLaneItWasPlacedOn() {
        Hold hold = new Hold("h1", ORG, TEAM, USER, 40, Hold.Status.OPEN, 0, NOW, NOW.plusSeconds(600), null, null).onLane(3);
        Map<String, AttributeValue> item = CreditItems.hold(hold);
        assertEquals(n(3), item.get("lane"));
        assertEquals(3, CreditItems.hold(item).lane());
        store.closeHold(hold, "ALL", 10, Hold.Status.CAPTURED, "done", NOW, CreditStore.ExpiryCondition.ANY,
                LedgerEntry.consumption("e1", NOW, TEAM, USER, "ALL", 10, null, null), CreditStore.Rider.NONE);
        assertEquals(Keys.accountLane(ORG, 3).toMap(), dynamo.transactions.get(0).transactItems().get(2).update().key());
    }

    @Test
    void withLanesEachLanesEntriesGoToItsOwnLedgerPartitionAndAPageMergesThemNewestFirst() {
        lanes(20, 2, 10, 10);
        Hold hold = new Hold("h1", ORG, TEAM, USER, 4, Hold.Status.OPEN, 0, NOW, NOW.plusSeconds(600), null, null).onLane(1);
        store.closeHold(hold, "ALL", 0, Hold.Status.RELEASED, "done", NOW, CreditStore.ExpiryCondition.ANY,
                LedgerEntry.holdPlaced("e1", NOW, hold, "ALL", null, null), CreditStore.Rider.NONE);
        Map<String, AttributeValue> entry = dynamo.transactions.get(0).transactItems().get(3).put().item();
        assertEquals("ORG#" + ORG + "#LEDGER#1", entry.get("PK").s());
        assertEquals(n(1), entry.get("lane"));

        // Lane 0 holds entries at seconds 0, 2, 4, …; lane 1 at 1, 3, 5, …: 10 entries in all.
        Map<String, List<Map<String, AttributeValue>>> partitions = new java.util.HashMap<>();
        for (int i = 0; i < 10; i++) {
            int lane = i % 2;
            LedgerEntry e = LedgerEntry.consumption("id" + i, NOW.plusSeconds(i), TEAM, USER, "ALL", 1, null, null);
            partitions.computeIfAbsent(Keys.laneLedger(ORG, lane), k -> new ArrayList<>()).add(0, CreditItems.ledger(ORG, lane, e));
        }
        dynamo.queryAnswers = q -> {
            List<Map<String, AttributeValue>> items = partitions.getOrDefault(q.expressionAttributeValues().get(":pk").s(), List.of());
            String after = q.exclusiveStartKey() == null || q.exclusiveStartKey().isEmpty() ? null : q.exclusiveStartKey().get(Keys.SK).s();
            return items.stream().filter(item -> after == null || item.get(Keys.SK).s().compareTo(after) < 0).limit(q.limit() == null ? Long.MAX_VALUE : q.limit()).toList();
        };
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = store.ledgerPage(ORG, null, null, null, cursor, 3);
            page.items().forEach(e -> seen.add(e.entryId()));
            cursor = page.nextCursor().orElse(null);
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(List.of("id9", "id8", "id7", "id6", "id5", "id4", "id3", "id2", "id1", "id0"), seen);
        assertEquals(4, pages);
        assertThrows(DomainException.InvalidInput.class, () -> store.ledgerPage(ORG, null, null, null,
                com.enterpriseadmin.store.Cursors.encode(Map.of(Keys.PK, AttributeValue.fromS("ORG#other#LEDGER"), Keys.SK, AttributeValue.fromS("x"))), 3),
                "a cursor of another organization's ledger");
        assertEquals(10, store.fullLedger(ORG).size(), "the reconciliation reads every lane's partition");
        assertEquals("id0", store.fullLedger(ORG).get(0).entryId(), "oldest first");
    }

    @Test
    void withPlentyOfCreditAShortLaneIsRefilledAtOnceAndTheAdmissionStaysOnIt() {
        int first = Math.floorMod("key-1".hashCode() + 1, 4);
        long[] available = {300, 300, 300, 300};
        available[first] = 0; // drained; the others hold far more than 12 each
        lanes(900, 4, available);
        laneRefuses();
        laneRefuses();
        assertInstanceOf(Outcome.Applied.class, consume(12));
        assertEquals(4, dynamo.transactions.size(), "two refused attempts, the rebalance, the admission");
        long given = 0;
        for (TransactWriteItem action : dynamo.transactions.get(2).transactItems()) {
            Update u = action.update();
            long delta = Long.parseLong(u.expressionAttributeValues().get(":delta").n());
            if (keyOf(u).equals(Keys.accountLane(ORG, first))) {
                assertEquals(225, delta, "the drained lane gets its share of 900");
            } else {
                assertEquals(-75, delta);
            }
            given += delta;
        }
        assertEquals(0, given);
        assertEquals(Keys.accountLane(ORG, first), keyOf(accountAction(3)), "the admission stays on its lane");
    }
}

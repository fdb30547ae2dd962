package com.enterpriseadmin.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.credit.CreditStore;
import com.enterpriseadmin.credit.LedgerEntry;
import com.enterpriseadmin.credit.UsageAggregates;
import com.enterpriseadmin.credit.UsageAggregates.Bucket;
import com.enterpriseadmin.credit.UsageAggregates.Grain;
import com.enterpriseadmin.credit.UsageAggregates.Mismatch;
import com.enterpriseadmin.credit.UsageAggregates.Totals;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.support.FakeDynamo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/** The usage aggregates checked against the ledger, and their audited, conditional repair. */
class UsageCheckTest {
    private static final Instant NOW = Instant.parse("2026-11-28T02:00:00Z");
    private static final String ORG = "o";

    private final List<LedgerEntry> ledger = List.of(
            LedgerEntry.consumption("e1", NOW, "t", "u", "ALL", 40, null, null),
            LedgerEntry.consumption("e2", NOW.plusSeconds(60), "t", "u", "ALL", 2, null, null),
            LedgerEntry.consumption("e3", NOW.minusSeconds(3 * 86_400), "t", "v", "ALL", 5, null, null));

    private static Bucket day(String user, String day) {
        return new Bucket("t", user, Grain.DAY, day);
    }

    private static Bucket month(String user, String month) {
        return new Bucket("t", user, Grain.MONTH, month);
    }

    @Test
    void aggregatesEqualToTheFoldHaveNoDrift() {
        assertEquals(List.of(), UsageCheck.check(UsageAggregates.fold(ledger), ledger));
    }

    @Test
    void aDifferentAMissingAndAnExtraAggregateAreEachReported() {
        Map<Bucket, Totals> stored = new LinkedHashMap<>(UsageAggregates.fold(ledger));
        stored.put(day("u", "2026-11-28"), new Totals(41, 2)); // one credit lost
        stored.remove(month("v", "2026-11"));                   // never written
        stored.put(day("w", "2026-11-01"), new Totals(7, 1));  // no entry behind it
        List<Mismatch> mismatches = UsageCheck.check(stored, ledger);
        assertEquals(List.of(
                new Mismatch(day("u", "2026-11-28"), new Totals(41, 2), new Totals(42, 2)),
                new Mismatch(month("v", "2026-11"), Totals.NONE, new Totals(5, 1)),
                new Mismatch(day("w", "2026-11-01"), new Totals(7, 1), Totals.NONE)), mismatches);
        assertEquals(List.of(
                new Drift(ORG, "t", "usage:DAY:2026-11-28:u:consumed", 41, 42),
                new Drift(ORG, "t", "usage:MONTH:2026-11:v:consumed", 0, 5),
                new Drift(ORG, "t", "usage:MONTH:2026-11:v:consumptions", 0, 1),
                new Drift(ORG, "t", "usage:DAY:2026-11-01:w:consumed", 7, 0),
                new Drift(ORG, "t", "usage:DAY:2026-11-01:w:consumptions", 1, 0)), UsageCheck.drifts(ORG, mismatches));
    }

    @Test
    void anIncrementalRunChecksTheTouchedDaysAgainstTheLedgerAndTheirMonthsAgainstTheDays() {
        // The run read the ledger from 2026-11-28 (the oldest new entry's day): e1 and e2. The DAY item of
        // 2026-11-25 (e3) is before that day: it is taken as stored and counts into the month's expected sum.
        List<LedgerEntry> fromTouchedDay = ledger.subList(0, 2);
        Map<Bucket, Totals> stored = new LinkedHashMap<>(UsageAggregates.fold(ledger));
        assertEquals(List.of(), new UsageCheck.Touched(java.time.LocalDate.parse("2026-11-28"), stored, fromTouchedDay).mismatches());

        // A touched day that drifted is found against the ledger; a month that drifted against its days.
        stored.put(day("u", "2026-11-28"), new Totals(41, 2));
        stored.put(month("v", "2026-11"), new Totals(6, 1));
        assertEquals(List.of(
                new Mismatch(day("u", "2026-11-28"), new Totals(41, 2), new Totals(42, 2)),
                new Mismatch(month("v", "2026-11"), new Totals(6, 1), new Totals(5, 1))),
                new UsageCheck.Touched(java.time.LocalDate.parse("2026-11-28"), stored, fromTouchedDay).mismatches());

        // A day before the touched ones is not checked again (the ledger of that day was not read).
        stored = new LinkedHashMap<>(UsageAggregates.fold(ledger));
        stored.put(day("v", "2026-11-25"), new Totals(9, 1));
        stored.put(month("v", "2026-11"), new Totals(9, 1));
        assertEquals(List.of(), new UsageCheck.Touched(java.time.LocalDate.parse("2026-11-28"), stored, fromTouchedDay).mismatches());
        assertEquals(List.of(), UsageCheck.Touched.NONE.mismatches());
    }

    @Test
    void anIncrementalRunReadsTheTouchedDayOnlyBeforeItsCheckpointAndTheNewEntriesOnce() {
        FakeDynamo dynamo = new FakeDynamo();
        CreditStore store = new CreditStore(dynamo.db, new AuditStore(dynamo.db, new Json()));
        List<LedgerEntry> since = ledger.subList(0, 2); // 02:00 and 02:01 on 2026-11-28, after the checkpoint
        String through = Ids.at(NOW.minusSeconds(3_600));

        UsageCheck.Touched touched = UsageCheck.touched(store, ORG, List.of(), since, through);
        List<QueryRequest> ledgerQueries = ledgerQueries(dynamo);
        assertEquals(1, ledgerQueries.size(), "one Query: the touched day up to the checkpoint");
        QueryRequest q = ledgerQueries.get(0);
        assertEquals("#pk = :pk AND #sk BETWEEN :from AND :to", q.keyConditionExpression());
        assertEquals("2026-11-28T00:00:00.000Z", q.expressionAttributeValues().get(":from").s());
        assertEquals(through, q.expressionAttributeValues().get(":to").s());
        assertEquals(since, touched.ledger(), "the new entries as already read, not read again");

        // No checkpoint yet (the whole ledger was read), or one before the touched day: nothing more to read.
        dynamo.queries.clear();
        assertEquals(since, UsageCheck.touched(store, ORG, List.of(), since, "").ledger());
        assertEquals(since, UsageCheck.touched(store, ORG, List.of(), since, Ids.at(NOW.minusSeconds(86_400))).ledger());
        assertEquals(List.of(), ledgerQueries(dynamo));
    }

    private static List<QueryRequest> ledgerQueries(FakeDynamo dynamo) {
        String partition = Keys.laneLedger(ORG, 0);
        return dynamo.queries.stream().filter(q -> partition.equals(q.expressionAttributeValues().get(":pk").s())).toList();
    }

    @Test
    void aRepairAddsTheDifferenceToEachItemStillAsMeasuredAndIsAuditedInTheSameTransaction() {
        FakeDynamo dynamo = new FakeDynamo();
        CreditStore store = new CreditStore(dynamo.db, new AuditStore(dynamo.db, new Json()));
        List<Mismatch> mismatches = List.of(
                new Mismatch(day("u", "2026-11-28"), new Totals(41, 2), new Totals(42, 2)),
                new Mismatch(month("v", "2026-11"), Totals.NONE, new Totals(5, 1)));
        assertEquals(2, UsageCheck.repair(store, ORG, mismatches, NOW));
        List<TransactWriteItem> tx = dynamo.transactions.get(0).transactItems();
        assertEquals(3, tx.size());
        Update first = tx.get(0).update();
        assertEquals(Keys.usageItem(ORG, "t", "DAY", "2026-11-28", "u").toMap(), first.key());
        assertEquals("1", first.expressionAttributeValues().get(":consumed").n());
        assertEquals("0", first.expressionAttributeValues().get(":consumptions").n());
        assertEquals("#consumed = :storedConsumed AND #consumptions = :storedConsumptions", first.conditionExpression());
        assertEquals("41", first.expressionAttributeValues().get(":storedConsumed").n());
        assertEquals("2", first.expressionAttributeValues().get(":storedConsumptions").n());
        Update second = tx.get(1).update();
        assertEquals("attribute_not_exists(#consumed) OR (#consumed = :zero AND #consumptions = :zero)", second.conditionExpression());
        assertEquals("5", second.expressionAttributeValues().get(":consumed").n());
        assertEquals(Keys.audit(ORG), tx.get(2).put().item().get("PK").s());
        assertEquals("usage.reconciled", tx.get(2).put().item().get("action").s());
        assertEquals("system", tx.get(2).put().item().get("actor").s());

        dynamo.cancellations.add(List.of("ConditionalCheckFailed", "None", "None"));
        assertEquals(0, UsageCheck.repair(store, ORG, mismatches, NOW), "moved since measured: not written");
    }

    @Test
    void manyRepairsAreSplitIntoTransactionsOfAtMostOneHundredActions() {
        FakeDynamo dynamo = new FakeDynamo();
        CreditStore store = new CreditStore(dynamo.db, new AuditStore(dynamo.db, new Json()));
        List<Mismatch> mismatches = new java.util.ArrayList<>();
        for (int i = 0; i < 150; i++) {
            mismatches.add(new Mismatch(day("u" + i, "2026-11-28"), Totals.NONE, new Totals(1, 1)));
        }
        assertEquals(150, UsageCheck.repair(store, ORG, mismatches, NOW));
        assertEquals(2, dynamo.transactions.size());
        assertEquals(100, dynamo.transactions.get(0).transactItems().size());
        assertEquals(52, dynamo.transactions.get(1).transactItems().size());
        assertTrue(dynamo.transactions.stream().allMatch(t -> t.transactItems().get(t.transactItems().size() - 1).put() != null), "each audited");
        assertFalse(dynamo.transactions.get(0).transactItems().get(0).update() == null);
    }
}

package com.enterpriseadmin.credit;

import static com.enterpriseadmin.credit.CreditFakes.NOW;
import static com.enterpriseadmin.credit.CreditFakes.ORG;
import static com.enterpriseadmin.credit.CreditFakes.TEAM;
import static com.enterpriseadmin.credit.CreditFakes.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.credit.UsageAggregates.Bucket;
import com.enterpriseadmin.credit.UsageAggregates.Grain;
import com.enterpriseadmin.credit.UsageAggregates.Totals;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.support.FakeDynamo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** What each kind of ledger entry adds to the usage aggregates, and how entries fold into them. */
class UsageAggregatesTest {
    private final Hold hold = new Hold(Ids.newId(), ORG, TEAM, USER, 40, Hold.Status.OPEN, 0, NOW, NOW.plusSeconds(600), null, null);

    private static Map<Bucket, Totals> dayAndMonth(String userId, String day, long consumed) {
        return Map.of(new Bucket(TEAM, userId, Grain.DAY, day), new Totals(consumed, 1),
                new Bucket(TEAM, userId, Grain.MONTH, day.substring(0, 7)), new Totals(consumed, 1));
    }

    @Test
    void consumptionsCapturesAndTeamAdjustmentsCountInTheirMembersDayAndMonth() {
        assertEquals(dayAndMonth(USER, "2026-11-28", 15), UsageAggregates.of(LedgerEntry.consumption("e1", NOW, TEAM, USER, "ALL", 15, null, null)));
        assertEquals(dayAndMonth(USER, "2026-11-28", 25), UsageAggregates.of(LedgerEntry.holdCaptured("e2", NOW, hold, "ALL", 25, null, "admin-1")),
                "a capture is the hold owner's usage, whoever captured it");
        assertEquals(dayAndMonth("reconciliation", "2026-11-28", -3),
                UsageAggregates.of(LedgerEntry.adjustment("e3", NOW, TEAM, "ALL", 0, 0, 0, -3, 7, "reconciliation: team counters")));
    }

    @Test
    void entriesThatConsumeNothingInATeamAddNothing() {
        assertEquals(Map.of(), UsageAggregates.of(LedgerEntry.holdPlaced("e1", NOW, hold, "ALL", null, null)));
        assertEquals(Map.of(), UsageAggregates.of(LedgerEntry.holdReleased("e2", NOW, hold, "ALL", null, "system")));
        assertEquals(Map.of(), UsageAggregates.of(LedgerEntry.holdCaptured("e3", NOW, hold, "ALL", 0, null, USER)), "a capture of 0");
        assertEquals(Map.of(), UsageAggregates.of(LedgerEntry.topUp("e4", NOW, "admin-1", 100, LedgerEntry.TopUpSource.GRANT, null, null)));
        assertEquals(Map.of(), UsageAggregates.of(LedgerEntry.adjustment("e5", NOW, null, null, 0, 5, 0, 0, 0, "organization counters")));
        assertEquals(Map.of(), UsageAggregates.of(LedgerEntry.adjustment("e6", NOW, TEAM, "ALL", 0, 0, 0, 0, 4, "team held only")));
    }

    @Test
    void daysAndMonthsAreUtcAndTheFoldSumsEveryEntryOfABucket() {
        Instant lastMs = Instant.parse("2026-11-30T23:59:59.999Z");
        Instant next = Instant.parse("2026-12-01T00:00:00Z");
        Map<Bucket, Totals> folded = UsageAggregates.fold(List.of(
                LedgerEntry.consumption("e1", lastMs, TEAM, USER, "ALL", 4, null, null),
                LedgerEntry.consumption("e2", lastMs, TEAM, USER, "ALL", 6, null, null),
                LedgerEntry.consumption("e3", next, TEAM, USER, "ALL", 1, null, null),
                LedgerEntry.consumption("e4", next, TEAM, "user-2", "ALL", 2, null, null),
                LedgerEntry.holdPlaced("e5", next, hold, "ALL", null, null)));
        assertEquals(Map.of(
                new Bucket(TEAM, USER, Grain.DAY, "2026-11-30"), new Totals(10, 2),
                new Bucket(TEAM, USER, Grain.MONTH, "2026-11"), new Totals(10, 2),
                new Bucket(TEAM, USER, Grain.DAY, "2026-12-01"), new Totals(1, 1),
                new Bucket(TEAM, USER, Grain.MONTH, "2026-12"), new Totals(1, 1),
                new Bucket(TEAM, "user-2", Grain.DAY, "2026-12-01"), new Totals(2, 1),
                new Bucket(TEAM, "user-2", Grain.MONTH, "2026-12"), new Totals(2, 1)), folded);
    }

    @Test
    void oneTransactionOfSeveralEntriesUpdatesEachAggregateOnceWithTheSums() {
        FakeDynamo dynamo = new FakeDynamo();
        CreditStore store = new CreditStore(dynamo.db, new AuditStore(dynamo.db, new Json()));
        List<LedgerEntry> entries = List.of(
                LedgerEntry.adjustment("a1", NOW, TEAM, "ALL", 0, 0, 0, 5, 0, "reconciliation: team counters"),
                LedgerEntry.adjustment("a2", NOW, TEAM, "OUTSIDE-PERIOD", 0, 0, 0, 2, 0, "reconciliation: team all-time consumption"));
        store.appendAdjustments(ORG, 1, Map.of(TEAM, 2L), entries,
                AuditEntry.of(ORG, "system", "credits.reconciled", AuditEntry.Target.organization(ORG), Map.of(), Map.of(), NOW));
        List<TransactWriteItem> tx = dynamo.transactions.get(0).transactItems();
        assertEquals(7, tx.size(), "2 seq guards, 2 ledger puts, 1 day + 1 month aggregate (not 2 + 2), 1 audit entry");
        CreditTransactionsTest.assertUsage(tx.get(4).update(), Grain.DAY, "2026-11-28", "reconciliation", 7, 2, null);
        CreditTransactionsTest.assertUsage(tx.get(5).update(), Grain.MONTH, "2026-11", "reconciliation", 7, 2, null);
    }
}

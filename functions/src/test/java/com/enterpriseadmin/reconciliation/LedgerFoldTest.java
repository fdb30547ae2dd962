package com.enterpriseadmin.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.credit.Account;
import com.enterpriseadmin.credit.LedgerEntry;
import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.Team;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerFoldTest {
    private static final Instant NOW = Instant.parse("2026-11-28T02:00:00Z");

    private static LedgerEntry entry(LedgerEntry.Kind kind, String team, String period, long p, long c, long h, long tc, long th) {
        return new LedgerEntry("e" + System.nanoTime(), NOW, kind, Math.abs(p + c + h), team, "u", "u", null, null, null, null, null, null, period, p, c, h, tc, th);
    }

    private static Team team(String id, long limit, String periodKey, long periodConsumed, long carry, long total, long held, long remaining) {
        return new Team("o", id, id, Team.Status.ACTIVE, new Budget(Budget.Mode.LIMITED, limit, Budget.Period.MONTHLY), periodKey,
                periodConsumed, carry, total, held, remaining, 1, 1, NOW, null);
    }

    private final List<LedgerEntry> ledger = List.of(
            entry(LedgerEntry.Kind.TOP_UP, null, null, 1000, 0, 0, 0, 0),
            entry(LedgerEntry.Kind.CONSUMPTION, "t", "2026-10", 0, 40, 0, 40, 0),
            entry(LedgerEntry.Kind.CONSUMPTION, "t", "2026-11", 0, 30, 0, 30, 0),
            entry(LedgerEntry.Kind.HOLD_PLACED, "t", "2026-11", 0, 0, 50, 0, 50),
            entry(LedgerEntry.Kind.HOLD_CAPTURED, "t", "2026-11", 0, 20, -50, 20, -50),
            entry(LedgerEntry.Kind.HOLD_PLACED, "t", "2026-11", 0, 0, 10, 0, 10));

    @Test
    void consistentCountersHaveNoDrift() {
        // purchased 1000, consumed 90, held 10; the team's November period: 30 + 20 = 50 (+ carry 0).
        Account account = new Account(1000, 90, 10, 900);
        Team t = team("t", 100, "2026-11", 50, 0, 90, 10, 100 - 50 - 10);
        assertEquals(List.of(), LedgerFold.check("o", account, List.of(t), ledger));
    }

    @Test
    void reportsExactlyTheCounterThatDrifted() {
        Account account = new Account(1000, 97, 10, 900);
        Team t = team("t", 100, "2026-11", 50, 0, 90, 10, 40);
        List<Drift> drifts = LedgerFold.check("o", account, List.of(t), ledger);
        assertEquals(List.of(new Drift("o", null, "consumed", 97, 90)), drifts);
        assertEquals(7, drifts.get(0).drift());
    }

    @Test
    void theCarryOfAPeriodSwitchCountsInThePeriod() {
        Account account = new Account(1000, 90, 10, 900);
        Team t = team("t", 100, "2026-11", 55, 5, 90, 10, 35);
        assertEquals(List.of(), LedgerFold.check("o", account, List.of(t), ledger));
    }

    @Test
    void flagsNegativeAvailability() {
        Account account = new Account(10, 20, 0, -10);
        List<Drift> drifts = LedgerFold.check("o", account, List.of(), List.of(
                entry(LedgerEntry.Kind.TOP_UP, null, null, 10, 0, 0, 0, 0),
                entry(LedgerEntry.Kind.CONSUMPTION, null, null, 0, 20, 0, 0, 0)));
        assertTrue(drifts.stream().anyMatch(d -> d.counter().equals("available-negative")), drifts.toString());
    }

    @Test
    void repairsAreAdjustmentEntriesThatMakeTheFoldMatch() {
        Account account = new Account(1000, 97, 10, 893);
        Team t = team("t", 100, "2026-11", 53, 0, 95, 10, 37);
        List<Drift> drifts = LedgerFold.check("o", account, List.of(t), ledger);
        java.util.concurrent.atomic.AtomicInteger ids = new java.util.concurrent.atomic.AtomicInteger();
        List<LedgerEntry> repairs = LedgerFold.repairs(drifts, List.of(t), () -> "adj" + ids.incrementAndGet(), NOW);
        java.util.List<LedgerEntry> repaired = new java.util.ArrayList<>(ledger);
        repaired.addAll(repairs);
        assertEquals(List.of(), LedgerFold.check("o", account, List.of(t), repaired));
        assertTrue(repairs.stream().allMatch(e -> e.kind() == LedgerEntry.Kind.ADJUSTMENT));
    }
}

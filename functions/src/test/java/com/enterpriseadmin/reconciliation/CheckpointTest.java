package com.enterpriseadmin.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.enterpriseadmin.credit.Account;
import com.enterpriseadmin.credit.LedgerEntry;
import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.Team;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointTest {
    private static final Instant NOW = Instant.parse("2026-11-28T02:00:00Z");

    private static LedgerEntry entry(String team, String period, long p, long c, long h, long tc, long th) {
        return new LedgerEntry("e" + System.nanoTime(), NOW, LedgerEntry.Kind.ADJUSTMENT, 1, team, "u", "u", null, null, null, null, null, null,
                period, p, c, h, tc, th);
    }

    private static Team team(String periodKey, long periodConsumed, long total, long held) {
        return new Team("o", "t", "t", Team.Status.ACTIVE, new Budget(Budget.Mode.LIMITED, 100L, Budget.Period.MONTHLY), periodKey,
                periodConsumed, 0, total, held, 100 - periodConsumed - held, 1, 1, NOW, null);
    }

    private final List<LedgerEntry> before = List.of(
            entry(null, null, 1000, 0, 0, 0, 0),
            entry("t", "2026-10", 0, 40, 0, 40, 0),
            entry("t", "2026-11", 0, 30, 0, 30, 0),
            entry("t", "2026-11", 0, 0, 50, 0, 50));
    private final List<LedgerEntry> after = List.of(
            entry("t", "2026-11", 0, 20, -50, 20, -50),
            entry("t", "2026-11", 0, 0, 10, 0, 10));

    @Test
    void aCheckpointPlusTheEntriesSinceIsTheFoldOfTheWholeLedger() {
        Map<String, String> keys = Map.of("t", "2026-11");
        Checkpoint resumed = Checkpoint.EMPTY.plus(before, keys, "B").plus(after, keys, "B");
        List<LedgerEntry> all = new java.util.ArrayList<>(before);
        all.addAll(after);
        Checkpoint whole = Checkpoint.EMPTY.plus(all, keys, "B");
        assertEquals(whole, resumed);
        assertEquals(6, resumed.entries());
        assertEquals(new Checkpoint.TeamFold(90, 10, "2026-11", 50), resumed.team("t"));
        Account account = new Account(1000, 90, 10, 900);
        assertEquals(List.of(), LedgerFold.check("o", account, List.of(team("2026-11", 50, 90, 10)), resumed));
        assertEquals(List.of(new Drift("o", "t", "consumedTotal", 91, 90)),
                LedgerFold.check("o", account, List.of(team("2026-11", 50, 91, 10)), resumed));
    }

    @Test
    void aPeriodThatEndedAfterTheCheckpointCountsNothingOfTheOldKey() {
        Checkpoint november = Checkpoint.EMPTY.plus(before, Map.of("t", "2026-11"), "B");
        // The team rolled over to December: nothing consumed in it yet, whatever November held.
        Checkpoint december = november.plus(List.of(entry("t", "2026-12", 0, 5, 0, 5, 0)), Map.of("t", "2026-12"), "C");
        assertEquals(new Checkpoint.TeamFold(75, 50, "2026-12", 5), december.team("t"));
        assertEquals(0, november.team("t").periodConsumed("2026-12"));
    }
}

package com.enterpriseadmin.reconciliation;

import com.enterpriseadmin.credit.Account;
import com.enterpriseadmin.credit.AccountLanes;
import com.enterpriseadmin.credit.LedgerEntry;
import com.enterpriseadmin.team.Team;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The invariant "every counter equals the fold of its ledger entries", as a pure function: given an
 * account, its teams and the whole ledger (or a {@link Checkpoint} that folds it), returns every counter
 * that does not match. Also checks
 * {@code available ≥ 0} and that a LIMITED team's remaining equals limit − period consumption − held.
 */
public final class LedgerFold {
    private LedgerFold() {}

    public static List<Drift> check(String orgId, Account account, List<Team> teams, List<LedgerEntry> ledger) {
        return check(orgId, account, teams, Checkpoint.EMPTY.plus(ledger, periodKeys(teams), ""));
    }

    /** The same check against a fold of the whole ledger (a checkpoint plus the entries read since). */
    public static List<Drift> check(String orgId, Account account, List<Team> teams, Checkpoint ledger) {
        List<Drift> drifts = new ArrayList<>();
        compare(drifts, orgId, null, "purchased", account.purchased(), ledger.purchased());
        compare(drifts, orgId, null, "consumed", account.consumed(), ledger.consumed());
        compare(drifts, orgId, null, "held", account.held(), ledger.held());
        compare(drifts, orgId, null, "available", account.available(), ledger.purchased() - ledger.consumed() - ledger.held());
        if (account.available() < 0) {
            drifts.add(new Drift(orgId, null, "available-negative", account.available(), 0));
        }
        for (Team team : teams) {
            Checkpoint.TeamFold t = ledger.team(team.teamId());
            compare(drifts, orgId, team.teamId(), "consumedTotal", team.consumedTotal(), t.consumedTotal());
            compare(drifts, orgId, team.teamId(), "held", team.held(), t.held());
            long period = team.periodCarry() + t.periodConsumed(team.periodKey());
            compare(drifts, orgId, team.teamId(), "periodConsumed", team.periodConsumed(), period);
            compare(drifts, orgId, team.teamId(), "remaining", team.remaining(), team.budget().storedLimit() - period - t.held());
        }
        return drifts;
    }

    /**
     * The checks of an account split into lanes, which the ledger cannot repair (report only): no lane below 0
     * (counter {@code lane-{i}-available-negative}), and the credits moved between lanes summing to 0
     * ({@code lanes-moved}: a rebalance moves +x and −x in one transaction). The organization's counters are the
     * lanes' sums, checked against the ledger by {@link #check}. Nothing for an account of one lane item.
     */
    public static List<Drift> lanes(String orgId, AccountLanes lanes) {
        List<Drift> drifts = new ArrayList<>();
        if (lanes.items() == 1) {
            return drifts;
        }
        for (AccountLanes.Lane lane : lanes.lanes()) {
            if (lane.available() < 0) {
                drifts.add(new Drift(orgId, null, "lane-" + lane.index() + "-available-negative", lane.available(), 0));
            }
        }
        compare(drifts, orgId, null, "lanes-moved", lanes.moved(), 0);
        return drifts;
    }

    /** Team id → the team's current period key. */
    public static Map<String, String> periodKeys(List<Team> teams) {
        Map<String, String> keys = new HashMap<>();
        teams.forEach(t -> keys.put(t.teamId(), t.periodKey()));
        return keys;
    }

    private static void compare(List<Drift> drifts, String orgId, String teamId, String counter, long stored, long folded) {
        if (stored != folded) {
            drifts.add(new Drift(orgId, teamId, counter, stored, folded));
        }
    }

    /**
     * The ADJUSTMENT entries that make the ledger fold equal the stored counters (the counters are what
     * admissions were decided on). A team's consumption drift inside its current period is tagged with
     * that period; any remainder of its all-time drift is tagged outside every period. A {@code remaining}
     * that disagrees with its own limit, consumption and holds cannot be fixed by entries: not repaired.
     */
    public static List<LedgerEntry> repairs(List<Drift> drifts, List<Team> teams, java.util.function.Supplier<String> ids, java.time.Instant at) {
        Map<String, Long> org = new HashMap<>();
        Map<String, Map<String, Long>> team = new HashMap<>();
        for (Drift d : drifts) {
            if (d.teamId() == null) {
                org.put(d.counter(), d.drift());
            } else {
                team.computeIfAbsent(d.teamId(), k -> new HashMap<>()).put(d.counter(), d.drift());
            }
        }
        List<LedgerEntry> entries = new ArrayList<>();
        long p = org.getOrDefault("purchased", 0L);
        long c = org.getOrDefault("consumed", 0L);
        long h = org.getOrDefault("held", 0L);
        if (p != 0 || c != 0 || h != 0) {
            entries.add(LedgerEntry.adjustment(ids.get(), at, null, null, p, c, h, 0, 0, "reconciliation: organization counters"));
        }
        for (Team t : teams) {
            Map<String, Long> d = team.get(t.teamId());
            if (d == null) {
                continue;
            }
            long inPeriod = d.getOrDefault("periodConsumed", 0L);
            long total = d.getOrDefault("consumedTotal", 0L);
            long held = d.getOrDefault("held", 0L);
            if (inPeriod != 0 || held != 0) {
                entries.add(LedgerEntry.adjustment(ids.get(), at, t.teamId(), t.periodKey(), 0, 0, 0, inPeriod, held, "reconciliation: team counters"));
            }
            if (total - inPeriod != 0) {
                entries.add(LedgerEntry.adjustment(ids.get(), at, t.teamId(), "OUTSIDE-PERIOD", 0, 0, 0, total - inPeriod, 0, "reconciliation: team all-time consumption"));
            }
        }
        return entries;
    }
}

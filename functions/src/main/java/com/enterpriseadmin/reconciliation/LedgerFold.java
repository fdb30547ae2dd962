package com.enterpriseadmin.reconciliation;

import com.enterpriseadmin.credit.Account;
import com.enterpriseadmin.credit.LedgerEntry;
import com.enterpriseadmin.team.Team;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The invariant "every counter equals the fold of its ledger entries", as a pure function: given an
 * account, its teams and the whole ledger, returns every counter that does not match. Also checks
 * {@code available ≥ 0} and that a LIMITED team's remaining equals limit − period consumption − held.
 */
public final class LedgerFold {
    private LedgerFold() {}

    public static List<Drift> check(String orgId, Account account, List<Team> teams, List<LedgerEntry> ledger) {
        long purchased = 0;
        long consumed = 0;
        long held = 0;
        Map<String, long[]> perTeam = new HashMap<>();
        Map<String, String> periodOf = new HashMap<>();
        teams.forEach(t -> periodOf.put(t.teamId(), t.periodKey()));
        for (LedgerEntry e : ledger) {
            purchased += e.purchasedDelta();
            consumed += e.consumedDelta();
            held += e.heldDelta();
            if (e.teamId() != null) {
                long[] t = perTeam.computeIfAbsent(e.teamId(), k -> new long[3]);
                t[0] += e.teamConsumedDelta();
                t[1] += e.teamHeldDelta();
                if (e.periodKey() != null && e.periodKey().equals(periodOf.get(e.teamId()))) {
                    t[2] += e.teamConsumedDelta();
                }
            }
        }
        List<Drift> drifts = new ArrayList<>();
        compare(drifts, orgId, null, "purchased", account.purchased(), purchased);
        compare(drifts, orgId, null, "consumed", account.consumed(), consumed);
        compare(drifts, orgId, null, "held", account.held(), held);
        compare(drifts, orgId, null, "available", account.available(), purchased - consumed - held);
        if (account.available() < 0) {
            drifts.add(new Drift(orgId, null, "available-negative", account.available(), 0));
        }
        for (Team team : teams) {
            long[] t = perTeam.getOrDefault(team.teamId(), new long[3]);
            compare(drifts, orgId, team.teamId(), "consumedTotal", team.consumedTotal(), t[0]);
            compare(drifts, orgId, team.teamId(), "held", team.held(), t[1]);
            long period = team.periodCarry() + t[2];
            compare(drifts, orgId, team.teamId(), "periodConsumed", team.periodConsumed(), period);
            compare(drifts, orgId, team.teamId(), "remaining", team.remaining(), team.budget().storedLimit() - period - t[1]);
        }
        return drifts;
    }

    private static void compare(List<Drift> drifts, String orgId, String teamId, String counter, long stored, long folded) {
        if (stored != folded) {
            drifts.add(new Drift(orgId, teamId, counter, stored, folded));
        }
    }
}

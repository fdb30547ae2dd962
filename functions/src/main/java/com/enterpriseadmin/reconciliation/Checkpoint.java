package com.enterpriseadmin.reconciliation;

import com.enterpriseadmin.credit.LedgerEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One organization's ledger folded over every entry whose sort key is below {@code through}: what the
 * next run resumes from, so that it reads only the entries written since (Query {@code SK >= through}).
 * A team's period consumption is kept for one period key only: the team's current key when the fold was
 * made. Period keys never come back once a team has left them (a rollover moves to the new month, a mode
 * switch to a fresh {@code {period}#{at}} key), so the sums of older keys can never be asked for again.
 * See docs/credits.md, "Reconciliation job", for why entries below {@code through} can no longer appear.
 *
 * @param through the first sort key NOT folded ({@code ""}: nothing folded yet)
 * @param entries how many ledger entries the fold holds (for the report and the operator)
 */
public record Checkpoint(String through, long entries, long purchased, long consumed, long held, Map<String, TeamFold> teams) {
    public static final Checkpoint EMPTY = new Checkpoint("", 0, 0, 0, 0, Map.of());

    /** A team's fold: all-time consumption, holds, and the consumption tagged with {@code periodKey}. */
    public record TeamFold(long consumedTotal, long held, String periodKey, long periodConsumed) {
        static final TeamFold NONE = new TeamFold(0, 0, null, 0);

        /** The consumption of {@code key} in this fold (0 if the fold was made in another period). */
        long periodConsumed(String key) {
            return key != null && key.equals(periodKey) ? periodConsumed : 0;
        }
    }

    public Checkpoint {
        teams = Map.copyOf(teams);
    }

    public TeamFold team(String teamId) {
        return teams.getOrDefault(teamId, TeamFold.NONE);
    }

    /**
     * This fold with {@code later} added (entries at or after {@code through}, in any order), the period
     * sums kept for each team's current key ({@code periodKeys}: team id → current key), and the new
     * bound {@code to}.
     */
    public Checkpoint plus(List<LedgerEntry> later, Map<String, String> periodKeys, String to) {
        long p = purchased;
        long c = consumed;
        long h = held;
        Map<String, long[]> sums = new HashMap<>();
        teams.forEach((id, t) -> sums.put(id, new long[] {t.consumedTotal(), t.held(), t.periodConsumed(periodKeys.get(id))}));
        periodKeys.keySet().forEach(id -> sums.computeIfAbsent(id, k -> new long[3]));
        for (LedgerEntry e : later) {
            p += e.purchasedDelta();
            c += e.consumedDelta();
            h += e.heldDelta();
            if (e.teamId() != null) {
                long[] t = sums.computeIfAbsent(e.teamId(), k -> new long[3]);
                t[0] += e.teamConsumedDelta();
                t[1] += e.teamHeldDelta();
                if (e.periodKey() != null && e.periodKey().equals(periodKeys.get(e.teamId()))) {
                    t[2] += e.teamConsumedDelta();
                }
            }
        }
        Map<String, TeamFold> folded = new HashMap<>();
        sums.forEach((id, t) -> folded.put(id, new TeamFold(t[0], t[1], periodKeys.get(id), t[2])));
        return new Checkpoint(to, entries + later.size(), p, c, h, folded);
    }
}

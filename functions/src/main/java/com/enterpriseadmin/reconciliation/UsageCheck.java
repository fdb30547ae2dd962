package com.enterpriseadmin.reconciliation;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.credit.CreditStore;
import com.enterpriseadmin.credit.LedgerEntry;
import com.enterpriseadmin.credit.UsageAggregates;
import com.enterpriseadmin.credit.UsageAggregates.Bucket;
import com.enterpriseadmin.credit.UsageAggregates.Mismatch;
import com.enterpriseadmin.credit.UsageAggregates.Totals;
import com.enterpriseadmin.observability.Log;
import com.enterpriseadmin.team.Team;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The usage aggregates against the ledger: every aggregate item (member × team × UTC day or month) equals
 * the fold of the entries it counts ({@link UsageAggregates#fold}). Works on any set of whole buckets: the
 * whole ledger and every aggregate of the organization, or (incrementally) the entries and the aggregates of
 * the days and months some new entries touched. A repair sets the drifting items to the fold, each
 * conditioned on its value as measured, audited ({@code usage.reconciled}, actor {@code system}).
 */
public final class UsageCheck {
    private UsageCheck() {}

    /** The stored aggregates of the organization's teams (one query per team). */
    public static Map<Bucket, Totals> stored(CreditStore store, String orgId, List<Team> teams) {
        List<UsageAggregates.Stored> all = new ArrayList<>();
        teams.forEach(t -> all.addAll(store.allUsage(orgId, t.teamId())));
        return UsageAggregates.byBucket(all);
    }

    /** Every bucket whose stored totals differ from the fold of {@code ledger} (a missing item counts as zero). */
    public static List<Mismatch> check(Map<Bucket, Totals> stored, Iterable<LedgerEntry> ledger) {
        Map<Bucket, Totals> folded = UsageAggregates.fold(ledger);
        Set<Bucket> buckets = new LinkedHashSet<>(folded.keySet());
        buckets.addAll(stored.keySet());
        List<Mismatch> mismatches = new ArrayList<>();
        for (Bucket b : buckets) {
            Totals s = stored.getOrDefault(b, Totals.NONE);
            Totals f = folded.getOrDefault(b, Totals.NONE);
            if (!s.equals(f)) {
                mismatches.add(new Mismatch(b, s, f));
            }
        }
        return mismatches;
    }

    /** The mismatches as drifts of the job's report: counter {@code usage:{grain}:{period}:{userId}:consumed|consumptions}. */
    public static List<Drift> drifts(String orgId, List<Mismatch> mismatches) {
        List<Drift> drifts = new ArrayList<>();
        for (Mismatch m : mismatches) {
            Bucket b = m.bucket();
            String counter = "usage:" + b.grain() + ":" + b.period() + ":" + b.userId() + ":";
            if (m.stored().consumed() != m.fromLedger().consumed()) {
                drifts.add(new Drift(orgId, b.teamId(), counter + "consumed", m.stored().consumed(), m.fromLedger().consumed()));
            }
            if (m.stored().consumptions() != m.fromLedger().consumptions()) {
                drifts.add(new Drift(orgId, b.teamId(), counter + "consumptions", m.stored().consumptions(), m.fromLedger().consumptions()));
            }
        }
        return drifts;
    }

    /** Repairs the mismatches (transactions of at most {@link CreditStore#MAX_USAGE_REPAIRS}); returns how many items were set. */
    public static int repair(CreditStore store, String orgId, List<Mismatch> mismatches, Instant now) {
        int repaired = 0;
        for (int i = 0; i < mismatches.size(); i += CreditStore.MAX_USAGE_REPAIRS) {
            List<Mismatch> chunk = mismatches.subList(i, Math.min(mismatches.size(), i + CreditStore.MAX_USAGE_REPAIRS));
            AuditEntry audited = AuditEntry.of(orgId, LedgerEntry.SYSTEM, "usage.reconciled", AuditEntry.Target.organization(orgId),
                    AuditEntry.state("usage", chunk.stream().map(m -> totals(m.bucket(), m.stored())).toList()),
                    AuditEntry.state("usage", chunk.stream().map(m -> totals(m.bucket(), m.fromLedger())).toList()), now);
            boolean written = store.repairUsage(orgId, chunk, audited);
            Log.warn("reconciliation-usage-repair", "orgId", orgId, "written", written, "items", chunk.size());
            repaired += written ? chunk.size() : 0;
        }
        return repaired;
    }

    private static Map<String, Object> totals(Bucket b, Totals t) {
        return Map.of("teamId", b.teamId(), "userId", b.userId(), "grain", b.grain().name(), "period", b.period(),
                "consumed", t.consumed(), "consumptions", t.consumptions());
    }
}

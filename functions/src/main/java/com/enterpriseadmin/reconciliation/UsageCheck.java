package com.enterpriseadmin.reconciliation;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.credit.CreditStore;
import com.enterpriseadmin.credit.LedgerEntry;
import com.enterpriseadmin.credit.UsageAggregates;
import com.enterpriseadmin.credit.UsageAggregates.Bucket;
import com.enterpriseadmin.credit.UsageAggregates.Grain;
import com.enterpriseadmin.credit.UsageAggregates.Mismatch;
import com.enterpriseadmin.credit.UsageAggregates.Totals;
import com.enterpriseadmin.observability.Log;
import com.enterpriseadmin.team.Team;
import com.enterpriseadmin.store.Ids;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Optional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    /**
     * What an incremental run checks: the day buckets from {@code fromDay} (the UTC day of the oldest new
     * entry) against the ledger from that day, and the month buckets from that day's month against the sum of
     * their day buckets (those before {@code fromDay} as stored, the others as folded from the ledger). The
     * ledger read is bounded by the days the new entries touched, not by the history.
     */
    public record Touched(LocalDate fromDay, Map<Bucket, Totals> stored, List<LedgerEntry> ledger) {
        public static final Touched NONE = new Touched(null, Map.of(), List.of());

        public List<Mismatch> mismatches() {
            if (fromDay == null) {
                return List.of();
            }
            String day = Grain.DAY.period(fromDay);
            Map<Bucket, Totals> folded = UsageAggregates.fold(ledger);
            Map<Bucket, Totals> storedDays = new LinkedHashMap<>();
            Map<Bucket, Totals> storedMonths = new LinkedHashMap<>();
            Map<Bucket, Totals> expectedMonths = new LinkedHashMap<>();
            stored.forEach((b, t) -> {
                if (b.grain() == Grain.MONTH) {
                    storedMonths.put(b, t);
                } else if (b.period().compareTo(day) >= 0) {
                    storedDays.put(b, t);
                } else {
                    expectedMonths.merge(monthOf(b), t, Totals::plus);
                }
            });
            Map<Bucket, Totals> foldedDays = new LinkedHashMap<>();
            folded.forEach((b, t) -> {
                if (b.grain() == Grain.DAY) {
                    foldedDays.put(b, t);
                    expectedMonths.merge(monthOf(b), t, Totals::plus);
                }
            });
            List<Mismatch> mismatches = new ArrayList<>(compare(storedDays, foldedDays));
            mismatches.addAll(compare(storedMonths, expectedMonths));
            return mismatches;
        }

        private static Bucket monthOf(Bucket day) {
            return new Bucket(day.teamId(), day.userId(), Grain.MONTH, day.period().substring(0, 7));
        }
    }

    /**
     * Reads what {@link Touched} checks: the aggregates of the touched months, the ledger of the touched days.
     * {@code newEntries} are the entries from the checkpoint on ({@code checkpointThrough}, a sort-key bound,
     * {@code ""} for none), already read: only the part of the oldest touched day before the checkpoint is read
     * here, so a run reads each ledger entry once (the entries it folds, and that day's earlier ones).
     */
    public static Touched touched(CreditStore store, String orgId, List<Team> teams, List<LedgerEntry> newEntries, String checkpointThrough) {
        Optional<Instant> oldest = newEntries.stream().map(LedgerEntry::at).min(Comparator.naturalOrder());
        if (oldest.isEmpty()) {
            return Touched.NONE;
        }
        LocalDate fromDay = LocalDate.ofInstant(oldest.get(), ZoneOffset.UTC);
        List<UsageAggregates.Stored> stored = new ArrayList<>();
        teams.forEach(t -> stored.addAll(store.usageSince(orgId, t.teamId(), YearMonth.from(fromDay))));
        String dayStart = Ids.at(fromDay.atStartOfDay(ZoneOffset.UTC).toInstant());
        List<LedgerEntry> ledger = new ArrayList<>();
        if (dayStart.compareTo(checkpointThrough) < 0) {
            ledger.addAll(store.ledgerBetween(orgId, dayStart, checkpointThrough));
        }
        ledger.addAll(newEntries);
        return new Touched(fromDay, UsageAggregates.byBucket(stored), ledger);
    }

    /** Every bucket whose stored totals differ from the fold of {@code ledger} (a missing item counts as zero). */
    public static List<Mismatch> check(Map<Bucket, Totals> stored, Iterable<LedgerEntry> ledger) {
        return compare(stored, UsageAggregates.fold(ledger));
    }

    private static List<Mismatch> compare(Map<Bucket, Totals> stored, Map<Bucket, Totals> expected) {
        Set<Bucket> buckets = new LinkedHashSet<>(expected.keySet());
        buckets.addAll(stored.keySet());
        List<Mismatch> mismatches = new ArrayList<>();
        for (Bucket b : buckets) {
            Totals s = stored.getOrDefault(b, Totals.NONE);
            Totals f = expected.getOrDefault(b, Totals.NONE);
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

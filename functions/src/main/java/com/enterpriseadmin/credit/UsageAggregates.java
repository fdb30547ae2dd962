package com.enterpriseadmin.credit;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Usage aggregates: what a member consumed in a team per UTC day and per UTC month, kept exact by adding
 * each ledger entry's share in the same transaction as the entry ({@code CreditStore}). The usage report
 * reads them, never the ledger; reconciliation folds the ledger with {@link #fold} and compares.
 *
 * <p>An entry counts if it is a team's and moves the team's consumption ({@code teamConsumedDelta ≠ 0}):
 * a consumption, a capture of more than 0, a team consumption ADJUSTMENT (attributed to {@code reconciliation}), a
 * REFUND (negative, on the day and month it is made). Hold placements and releases, zero captures and top-ups add
 * nothing. {@code consumed} sums the deltas (net of refunds), {@code consumptions} counts the entries but refunds.
 */
public final class UsageAggregates {
    private UsageAggregates() {}

    /** The granularity of an aggregate item. */
    public enum Grain {
        DAY, MONTH;

        /** The UTC day ({@code yyyy-MM-dd}) or month ({@code yyyy-MM}) of a date. */
        public String period(LocalDate day) {
            return this == DAY ? day.toString() : day.toString().substring(0, 7);
        }
    }

    /** One aggregate item: member {@code userId}'s consumption in team {@code teamId} during {@code period} of {@code grain}. */
    public record Bucket(String teamId, String userId, Grain grain, String period) {}

    public record Totals(long consumed, long consumptions) {
        public static final Totals NONE = new Totals(0, 0);

        public Totals plus(Totals other) {
            return new Totals(consumed + other.consumed, consumptions + other.consumptions);
        }
    }

    /** A stored aggregate item, as read. */
    public record Stored(Bucket bucket, Totals totals) {}

    /** An aggregate that differs from the fold of the ledger: {@code stored} as read (NONE if absent), {@code fromLedger} as folded. */
    public record Mismatch(Bucket bucket, Totals stored, Totals fromLedger) {}

    /** The buckets one entry adds to, with what it adds (none, or its day and its month). */
    public static Map<Bucket, Totals> of(LedgerEntry e) {
        if (e.teamId() == null || e.teamConsumedDelta() == 0) {
            return Map.of();
        }
        LocalDate day = e.at().atZone(ZoneOffset.UTC).toLocalDate();
        // A refund nets off the consumption of its own day and month (made then, attributed to the original's member); it is no consumption.
        Totals one = new Totals(e.teamConsumedDelta(), e.kind() == LedgerEntry.Kind.REFUND ? 0 : 1);
        Map<Bucket, Totals> buckets = new LinkedHashMap<>();
        for (Grain grain : Grain.values()) {
            buckets.put(new Bucket(e.teamId(), e.userId(), grain, grain.period(day)), one);
        }
        return buckets;
    }

    /**
     * What the aggregates of these entries are: every bucket an entry adds to, summed. One transaction
     * adds one update per bucket with these sums (DynamoDB takes one action per item in a transaction);
     * reconciliation compares them with the stored items.
     */
    public static Map<Bucket, Totals> fold(Iterable<LedgerEntry> entries) {
        Map<Bucket, Totals> folded = new LinkedHashMap<>();
        for (LedgerEntry e : entries) {
            of(e).forEach((bucket, totals) -> folded.merge(bucket, totals, Totals::plus));
        }
        return folded;
    }

    /** The stored items as a map (absent bucket = nothing consumed). */
    public static Map<Bucket, Totals> byBucket(List<Stored> stored) {
        Map<Bucket, Totals> map = new LinkedHashMap<>();
        stored.forEach(s -> map.merge(s.bucket(), s.totals(), Totals::plus));
        return map;
    }
}

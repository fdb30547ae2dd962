package com.enterpriseadmin.credit;

import java.time.Instant;

/**
 * One append-only ledger entry. The deltas are what the entry did to the counters; every counter
 * equals the sum of its deltas over the ledger (checked by the reconciliation job). Entries are made
 * through the factories, one per kind, which fix the deltas that kind applies. {@code userId} is whom the entry is
 * attributed to (whose usage it is); {@code actor} is who made it happen: the same user, another user (a team
 * administrator capturing a member's hold), {@code system} (expiry, reconciliation) or a billing principal (an IAM ARN).
 */
public record LedgerEntry(
        String entryId,
        Instant at,
        Kind kind,
        long amount,
        String teamId,
        String userId,
        String actor,
        String holdId,
        String jobId,
        String description,
        TopUpSource source,
        String reference,
        String note,
        String periodKey,
        long purchasedDelta,
        long consumedDelta,
        long heldDelta,
        long teamConsumedDelta,
        long teamHeldDelta) {

    public enum Kind { TOP_UP, CONSUMPTION, HOLD_PLACED, HOLD_CAPTURED, HOLD_RELEASED, ADJUSTMENT, REFUND }

    public enum TopUpSource { CONTRACT, PURCHASE, GRANT, ADJUSTMENT }

    public static final String SYSTEM = "system";

    /** Credits bought or granted: only the organization's {@code purchased} moves. Made by {@code actor} (an administrator, or billing). */
    public static LedgerEntry topUp(String entryId, Instant at, String actor, long amount, TopUpSource source, String reference, String note) {
        return new LedgerEntry(entryId, at, Kind.TOP_UP, amount, null, actor, actor, null, null, null, source, reference, note, null,
                amount, 0, 0, 0, 0);
    }

    /** Credits spent by {@code userId} in a team, counted in the team's period {@code periodKey}. */
    public static LedgerEntry consumption(String entryId, Instant at, String teamId, String userId, String periodKey, long amount, String jobId,
                                          String description) {
        return new LedgerEntry(entryId, at, Kind.CONSUMPTION, amount, teamId, userId, userId, null, jobId, description, null, null, null, periodKey,
                0, amount, 0, amount, 0);
    }

    /** The reservation of an OPEN hold: held by the organization and the team. */
    public static LedgerEntry holdPlaced(String entryId, Instant at, Hold hold, String periodKey, String jobId, String description) {
        return new LedgerEntry(entryId, at, Kind.HOLD_PLACED, hold.amount(), hold.teamId(), hold.userId(), hold.userId(), hold.holdId(), jobId, description,
                null, null, null, periodKey, 0, 0, hold.amount(), 0, hold.amount());
    }

    /**
     * A hold captured for {@code captured} (≤ its amount): the whole hold is no longer held, the captured part is
     * consumed. Attributed to the hold's owner, whose usage it is; {@code actor} is who captured it.
     */
    public static LedgerEntry holdCaptured(String entryId, Instant at, Hold hold, String periodKey, long captured, String description, String actor) {
        return new LedgerEntry(entryId, at, Kind.HOLD_CAPTURED, captured, hold.teamId(), hold.userId(), actor, hold.holdId(), null, description,
                null, null, null, periodKey, 0, captured, -hold.amount(), captured, -hold.amount());
    }

    /** A hold released whole: nothing consumed. {@code actor}: who released it ({@code system} for expiry and cascades). */
    public static LedgerEntry holdReleased(String entryId, Instant at, Hold hold, String periodKey, String description, String actor) {
        return new LedgerEntry(entryId, at, Kind.HOLD_RELEASED, hold.amount(), hold.teamId(), hold.userId(), actor, hold.holdId(), null, description,
                null, null, null, periodKey, 0, 0, -hold.amount(), 0, -hold.amount());
    }

    /**
     * A reconciliation repair (never an edit of earlier entries): the given deltas, {@code amount} their
     * absolute sum, attributed to {@code reconciliation}; {@code teamId} null for organization counters.
     */
    public static LedgerEntry adjustment(String entryId, Instant at, String teamId, String periodKey, long purchasedDelta, long consumedDelta,
                                         long heldDelta, long teamConsumedDelta, long teamHeldDelta, String description) {
        long amount = Math.abs(purchasedDelta) + Math.abs(consumedDelta) + Math.abs(heldDelta) + Math.abs(teamConsumedDelta) + Math.abs(teamHeldDelta);
        return new LedgerEntry(entryId, at, Kind.ADJUSTMENT, amount, teamId, "reconciliation", SYSTEM, null, null, description, TopUpSource.ADJUSTMENT,
                null, null, periodKey, purchasedDelta, consumedDelta, heldDelta, teamConsumedDelta, teamHeldDelta);
    }

    /** True for the entries a refund can return credits of: a consumption, a capture. */
    public boolean refundable() {
        return kind == Kind.CONSUMPTION || kind == Kind.HOLD_CAPTURED;
    }

    /**
     * {@code amount} credits of {@code original} (a consumption or a capture) given back by {@code actor}: the
     * organization's consumption and the team's fall by it, in the original's period key (so it comes off the team's
     * current period only when the original counts in it). Attributed to the original's member; {@code reference}
     * is the original's entry id.
     */
    public static LedgerEntry refund(String entryId, Instant at, LedgerEntry original, long amount, String reason, String actor) {
        return new LedgerEntry(entryId, at, Kind.REFUND, amount, original.teamId(), original.userId(), actor, original.holdId(), original.jobId(),
                reason, null, original.entryId(), null, original.periodKey(), 0, -amount, 0, -amount, 0);
    }

    /**
     * A negative adjustment of {@code amount} credits reversing (part of) the top-up {@code original}, made by
     * {@code actor}: the organization's purchased credits fall by it. {@code reference} is the top-up's entry id.
     */
    public static LedgerEntry topUpReversal(String entryId, Instant at, LedgerEntry original, long amount, String reason, String actor) {
        return new LedgerEntry(entryId, at, Kind.ADJUSTMENT, amount, null, actor, actor, null, null, reason, TopUpSource.ADJUSTMENT,
                original.entryId(), null, null, -amount, 0, 0, 0, 0);
    }
}

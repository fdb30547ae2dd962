package com.enterpriseadmin.credit;

import java.time.Instant;

/**
 * One append-only ledger entry. The deltas are what the entry did to the counters; every counter
 * equals the sum of its deltas over the ledger (checked by the reconciliation job).
 */
public record LedgerEntry(
        String entryId,
        Instant at,
        Kind kind,
        long amount,
        String teamId,
        String userId,
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

    public enum Kind { TOP_UP, CONSUMPTION, HOLD_PLACED, HOLD_CAPTURED, HOLD_RELEASED, ADJUSTMENT }

    public enum TopUpSource { CONTRACT, PURCHASE, GRANT, ADJUSTMENT }
}

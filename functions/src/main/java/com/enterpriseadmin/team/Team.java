package com.enterpriseadmin.team;

import java.time.Instant;

/**
 * A team and its credit counters. Counters move only inside credit transactions (see
 * {@code credit.CreditStore}); {@code version} changes only when the team itself changes (name,
 * archive, budget) and is the {@code ETag}/{@code If-Match} value.
 *
 * <p>Counters: {@code periodConsumed} (credits consumed in the current budget period, including the
 * {@code periodCarry} brought over when the period setting changed), {@code consumedTotal} (all
 * time), {@code held} (open holds), {@code remaining} = {@code limit − periodConsumed − held}
 * (maintained by every credit write, in every mode, so switching modes needs no recount).
 */
public record Team(
        String orgId,
        String teamId,
        String name,
        Status status,
        Budget budget,
        String periodKey,
        long periodConsumed,
        long periodCarry,
        long consumedTotal,
        long held,
        long remaining,
        long memberCount,
        long version,
        Instant createdAt,
        Instant archivedAt) {

    public enum Status { ACTIVE, ARCHIVED }

    public boolean active() {
        return status == Status.ACTIVE;
    }
}

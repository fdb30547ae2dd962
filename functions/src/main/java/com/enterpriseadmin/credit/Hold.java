package com.enterpriseadmin.credit;

import java.time.Instant;

/** A reservation of credits for a long-running job: reserved, then captured (≤ amount) or released; {@code lane}: the account lane it holds. */
public record Hold(
        String holdId,
        String orgId,
        String teamId,
        String userId,
        long amount,
        Status status,
        long captured,
        Instant createdAt,
        Instant expiresAt,
        Instant closedAt,
        String closeReason,
        int lane) {

    /** A hold on lane 0 (the only lane of an organization with one). */
    public Hold(String holdId, String orgId, String teamId, String userId, long amount, Status status, long captured, Instant createdAt,
                Instant expiresAt, Instant closedAt, String closeReason) {
        this(holdId, orgId, teamId, userId, amount, status, captured, createdAt, expiresAt, closedAt, closeReason, 0);
    }

    /** This hold as placed on account lane {@code lane}: its close returns the credits to that lane. */
    public Hold onLane(int lane) {
        return new Hold(holdId, orgId, teamId, userId, amount, status, captured, createdAt, expiresAt, closedAt, closeReason, lane);
    }

    public enum Status { OPEN, CAPTURED, RELEASED }
}

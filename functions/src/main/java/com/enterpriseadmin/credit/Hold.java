package com.enterpriseadmin.credit;

import java.time.Instant;

/** A reservation of credits for a long-running job: reserved, then captured (≤ amount) or released. */
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
        String closeReason) {

    public enum Status { OPEN, CAPTURED, RELEASED }
}

package com.enterpriseadmin.invitation;

/** {@code PENDING → ACCEPTED | DECLINED | REVOKED | EXPIRED}; only PENDING ever changes. */
public enum InvitationStatus {
    PENDING, ACCEPTED, DECLINED, REVOKED, EXPIRED
}

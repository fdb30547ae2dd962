package com.enterpriseadmin.auth;

/** A member's role in an organization. Exactly one OWNER per organization (changed only by an operator). */
public enum OrgRole {
    OWNER, ADMIN, USER;

    /** OWNER and ADMIN have the enterprise administrator's powers. */
    public boolean isAdministrator() {
        return this == OWNER || this == ADMIN;
    }
}

package com.enterpriseadmin.auth;

/** A member's role in one team. */
public enum TeamRole {
    ADMIN, MEMBER
}

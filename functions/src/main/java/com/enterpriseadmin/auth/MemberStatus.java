package com.enterpriseadmin.auth;

/** A membership is ACTIVE or SUSPENDED; a suspended member keeps the membership but may do nothing in the org. */
public enum MemberStatus {
    ACTIVE, SUSPENDED
}

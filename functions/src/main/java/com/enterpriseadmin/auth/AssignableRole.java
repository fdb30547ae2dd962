package com.enterpriseadmin.auth;

/**
 * The organization roles the public API may grant (invitations, role changes). OWNER is absent on
 * purpose: ownership moves only through the operator command, so a body naming it is a 400.
 */
public enum AssignableRole {
    ADMIN, USER;

    public OrgRole toOrgRole() {
        return this == ADMIN ? OrgRole.ADMIN : OrgRole.USER;
    }
}

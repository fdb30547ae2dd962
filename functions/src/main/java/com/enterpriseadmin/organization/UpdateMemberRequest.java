package com.enterpriseadmin.organization;

import com.enterpriseadmin.auth.AssignableRole;
import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.error.DomainException.InvalidInput;

/**
 * Body of {@code PATCH /v1/organizations/{orgId}/users/{userId}}: {@code role} (ADMIN | USER) and/or
 * {@code status} (ACTIVE | SUSPENDED); at least one.
 */
public record UpdateMemberRequest(AssignableRole role, MemberStatus status) {
    public UpdateMemberRequest {
        if (role == null && status == null) {
            throw new InvalidInput("body", "give 'role' and/or 'status'");
        }
    }
}

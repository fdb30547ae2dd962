package com.enterpriseadmin.team;

import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.error.DomainException.InvalidInput;

/** Body of {@code PATCH .../teams/{teamId}/members/{userId}}: the new team {@code role}. */
public record UpdateTeamMemberRequest(TeamRole role) {
    public UpdateTeamMemberRequest {
        if (role == null) {
            throw new InvalidInput("role", "'role' is required: ADMIN or MEMBER");
        }
    }
}

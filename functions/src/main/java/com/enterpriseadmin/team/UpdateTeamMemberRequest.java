package com.enterpriseadmin.team;

import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.error.DomainException.InvalidInput;

/**
 * Body of {@code PATCH .../teams/{teamId}/members/{userId}}: the new team {@code role} and/or the member's own credit
 * {@code limit} per period in the team (null: none, the team's member limit applies). At least one of them.
 */
public record UpdateTeamMemberRequest(TeamRole role, Long limit) {
    public UpdateTeamMemberRequest {
        if (limit != null && (limit < 0 || limit > Budget.MAX_LIMIT)) {
            throw new InvalidInput("limit", "must be between 0 and " + Budget.MAX_LIMIT + ": what the member may use per period, or null");
        }
    }

    public UpdateTeamMemberRequest(TeamRole role) {
        this(role, null);
    }
}

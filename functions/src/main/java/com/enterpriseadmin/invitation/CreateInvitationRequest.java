package com.enterpriseadmin.invitation;

import com.enterpriseadmin.auth.AssignableRole;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.user.EmailAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Body of {@code POST /v1/organizations/{orgId}/invitations}:
 * {@code {"email": "...", "role": "ADMIN"|"USER", "teams": [{"teamId": "...", "role": "ADMIN"|"MEMBER"}]}}.
 * OWNER is never invitable. At most {@value #MAX_TEAMS} distinct teams.
 */
public record CreateInvitationRequest(String email, AssignableRole role, List<TeamAssignment> teams) {
    public static final int MAX_TEAMS = 25;

    public CreateInvitationRequest {
        email = EmailAddress.parse(email, "email");
        if (role == null) {
            throw new InvalidInput("role", "'role' is required: ADMIN or USER");
        }
        teams = teams == null ? List.of() : teams;
        if (teams.size() > MAX_TEAMS) {
            throw new InvalidInput("teams", "at most " + MAX_TEAMS + " teams");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < teams.size(); i++) {
            TeamAssignment t = teams.get(i);
            if (t == null) {
                throw new InvalidInput("teams[" + i + "]", "must be an object {teamId, role}");
            }
            if (t.teamId() == null || !Ids.isWellFormed(t.teamId())) {
                throw new InvalidInput("teams[" + i + "].teamId", "must be a team id");
            }
            if (t.role() == null) {
                throw new InvalidInput("teams[" + i + "].role", "'role' is required: ADMIN or MEMBER");
            }
            if (!seen.add(t.teamId())) {
                throw new InvalidInput("teams[" + i + "].teamId", "team listed twice");
            }
        }
        teams = List.copyOf(teams);
    }
}

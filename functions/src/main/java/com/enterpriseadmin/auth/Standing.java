package com.enterpriseadmin.auth;

import java.util.Map;

/**
 * What the stored membership says about a user in one organization — the only input of
 * {@link Policy} besides the action. {@code teams} is the membership's {@code teams} map
 * (teamId → team role), maintained by the teams feature.
 */
public record Standing(String orgId, String userId, OrgRole role, MemberStatus status, Map<String, TeamRole> teams) {
    public Standing {
        teams = teams == null ? Map.of() : Map.copyOf(teams);
    }

    public boolean active() {
        return status == MemberStatus.ACTIVE;
    }
}

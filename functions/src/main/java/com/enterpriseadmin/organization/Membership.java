package com.enterpriseadmin.organization;

import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.auth.Standing;
import com.enterpriseadmin.auth.TeamRole;
import java.time.Instant;
import java.util.Map;

/**
 * A user's membership of an organization. {@code email} and {@code name} are copied from the profile
 * when the user joins (for the user list). {@code teams} (teamId → team role) is maintained by the
 * teams feature; {@code version} increases with every change, and every write is conditioned on it.
 */
public record Membership(
        String orgId,
        String userId,
        String email,
        String name,
        OrgRole role,
        MemberStatus status,
        Map<String, TeamRole> teams,
        Instant joinedAt,
        Instant updatedAt,
        long version) {

    public Membership {
        teams = teams == null ? Map.of() : Map.copyOf(teams);
    }

    public Standing standing() {
        return new Standing(orgId, userId, role, status, teams);
    }

    public Membership with(OrgRole newRole, MemberStatus newStatus, Instant at) {
        return new Membership(orgId, userId, email, name, newRole, newStatus, teams, joinedAt, at, version + 1);
    }
}

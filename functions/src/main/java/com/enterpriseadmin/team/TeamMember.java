package com.enterpriseadmin.team;

import com.enterpriseadmin.auth.TeamRole;
import java.time.Instant;

/**
 * A seat in a team ({@code ORG#{orgId} / TEAMMEMBER#{teamId}#{userId}}). Its existence is what the
 * credit transactions condition-check; the membership's {@code teams} map mirrors it (teamId → role)
 * and the two always change in the same transaction. {@code email} and {@code name} are copied from
 * the org membership when the seat is created.
 */
public record TeamMember(
        String orgId,
        String teamId,
        String userId,
        String email,
        String name,
        TeamRole role,
        String addedBy,
        Instant addedAt,
        Instant updatedAt,
        long version) {}

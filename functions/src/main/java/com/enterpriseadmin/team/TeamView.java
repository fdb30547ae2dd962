package com.enterpriseadmin.team;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A team as the API shows it. {@code remaining} is {@code null} for a SHARED_POOL team (no team
 * cap: it draws on the organization's available credits); {@code version} is also the ETag.
 */
public record TeamView(
        String teamId,
        String name,
        Team.Status status,
        Budget budget,
        String periodKey,
        long periodConsumed,
        @JsonInclude(JsonInclude.Include.ALWAYS) Long remaining,
        long held,
        long consumedTotal,
        long memberCount,
        long version,
        Instant createdAt,
        Instant archivedAt) {

    public static TeamView of(Team t) {
        return new TeamView(t.teamId(), t.name(), t.status(), t.budget(), t.periodKey(), t.periodConsumed(),
                t.budget().mode() == Budget.Mode.SHARED_POOL ? null : t.remaining(),
                t.held(), t.consumedTotal(), t.memberCount(), t.version(), t.createdAt(), t.archivedAt());
    }
}

package com.enterpriseadmin.team;

import com.enterpriseadmin.auth.TeamRole;
import java.time.Instant;
import java.util.List;

/** A team member as the API shows it; {@code warnings} tells about a team left without a team ADMIN. */
public record TeamMemberView(
        String teamId,
        String userId,
        String email,
        String name,
        TeamRole role,
        Instant addedAt,
        Instant updatedAt,
        long version,
        List<Warning> warnings) {

    public static TeamMemberView of(TeamMember m, List<Warning> warnings) {
        return new TeamMemberView(m.teamId(), m.userId(), m.email(), m.name(), m.role(), m.addedAt(), m.updatedAt(), m.version(), warnings);
    }

    /** A non-fatal remark about the result of a change. */
    public record Warning(String code, String detail) {
        public static Warning teamHasNoAdmin() {
            return new Warning("team-has-no-admin",
                    "the team now has no team ADMIN; organization OWNERs and ADMINs can still add, change and remove its members, "
                            + "rename, archive it and set its budget — name a new team ADMIN with PATCH .../members/{userId}");
        }
    }

    /** The answer to removing a member. */
    public record Removal(String teamId, String userId, boolean removed, List<Warning> warnings) {}
}

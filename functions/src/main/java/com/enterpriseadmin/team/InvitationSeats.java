package com.enterpriseadmin.team;

import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.invitation.Invitation;
import com.enterpriseadmin.invitation.InvitationTeams;
import com.enterpriseadmin.invitation.TeamAssignment;
import com.enterpriseadmin.observability.Log;
import com.enterpriseadmin.user.UserProfile;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Applies an accepted invitation's pre-assigned team seats ({@link InvitationTeams}), atomically with
 * the acceptance: the seats' puts and the teams' {@code memberCount + 1} (conditioned on the team
 * being ACTIVE) join the accept transaction, and the same teams go into the new membership's map.
 *
 * <p>Decision: a team that was archived (or no longer exists) since the invitation was sent is
 * SKIPPED, not a reason to refuse the invitation — the invitee still joins the organization, the
 * skip is logged, and an admin can add the seat later. If a team is archived between this read and
 * the transaction, the condition cancels the accept, which retries with a fresh read and skips it.
 */
public final class InvitationSeats implements InvitationTeams {
    private final TeamStore store;
    private final Function<String, Optional<UserProfile>> profiles;
    private final Clock clock;

    public InvitationSeats(TeamStore store, Function<String, Optional<UserProfile>> profiles, Clock clock) {
        this.store = store;
        this.profiles = profiles;
        this.clock = clock;
    }

    @Override
    public void checkOnInvite(String orgId, List<TeamAssignment> teams) {
        for (int i = 0; i < teams.size(); i++) {
            Optional<Team> team = store.team(orgId, teams.get(i).teamId());
            if (team.isEmpty() || !team.get().active()) {
                throw new InvalidInput("unknown-team", "teams[" + i + "].teamId",
                        team.isEmpty() ? "no team with this id in the organization" : "the team is archived");
            }
        }
    }

    @Override
    public Seats onAccept(Invitation invitation, String userId) {
        if (invitation.teams().isEmpty()) {
            return Seats.NONE;
        }
        Instant now = clock.instant();
        String name = profiles.apply(userId).map(UserProfile::name).orElse(null);
        Map<String, TeamRole> teams = new LinkedHashMap<>();
        List<TeamMember> seats = new ArrayList<>();
        for (TeamAssignment assignment : invitation.teams()) {
            if (teams.size() >= TeamMembers.MAX_TEAMS_PER_MEMBER || teams.containsKey(assignment.teamId())) {
                continue;
            }
            Optional<Team> team = store.team(invitation.orgId(), assignment.teamId());
            if (team.isEmpty() || !team.get().active()) {
                Log.info("invitation-team-skipped", "teamId", assignment.teamId(), "reason", team.isEmpty() ? "gone" : "archived");
                continue;
            }
            teams.put(assignment.teamId(), assignment.role());
            seats.add(new TeamMember(invitation.orgId(), assignment.teamId(), userId, invitation.email(), name,
                    assignment.role(), invitation.invitedBy(), now, now, 1));
        }
        return new Seats(teams, tx -> store.addSeatCreations(tx, seats));
    }
}

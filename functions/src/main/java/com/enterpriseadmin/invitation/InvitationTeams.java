package com.enterpriseadmin.invitation;

import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.store.Tx;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How an accepted invitation's pre-assigned team seats are applied — plugged in by the teams feature.
 * {@code teams} goes into the new membership's {@code teams} map; {@code addTo} adds the seats' writes
 * (team-member puts, team counters) to the accept transaction and returns them: if one refuses, the
 * accept is tried again from fresh reads. The default applies nothing (the seats stay recorded on the
 * invitation).
 */
@FunctionalInterface
public interface InvitationTeams {

    record Seats(Map<String, TeamRole> teams, Function<Tx, List<Tx.Action>> addTo) {
        public static final Seats NONE = new Seats(Map.of(), tx -> List.of());
    }

    Seats onAccept(Invitation invitation, String userId);

    /** Refuses (400 naming the member) pre-assigned teams that are not active teams of the organization. */
    default void checkOnInvite(String orgId, List<TeamAssignment> teams) {}

    InvitationTeams NONE = (invitation, userId) -> Seats.NONE;
}

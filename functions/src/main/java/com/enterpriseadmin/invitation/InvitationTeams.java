package com.enterpriseadmin.invitation;

import com.enterpriseadmin.auth.TeamRole;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * How an accepted invitation's pre-assigned team seats are applied — plugged in by the teams feature.
 * {@code teams} goes into the new membership's {@code teams} map; {@code writes} (team-member puts,
 * team condition checks) join the accept transaction. The default applies nothing (the seats stay
 * recorded on the invitation).
 */
@FunctionalInterface
public interface InvitationTeams {

    record Seats(Map<String, TeamRole> teams, List<TransactWriteItem> writes) {}

    Seats onAccept(Invitation invitation, String userId);

    /** Refuses (400 naming the member) pre-assigned teams that are not active teams of the organization. */
    default void checkOnInvite(String orgId, List<TeamAssignment> teams) {}

    InvitationTeams NONE = (invitation, userId) -> new Seats(Map.of(), List.of());
}

package com.enterpriseadmin.invitation;

import com.enterpriseadmin.auth.OrgRole;
import java.time.Instant;
import java.util.List;

/**
 * An invitation of a signed-up user (by normalised e-mail) to an organization with an org role and
 * optional team seats. {@code inviteeUserId} is the Cognito {@code sub} found when it was created: the
 * invitation belongs to that person (who alone may see, accept or decline it), not to whoever holds the
 * address later. A PENDING invitation whose {@code expiresAt} has passed is EXPIRED for every purpose,
 * even before the scheduled job or an accept attempt records that status. {@code inviteeCounted}: the
 * invitation is counted on its invitee's PENDING counter (every invitation created since the counter
 * exists), so that leaving PENDING takes it off again.
 */
public record Invitation(
        String invitationId,
        String orgId,
        String email,
        String inviteeUserId,
        OrgRole role,
        List<TeamAssignment> teams,
        InvitationStatus status,
        String invitedBy,
        Instant createdAt,
        Instant expiresAt,
        Instant updatedAt,
        int sendCount,
        long version,
        boolean inviteeCounted) {

    public Invitation {
        teams = teams == null ? List.of() : List.copyOf(teams);
    }

    /** An invitation not counted on its invitee's PENDING counter (made before the counter existed). */
    public Invitation(String invitationId, String orgId, String email, String inviteeUserId, OrgRole role, List<TeamAssignment> teams,
                      InvitationStatus status, String invitedBy, Instant createdAt, Instant expiresAt, Instant updatedAt, int sendCount,
                      long version) {
        this(invitationId, orgId, email, inviteeUserId, role, teams, status, invitedBy, createdAt, expiresAt, updatedAt, sendCount, version, false);
    }

    public boolean lapsed(Instant now) {
        return status == InvitationStatus.PENDING && !expiresAt.isAfter(now);
    }

    public boolean open(Instant now) {
        return status == InvitationStatus.PENDING && expiresAt.isAfter(now);
    }

    /** The status a caller sees: a lapsed PENDING invitation is shown as EXPIRED. */
    public InvitationStatus effectiveStatus(Instant now) {
        return lapsed(now) ? InvitationStatus.EXPIRED : status;
    }
}

package com.enterpriseadmin.user;

import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.auth.TeamRole;
import java.time.Instant;
import java.util.List;

/**
 * The use case behind {@code GET /v1/me}: the caller's profile, whether the e-mail in their token is
 * verified, their memberships (org, role, status, team seats) and the open invitations made for them
 * (by user id, never by e-mail: an address can change hands; accepting one needs a verified e-mail).
 * Both lists come from indexes (eventually consistent): they are for display, never for decisions.
 */
public final class Me {

    /** The caller's memberships (GSI1 {@code USER#{userId}}). */
    @FunctionalInterface
    public interface Memberships {
        List<MembershipSummary> of(String userId);
    }

    /** Open invitations made for a person (GSI2 {@code INVITEE#{userId}}), lapsed ones skipped. */
    @FunctionalInterface
    public interface Invitations {
        List<InvitationSummary> openFor(String userId);
    }

    public record TeamSeat(String teamId, String name, TeamRole role) {}

    public record MembershipSummary(String orgId, String orgName, OrgRole role, MemberStatus status, List<TeamSeat> teams, Instant joinedAt) {}

    public record InvitationSummary(String invitationId, String orgId, String orgName, OrgRole role, String invitedBy,
                                    Instant createdAt, Instant expiresAt) {}

    private final Profiles profiles;
    private final Memberships memberships;
    private final Invitations invitations;

    public Me(Profiles profiles) {
        this(profiles, userId -> List.of(), userId -> List.of());
    }

    public Me(Profiles profiles, Memberships memberships, Invitations invitations) {
        this.profiles = profiles;
        this.memberships = memberships;
        this.invitations = invitations;
    }

    public View describe(Caller caller) {
        UserProfile profile = profiles.ensure(caller);
        return new View(profile.userId(), profile.email(), caller.emailVerified(), profile.name(), profile.createdAt(),
                memberships.of(caller.userId()), invitations.openFor(caller.userId()));
    }

    /** {@code emailVerified}: what the caller's ID token says ({@code email_verified}); false means verify, then sign in again. */
    public record View(String userId, String email, boolean emailVerified, String name, Instant createdAt,
                       List<MembershipSummary> memberships, List<InvitationSummary> invitations) {}
}

package com.enterpriseadmin.user;

import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.auth.TeamRole;
import java.time.Instant;
import java.util.List;

/**
 * The use case behind {@code GET /v1/me}: the caller's profile, their memberships (org, role, status,
 * team seats) and the open invitations addressed to their VERIFIED e-mail (none without one).
 * Both lists come from indexes (eventually consistent): they are for display, never for decisions.
 */
public final class Me {

    /** The caller's memberships (GSI1 {@code USER#{userId}}). */
    @FunctionalInterface
    public interface Memberships {
        List<MembershipSummary> of(String userId);
    }

    /** Open invitations addressed to an e-mail (GSI2 {@code INVITEE#{email}}), lapsed ones skipped. */
    @FunctionalInterface
    public interface Invitations {
        List<InvitationSummary> openFor(String email);
    }

    public record TeamSeat(String teamId, String name, TeamRole role) {}

    public record MembershipSummary(String orgId, String orgName, OrgRole role, MemberStatus status, List<TeamSeat> teams, Instant joinedAt) {}

    public record InvitationSummary(String invitationId, String orgId, String orgName, OrgRole role, String invitedBy,
                                    Instant createdAt, Instant expiresAt) {}

    private final Profiles profiles;
    private final Memberships memberships;
    private final Invitations invitations;

    public Me(Profiles profiles) {
        this(profiles, userId -> List.of(), email -> List.of());
    }

    public Me(Profiles profiles, Memberships memberships, Invitations invitations) {
        this.profiles = profiles;
        this.memberships = memberships;
        this.invitations = invitations;
    }

    public View describe(Caller caller) {
        UserProfile profile = profiles.ensure(caller);
        List<InvitationSummary> pending = caller.verifiedEmail().map(invitations::openFor).orElse(List.of());
        return new View(profile.userId(), profile.email(), profile.name(), profile.createdAt(),
                memberships.of(caller.userId()), pending);
    }

    public record View(String userId, String email, String name, Instant createdAt,
                       List<MembershipSummary> memberships, List<InvitationSummary> invitations) {}
}

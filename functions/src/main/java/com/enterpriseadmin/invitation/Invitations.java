package com.enterpriseadmin.invitation;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditEntry.Target;
import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Admission;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.error.DomainException.Conflict;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.error.DomainException.NotFound;
import com.enterpriseadmin.error.DomainException.RateLimited;
import com.enterpriseadmin.error.DomainException.Unprocessable;
import com.enterpriseadmin.http.PageRequest;
import com.enterpriseadmin.invitation.InvitationStore.Closing;
import com.enterpriseadmin.invitation.InvitationStore.RateWindow;
import com.enterpriseadmin.observability.Log;
import com.enterpriseadmin.observability.Metrics;
import com.enterpriseadmin.organization.Members;
import com.enterpriseadmin.organization.Membership;
import com.enterpriseadmin.organization.OrganizationStore;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Page;
import com.enterpriseadmin.store.Retry;
import com.enterpriseadmin.user.Profiles;
import com.enterpriseadmin.user.UserProfile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The invitation lifecycle: {@code PENDING → ACCEPTED | DECLINED | REVOKED | EXPIRED}.
 *
 * <ul>
 *   <li>Only a confirmed user of the pool can be invited (422 {@code user-not-signed-up}); a member
 *       (active or suspended) cannot (409 {@code already-a-member}).</li>
 *   <li>Re-inviting an e-mail with an open invitation returns it unchanged (200); a lapsed one is
 *       marked EXPIRED and replaced by a new invitation (201).</li>
 *   <li>Resend applies to PENDING invitations only — including lapsed ones not yet marked EXPIRED —
 *       and restarts the expiry from now. An EXPIRED, DECLINED or REVOKED invitation is final: invite again.</li>
 *   <li>Creating and resending count against the per-org daily limit and the inviting administrator's
 *       daily limit (fixed UTC-day windows): 429 {@code invite-rate-limited} / {@code inviter-rate-limited}
 *       with Retry-After = seconds to the next UTC midnight.</li>
 *   <li>One person holds at most {@code pendingPerInvitee} PENDING invitations across organizations:
 *       409 {@code invitee-has-too-many-invitations} (counted atomically on their PENDING counter).</li>
 *   <li>Accept / decline only by the invitee — the person (Cognito {@code sub}) the invitation was
 *       made for, whatever their e-mail is now; anyone else gets 404 as if it did not exist. The
 *       invitee's e-mail must be verified (403 {@code email-not-verified}).</li>
 * </ul>
 */
public final class Invitations {
    public static final String SYSTEM = "system";

    private final Policy policy;
    private final InvitationStore store;
    private final OrganizationStore organizations;
    private final Invitees invitees;
    private final InvitationTeams teams;
    private final Profiles profiles;
    private final Clock clock;
    private final Duration ttl;
    private final Limits limits;

    /**
     * The abuse limits: invitations created or resent per organization and per inviting administrator
     * and UTC day; PENDING invitations one person may hold across organizations.
     */
    public record Limits(int perOrgPerDay, int perInviterPerDay, int pendingPerInvitee) {}

    public Invitations(Policy policy, InvitationStore store, OrganizationStore organizations, Invitees invitees,
                       InvitationTeams teams, Profiles profiles, Clock clock, Duration ttl, Limits limits) {
        this.policy = policy;
        this.store = store;
        this.organizations = organizations;
        this.invitees = invitees;
        this.teams = teams;
        this.profiles = profiles;
        this.clock = clock;
        this.ttl = ttl;
        this.limits = limits;
    }

    public record View(String invitationId, String orgId, String email, OrgRole role, List<TeamAssignment> teams,
                       InvitationStatus status, String invitedBy, Instant createdAt, Instant expiresAt, Instant updatedAt) {
        public static View of(Invitation i, Instant now) {
            return new View(i.invitationId(), i.orgId(), i.email(), i.role(), i.teams(), i.effectiveStatus(now),
                    i.invitedBy(), i.createdAt(), i.expiresAt(), i.updatedAt());
        }
    }

    /** The invitation and whether this call created it (201) or found the open one (200). */
    public record Invited(View invitation, boolean created) {}

    public record Accepted(View invitation, Members.View membership) {}

    // ------------------------------------------------------------------ administrators

    public Invited invite(Caller caller, String orgId, CreateInvitationRequest request) {
        policy.require(caller, orgId, Action.MANAGE_INVITATIONS);
        teams.checkOnInvite(orgId, request.teams());
        String email = request.email();
        Invitees.Invitee[] invitee = new Invitees.Invitee[1];
        return Retry.until(attempt -> {
            Instant now = clock.instant();
            Optional<String> holder = store.pendingInvitationId(orgId, email);
            Optional<Invitation> current = holder.flatMap(store::get);
            if (current.isPresent() && current.get().open(now)) {
                return Optional.of(new Invited(View.of(current.get(), now), false));
            }
            Optional<Invitation> lapsed = current.filter(i -> i.lapsed(now));
            if (invitee[0] == null) {
                invitee[0] = invitees.confirmedUser(email).orElseThrow(() -> new Unprocessable("user-not-signed-up",
                        "no confirmed user signed up with this e-mail; ask them to sign up first").with("field", "email"));
            }
            if (organizations.membership(orgId, invitee[0].userId()).isPresent()) {
                throw alreadyMember();
            }
            Invitation inv = new Invitation(Ids.newId(), orgId, email, invitee[0].userId(), request.role().toOrgRole(),
                    request.teams(), InvitationStatus.PENDING, caller.userId(), now, now.plus(ttl), now, 1, 1, true);
            AuditEntry created = AuditEntry.of(orgId, caller.userId(), "invitation.created", Target.invitation(inv.invitationId()),
                    Map.of(), AuditEntry.state("email", email, "role", inv.role(), "teams", teamsState(inv),
                            "status", inv.status(), "expiresAt", inv.expiresAt()), now);
            Optional<AuditEntry> expired = lapsed.map(old -> AuditEntry.of(orgId, SYSTEM, "invitation.expired",
                    Target.invitation(old.invitationId()), AuditEntry.state("status", InvitationStatus.PENDING),
                    AuditEntry.state("status", InvitationStatus.EXPIRED), now));
            return switch (store.create(inv, holder, lapsed, limits(caller, now), created, expired)) {
                case DONE -> {
                    Log.info("invitation-created", "invitationId", inv.invitationId());
                    Metrics.count("InvitationsCreated", 1, Map.of());
                    yield Optional.of(new Invited(View.of(inv, now), true));
                }
                case ALREADY_MEMBER -> throw alreadyMember();
                case RATE_LIMITED -> throw rateLimited(now);
                case INVITER_RATE_LIMITED -> throw inviterRateLimited(now);
                case INVITEE_FULL -> throw inviteeFull();
                case RETRY -> Optional.empty(); // another invite or a change of the lapsed one won: re-read
            };
        });
    }

    public Page<View> list(Caller caller, String orgId, Optional<String> status, PageRequest page) {
        policy.require(caller, orgId, Action.MANAGE_INVITATIONS);
        Optional<InvitationStatus> filter = status.map(Invitations::parseStatus);
        Instant now = clock.instant();
        return store.list(orgId, filter, now, page.cursor(), page.limit()).map(i -> View.of(i, now));
    }

    public View resend(Caller caller, String orgId, String invitationId) {
        policy.require(caller, orgId, Action.MANAGE_INVITATIONS);
        return Retry.until(attempt -> {
            Invitation inv = inOrg(orgId, invitationId);
            if (inv.status() != InvitationStatus.PENDING) {
                throw notPending(inv);
            }
            Instant now = clock.instant();
            Instant expiry = now.plus(ttl);
            AuditEntry entry = AuditEntry.of(orgId, caller.userId(), "invitation.resent", Target.invitation(invitationId),
                    AuditEntry.state("expiresAt", inv.expiresAt()), AuditEntry.state("expiresAt", expiry), now);
            return switch (store.resend(inv, expiry, now, limits(caller, now), entry)) {
                case DONE -> Optional.of(View.of(new Invitation(inv.invitationId(), inv.orgId(), inv.email(), inv.inviteeUserId(),
                        inv.role(), inv.teams(), inv.status(), inv.invitedBy(), inv.createdAt(), expiry, now, inv.sendCount() + 1,
                        inv.version() + 1, inv.inviteeCounted()), now));
                case RATE_LIMITED -> throw rateLimited(now);
                case INVITER_RATE_LIMITED -> throw inviterRateLimited(now);
                case RETRY -> Optional.empty();
            };
        });
    }

    public View revoke(Caller caller, String orgId, String invitationId) {
        policy.require(caller, orgId, Action.MANAGE_INVITATIONS);
        return Retry.until(attempt -> {
            Invitation inv = inOrg(orgId, invitationId);
            if (inv.status() != InvitationStatus.PENDING) {
                throw notPending(inv);
            }
            return close(inv, InvitationStatus.REVOKED, caller.userId(), "invitation.revoked")
                    .map(i -> View.of(i, clock.instant()));
        });
    }

    /**
     * Changes the org role and/or the team pre-assignments of a PENDING invitation (not lapsed): 409
     * {@code invitation-not-pending} / {@code invitation-expired} otherwise. Conditioned on the invitation's status
     * and version in one transaction with its audit entry ({@code invitation.updated}); a concurrent change re-reads.
     * Teams are checked as on invite (ACTIVE teams of the organization, 400 {@code unknown-team}).
     */
    public View edit(Caller caller, String orgId, String invitationId, UpdateInvitationRequest request) {
        policy.require(caller, orgId, Action.MANAGE_INVITATIONS);
        if (request.teams() != null) {
            teams.checkOnInvite(orgId, request.teams());
        }
        return Retry.until(attempt -> {
            Invitation inv = inOrg(orgId, invitationId);
            Instant now = clock.instant();
            refuseUnlessOpen(inv, now);
            OrgRole role = request.role() == null ? inv.role() : request.role().toOrgRole();
            List<TeamAssignment> assigned = request.teams() == null ? inv.teams() : request.teams();
            if (role == inv.role() && assigned.equals(inv.teams())) {
                return Optional.of(View.of(inv, now));
            }
            Invitation edited = new Invitation(inv.invitationId(), inv.orgId(), inv.email(), inv.inviteeUserId(), role, assigned, inv.status(),
                    inv.invitedBy(), inv.createdAt(), inv.expiresAt(), now, inv.sendCount(), inv.version() + 1, inv.inviteeCounted());
            AuditEntry entry = AuditEntry.of(orgId, caller.userId(), "invitation.updated", Target.invitation(invitationId),
                    AuditEntry.state("role", inv.role(), "teams", teamsState(inv)), AuditEntry.state("role", role, "teams", teamsState(edited)), now);
            return switch (store.edit(inv, edited, entry)) {
                case DONE -> Optional.of(View.of(edited, now));
                case RETRY -> Optional.empty();
            };
        });
    }

    // ------------------------------------------------------------------ the invitee

    public Accepted accept(Caller caller, String invitationId) {
        return Retry.until(attempt -> {
            Invitation inv = addressedTo(caller, invitationId);
            Instant now = clock.instant();
            refuseUnlessOpen(inv, now);
            UserProfile profile = profiles.ensure(caller);
            InvitationTeams.Seats seats = teams.onAccept(inv, caller.userId());
            Membership member = new Membership(inv.orgId(), caller.userId(), profile.email(), profile.name(), inv.role(),
                    MemberStatus.ACTIVE, seats.teams(), now, now, 1);
            AuditEntry entry = AuditEntry.of(inv.orgId(), caller.userId(), "invitation.accepted", Target.invitation(inv.invitationId()),
                    AuditEntry.state("status", inv.status()), AuditEntry.state("status", InvitationStatus.ACCEPTED, "userId", caller.userId(),
                            "role", inv.role(), "teams", seats.teams().keySet().stream().sorted().toList()), now);
            return switch (store.accept(inv, now, tx -> organizations.addMembership(tx, member), seats, entry,
                    tx -> OrganizationStore.addToDirectory(tx, member))) {
                case DONE -> {
                    Log.info("invitation-accepted", "invitationId", invitationId, "orgId", inv.orgId());
                    Metrics.count("InvitationsAccepted", 1, Map.of());
                    yield Optional.of(new Accepted(View.of(withStatus(inv, InvitationStatus.ACCEPTED, now), now), Members.View.of(member)));
                }
                case MEMBERSHIP_EXISTS -> throw alreadyMember();
                case NOT_PENDING, RETRY -> Optional.empty(); // lost a race: re-read, which reports the state that won
            };
        });
    }

    public View decline(Caller caller, String invitationId) {
        return Retry.until(attempt -> {
            Invitation inv = addressedTo(caller, invitationId);
            refuseUnlessOpen(inv, clock.instant());
            return close(inv, InvitationStatus.DECLINED, caller.userId(), "invitation.declined")
                    .map(i -> View.of(i, clock.instant()));
        });
    }

    // ------------------------------------------------------------------ helpers

    private Optional<Invitation> close(Invitation inv, InvitationStatus to, String actor, String action) {
        Instant now = clock.instant();
        Closing closing = store.close(inv, to, now, AuditEntry.of(inv.orgId(), actor, action,
                Target.invitation(inv.invitationId()), AuditEntry.state("status", inv.status()), AuditEntry.state("status", to), now));
        return closing == Closing.DONE ? Optional.of(withStatus(inv, to, now)) : Optional.empty();
    }

    /** A PENDING invitation past its expiry is recorded as EXPIRED (best effort) and refused. */
    private void refuseUnlessOpen(Invitation inv, Instant now) {
        if (inv.status() != InvitationStatus.PENDING) {
            throw notPending(inv);
        }
        if (inv.lapsed(now)) {
            close(inv, InvitationStatus.EXPIRED, SYSTEM, "invitation.expired");
            throw new Conflict("invitation-expired", "the invitation expired; ask an administrator to resend it")
                    .with("invitationStatus", InvitationStatus.EXPIRED.name());
        }
    }

    private Invitation inOrg(String orgId, String invitationId) {
        return lookup(invitationId).filter(i -> i.orgId().equals(orgId)).orElseThrow(Invitations::invitationNotFound);
    }

    /**
     * The invitation, if it was made for the caller: bound to the person (user id), not to the e-mail
     * address, which may since belong to someone else. Anyone else gets 404 as if it did not exist.
     * Answering needs a verified e-mail (checked first, whatever the id: no existence leak).
     */
    private Invitation addressedTo(Caller caller, String invitationId) {
        if (!caller.emailVerified()) {
            throw Admission.emailNotVerified();
        }
        return lookup(invitationId)
                .filter(i -> caller.userId().equals(i.inviteeUserId()))
                .orElseThrow(Invitations::invitationNotFound);
    }

    private Optional<Invitation> lookup(String invitationId) {
        return Ids.isWellFormed(invitationId) ? store.get(invitationId) : Optional.empty();
    }

    private static RateWindow window(Instant now, int limit) {
        LocalDate day = now.atZone(ZoneOffset.UTC).toLocalDate();
        return new RateWindow(day.toString(), limit, day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    private InvitationStore.Limits limits(Caller caller, Instant now) {
        return new InvitationStore.Limits(caller.userId(), window(now, limits.perOrgPerDay()), window(now, limits.perInviterPerDay()),
                limits.pendingPerInvitee());
    }

    private static long secondsToUtcMidnight(Instant now) {
        return Math.max(1, Duration.between(now, window(now, 1).resetsAt()).toSeconds());
    }

    private RateLimited rateLimited(Instant now) {
        Metrics.count("InvitesRateLimited", 1, Map.of());
        return new RateLimited("invite-rate-limited", "this organization reached its limit of " + limits.perOrgPerDay()
                + " invitations per day (UTC); retry after midnight UTC", secondsToUtcMidnight(now)).with("limit", limits.perOrgPerDay());
    }

    private RateLimited inviterRateLimited(Instant now) {
        Metrics.count("InvitesRateLimited", 1, Map.of("Scope", "Inviter"));
        return new RateLimited("inviter-rate-limited", "you reached your limit of " + limits.perInviterPerDay()
                + " invitations sent per day (UTC), across organizations; retry after midnight UTC", secondsToUtcMidnight(now))
                .with("limit", limits.perInviterPerDay());
    }

    private Conflict inviteeFull() {
        Metrics.count("InviteesFull", 1, Map.of());
        return new Conflict("invitee-has-too-many-invitations", "this person already has " + limits.pendingPerInvitee()
                + " pending invitations (the most one person may hold); they must accept or decline some, or one must expire or be revoked, first")
                .with("limit", limits.pendingPerInvitee());
    }

    private static Invitation withStatus(Invitation i, InvitationStatus status, Instant now) {
        return new Invitation(i.invitationId(), i.orgId(), i.email(), i.inviteeUserId(), i.role(), i.teams(), status,
                i.invitedBy(), i.createdAt(), i.expiresAt(), now, i.sendCount(), i.version() + 1, i.inviteeCounted());
    }

    private static List<Map<String, Object>> teamsState(Invitation inv) {
        return inv.teams().stream().map(t -> Map.<String, Object>of("teamId", t.teamId(), "role", t.role().name())).toList();
    }

    static InvitationStatus parseStatus(String raw) {
        try {
            return InvitationStatus.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("status", "'status' must be one of: PENDING, ACCEPTED, DECLINED, REVOKED, EXPIRED");
        }
    }

    static Conflict alreadyMember() {
        return new Conflict("already-a-member", "this person is already a member of the organization");
    }

    static Conflict notPending(Invitation inv) {
        return new Conflict("invitation-not-pending", "the invitation is " + inv.status() + ", no longer PENDING")
                .with("invitationStatus", inv.status().name());
    }

    static NotFound invitationNotFound() {
        return new NotFound("invitation-not-found", "no such invitation");
    }
}

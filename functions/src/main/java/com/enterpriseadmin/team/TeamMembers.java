package com.enterpriseadmin.team;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.error.DomainException;
import com.enterpriseadmin.error.DomainException.Conflict;
import com.enterpriseadmin.error.DomainException.NotFound;
import com.enterpriseadmin.http.PageRequest;
import com.enterpriseadmin.organization.HoldReleases;
import com.enterpriseadmin.organization.Membership;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Page;
import com.enterpriseadmin.store.Retry;
import com.enterpriseadmin.team.TeamMemberView.Warning;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Use cases of team members: add, list, change role, remove. Allowed to organization OWNERs and
 * ADMINs and to the ADMINs of that team ({@link Action#MANAGE_TEAM_MEMBERS}); a team MEMBER may not
 * list the team (they see their own teams in {@code /v1/me}).
 *
 * <p>A seat requires an ACTIVE org membership, checked inside the add transaction (not by the read
 * before it), so a concurrent removal from the organization cannot leave a dangling seat. A team
 * may end up with no team ADMIN (last one removed or demoted): the change is allowed, the response
 * carries the {@code team-has-no-admin} warning, and the org OWNER/ADMINs can always manage it.
 * Removing a seat releases the member's open holds on that team right after the removal commits.
 */
public final class TeamMembers {
    /**
     * At most this many teams per user in one organization. Removing the user from the organization
     * deletes all their seats in ONE transaction (two actions per team: seat delete + team
     * memberCount), next to the membership delete and its audit entry; DynamoDB allows 100 actions per
     * transaction: 2 + 2·40 = 82 leaves 18.
     */
    public static final int MAX_TEAMS_PER_MEMBER = 40;

    /** Reads an org membership with a consistent read. */
    @FunctionalInterface
    public interface Memberships {
        Optional<Membership> find(String orgId, String userId);
    }

    private final Policy policy;
    private final TeamStore store;
    private final Memberships memberships;
    private final HoldReleases holds;
    private final Clock clock;
    private final Optional<MemberCaps> caps;

    public TeamMembers(Policy policy, TeamStore store, Memberships memberships, HoldReleases holds, Clock clock) {
        this(policy, store, memberships, holds, clock, null);
    }

    public TeamMembers(Policy policy, TeamStore store, Memberships memberships, HoldReleases holds, Clock clock, MemberCaps caps) {
        this.policy = policy;
        this.store = store;
        this.memberships = memberships;
        this.holds = holds;
        this.clock = clock;
        this.caps = Optional.ofNullable(caps);
    }

    public TeamMemberView add(Caller caller, String orgId, String teamId, AddTeamMemberRequest request) {
        policy.require(caller, orgId, Action.MANAGE_TEAM_MEMBERS, teamId);
        Team team = existingTeam(orgId, teamId);
        if (!team.active()) {
            throw teamArchived();
        }
        String field = request.userId().isPresent() ? "userId" : "email";
        String userId = request.userId()
                .or(() -> request.email().flatMap(store::userIdByEmail))
                .orElseThrow(() -> notAMember(field));
        return Retry.until(attempt -> {
            Membership member = memberships.find(orgId, userId).orElseThrow(() -> notAMember(field));
            refuseSeat(member, teamId, field);
            Instant now = clock.instant();
            TeamMember seat = new TeamMember(orgId, teamId, userId, member.email(), member.name(), request.role(),
                    caller.userId(), now, now, 1);
            AuditEntry entry = AuditEntry.of(orgId, caller.userId(), "team.member-added", target(teamId, userId), java.util.Map.of(),
                    AuditEntry.state("teamId", teamId, "userId", userId, "role", request.role()), now);
            return switch (store.addMember(seat, MAX_TEAMS_PER_MEMBER, entry)) {
                case DONE -> {
                    // The team's member limit, if any, is the new seat's cap (right after the seat commits).
                    caps.filter(c -> team.budget().memberLimit() != null).ifPresent(c -> c.apply(orgId, teamId, userId, MemberCaps.KEEP, null));
                    yield Optional.of(TeamMemberView.of(seat, List.of()));
                }
                case ALREADY_SEATED -> throw alreadyMember();
                case TEAM_ARCHIVED -> throw teamArchived();
                case MEMBERSHIP_REFUSED -> {
                    // Explain with a fresh read: gone, suspended or at the team limit (else a race: retry).
                    Membership current = memberships.find(orgId, userId).orElseThrow(() -> notAMember(field));
                    refuseSeat(current, teamId, field);
                    yield Optional.empty();
                }
                case RETRY -> Optional.empty();
            };
        });
    }

    public Page<TeamMemberView> list(Caller caller, String orgId, String teamId, PageRequest page) {
        policy.require(caller, orgId, Action.MANAGE_TEAM_MEMBERS, teamId);
        existingTeam(orgId, teamId);
        return store.members(orgId, teamId, page.cursor(), page.limit()).map(m -> TeamMemberView.of(m, null));
    }

    /**
     * {@code PATCH}: the team role and/or the member's own credit {@code limit} in the team ({@code limitGiven}: the body
     * names it; null removes it, and the team's member limit applies). Both by whoever manages the team's members.
     */
    public TeamMemberView update(Caller caller, String orgId, String teamId, String userId, UpdateTeamMemberRequest request, boolean limitGiven) {
        if (request.role() == null && !limitGiven) {
            throw new DomainException.InvalidInput("role", "'role' or 'limit' is required");
        }
        if (limitGiven) {
            policy.require(caller, orgId, Action.MANAGE_TEAM_MEMBERS, teamId);
            existingTeam(orgId, teamId);
            existingSeat(orgId, teamId, userId);
            MemberCaps.OwnLimit own = request.limit() == null ? new MemberCaps.OwnLimit.Remove() : new MemberCaps.OwnLimit.Set(request.limit());
            if (!caps.orElseThrow().apply(orgId, teamId, userId, own, caller.userId())) {
                throw new NotFound("team-member-not-found", "no such member in this team");
            }
            if (request.role() == null) {
                return TeamMemberView.of(existingSeat(orgId, teamId, userId), List.of());
            }
        }
        return changeRole(caller, orgId, teamId, userId, request);
    }

    private TeamMemberView changeRole(Caller caller, String orgId, String teamId, String userId, UpdateTeamMemberRequest request) {
        policy.require(caller, orgId, Action.MANAGE_TEAM_MEMBERS, teamId);
        existingTeam(orgId, teamId);
        TeamMember after = Retry.until(attempt -> {
            TeamMember before = existingSeat(orgId, teamId, userId);
            if (before.role() == request.role()) {
                return Optional.of(before);
            }
            Instant now = clock.instant();
            AuditEntry entry = AuditEntry.of(orgId, caller.userId(), "team.member-role-changed", target(teamId, userId),
                    AuditEntry.state("role", before.role()), AuditEntry.state("role", request.role()), now);
            if (!store.changeRole(before, request.role(), now, entry)) {
                return Optional.empty(); // changed or removed meanwhile: re-read
            }
            return Optional.of(new TeamMember(orgId, teamId, userId, before.email(), before.name(), request.role(),
                    before.addedBy(), before.addedAt(), now, before.version() + 1));
        });
        return TeamMemberView.of(after, after.role() == TeamRole.MEMBER ? adminWarnings(orgId, teamId) : List.of());
    }

    public TeamMemberView.Removal remove(Caller caller, String orgId, String teamId, String userId) {
        policy.require(caller, orgId, Action.MANAGE_TEAM_MEMBERS, teamId);
        existingTeam(orgId, teamId);
        TeamMember removed = Retry.until(attempt -> {
            TeamMember seat = existingSeat(orgId, teamId, userId);
            Instant now = clock.instant();
            AuditEntry entry = AuditEntry.of(orgId, caller.userId(), "team.member-removed", target(teamId, userId),
                    AuditEntry.state("teamId", teamId, "userId", userId, "role", seat.role()), java.util.Map.of(), now);
            return store.removeMember(seat, now, entry) ? Optional.of(seat) : Optional.empty();
        });
        holds.release(orgId, teamId, userId, "member-removed-from-team");
        return new TeamMemberView.Removal(teamId, userId, true,
                removed.role() == TeamRole.ADMIN ? adminWarnings(orgId, teamId) : List.of());
    }

    private List<Warning> adminWarnings(String orgId, String teamId) {
        return store.adminCount(orgId, teamId) == 0 ? List.of(Warning.teamHasNoAdmin()) : List.of();
    }

    private static void refuseSeat(Membership member, String teamId, String field) {
        if (member.status() != MemberStatus.ACTIVE) {
            throw new Conflict("not-an-organization-member", "the person's membership of this organization is suspended; reactivate it first")
                    .with("field", field);
        }
        if (member.teams().containsKey(teamId)) {
            throw alreadyMember();
        }
        if (member.teams().size() >= MAX_TEAMS_PER_MEMBER) {
            throw new Conflict("too-many-teams", "a user can belong to at most " + MAX_TEAMS_PER_MEMBER + " teams of an organization")
                    .with("field", field);
        }
    }

    private Team existingTeam(String orgId, String teamId) {
        if (!Ids.isWellFormed(teamId)) {
            throw Teams.teamNotFound();
        }
        return store.team(orgId, teamId).orElseThrow(Teams::teamNotFound);
    }

    private TeamMember existingSeat(String orgId, String teamId, String userId) {
        if (!UserIds.isWellFormed(userId)) {
            throw seatNotFound();
        }
        return store.member(orgId, teamId, userId).orElseThrow(TeamMembers::seatNotFound);
    }

    private static NotFound seatNotFound() {
        return new NotFound("team-member-not-found", "this user is not a member of the team");
    }

    private static NotFound notAMember(String field) {
        return new NotFound("not-an-organization-member", "no member of this organization has this " + ("email".equals(field) ? "e-mail address" : "user id")
                + "; invite them to the organization first").with("field", field);
    }

    private static DomainException alreadyMember() {
        return new Conflict("already-a-team-member", "this user is already a member of the team; change their role with PATCH");
    }

    private static DomainException teamArchived() {
        return new Conflict("team-archived", "the team is archived: it accepts no new members; unarchive it first");
    }

    static AuditEntry.Target target(String teamId, String userId) {
        return new AuditEntry.Target("team-member", teamId + "/" + userId);
    }
}

package com.enterpriseadmin.auth;

import com.enterpriseadmin.error.DomainException.Forbidden;
import com.enterpriseadmin.error.DomainException.NotFound;
import com.enterpriseadmin.store.Ids;
import java.util.Locale;
import java.util.Optional;

/**
 * THE authorization policy: every permission decision of the API goes through {@link #can}. It is
 * fed by the stored membership, read with a consistent read — never by token claims alone and never
 * by the request body.
 *
 * <ul>
 *   <li>Not a member (or a malformed org id): 404 {@code organization-not-found} for everything,
 *       so the existence of an organization never leaks.</li>
 *   <li>SUSPENDED member: may do nothing at all, not even read the name — 403
 *       {@code member-suspended} (they know the org exists: it is listed in their {@code /v1/me}).</li>
 *   <li>Active member without the permission: 403 {@code forbidden}.</li>
 * </ul>
 */
public final class Policy {

    /** Reads a user's membership of an organization with a consistent read. */
    @FunctionalInterface
    public interface Memberships {
        Optional<Standing> find(String orgId, String userId);
    }

    /**
     * Where a member's role in a team comes from. The default reads the membership's {@code teams}
     * map (already read consistently); the teams feature may plug in a look-up of its own items.
     */
    @FunctionalInterface
    public interface TeamRoles {
        Optional<TeamRole> roleIn(Standing member, String teamId);

        TeamRoles FROM_MEMBERSHIP = (member, teamId) -> Optional.ofNullable(member.teams().get(teamId));
    }

    private final Memberships memberships;
    private final TeamRoles teamRoles;

    public Policy(Memberships memberships) {
        this(memberships, TeamRoles.FROM_MEMBERSHIP);
    }

    public Policy(Memberships memberships, TeamRoles teamRoles) {
        this.memberships = memberships;
        this.teamRoles = teamRoles;
    }

    /**
     * The decision table of docs/domain.md, "Who does what". {@code teamRole} is the member's role in the team the
     * action is about (empty when not a member of it, or for org-level actions).
     */
    public static boolean can(Standing member, Action action, Optional<TeamRole> teamRole) {
        if (member == null || !member.active()) {
            return false;
        }
        boolean admin = member.role().isAdministrator();
        return switch (action) {
            case READ_ORG_NAME -> true;
            case READ_ORG, UPDATE_ORG, MANAGE_USERS, MANAGE_INVITATIONS, MANAGE_TEAMS, SET_BUDGET,
                    TOP_UP, VIEW_CREDITS, VIEW_LEDGER, VIEW_AUDIT, MANAGE_WEBHOOKS, CORRECT_CREDITS -> admin;
            case MANAGE_TEAM_MEMBERS, VIEW_TEAM_USAGE, REQUEST_BUDGET -> admin || teamRole.filter(r -> r == TeamRole.ADMIN).isPresent();
            case VIEW_OWN_USAGE -> admin || teamRole.isPresent();
            // Spending needs a seat in the team, whatever the org role.
            case CONSUME -> teamRole.isPresent();
        };
    }

    /** Requires an organization-level action; returns the caller's standing for the use case. */
    public Standing require(Caller caller, String orgId, Action action) {
        if (action.teamScoped()) {
            throw new IllegalArgumentException(action + " needs a team");
        }
        Standing member = member(caller, orgId);
        return decide(member, action, Optional.empty());
    }

    /** Requires a team-scoped action in {@code teamId}. */
    public Standing require(Caller caller, String orgId, Action action, String teamId) {
        if (!action.teamScoped()) {
            throw new IllegalArgumentException(action + " is not team-scoped");
        }
        Standing member = member(caller, orgId);
        return decide(member, action, member.active() ? teamRoles.roleIn(member, teamId) : Optional.empty());
    }

    /**
     * Decides a team-scoped action on a membership the caller already read (one consistent read per
     * request: deciding on a second read could contradict the first).
     */
    public Standing require(Standing member, Action action, String teamId) {
        if (!action.teamScoped()) {
            throw new IllegalArgumentException(action + " is not team-scoped");
        }
        return decide(member, action, member.active() ? teamRoles.roleIn(member, teamId) : Optional.empty());
    }

    /** The caller's membership, or 404 when they are not a member (no existence leak). */
    public Standing member(Caller caller, String orgId) {
        return member(orgId, () -> memberships.find(orgId, caller.userId()));
    }

    /**
     * The same decision on a membership read elsewhere (e.g. batched with the team on the consumption
     * path): 404 for a malformed org id — then {@code read} is not even called — or a missing membership.
     */
    public static Standing member(String orgId, java.util.function.Supplier<Optional<Standing>> read) {
        if (!Ids.isWellFormed(orgId)) {
            throw notFound();
        }
        return read.get().orElseThrow(Policy::notFound);
    }

    private static Standing decide(Standing member, Action action, Optional<TeamRole> teamRole) {
        if (!member.active()) {
            throw new Forbidden("member-suspended", "your membership of this organization is suspended");
        }
        if (!can(member, action, teamRole)) {
            throw new Forbidden("forbidden", "your role does not allow " + action.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " here");
        }
        return member;
    }

    public static NotFound notFound() {
        return new NotFound("organization-not-found", "no such organization");
    }
}

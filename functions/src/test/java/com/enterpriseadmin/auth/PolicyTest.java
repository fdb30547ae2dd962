package com.enterpriseadmin.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.enterpriseadmin.error.DomainException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The decision table of docs/domain.md, "Who does what", cell by cell, and how refusals are reported. */
class PolicyTest {
    static final String ORG = "0123456789abcdefghjkmnpqrs";
    static final String TEAM = "team0000000000000000000000";

    static final Set<Action> ADMIN_ONLY = EnumSet.of(Action.READ_ORG, Action.UPDATE_ORG, Action.MANAGE_USERS,
            Action.MANAGE_INVITATIONS, Action.MANAGE_TEAMS, Action.SET_BUDGET, Action.TOP_UP, Action.VIEW_CREDITS,
            Action.VIEW_LEDGER, Action.VIEW_AUDIT, Action.MANAGE_WEBHOOKS, Action.CORRECT_CREDITS);

    /** Expected answer for an ACTIVE member with org role {@code role} and team role {@code team} (null = not in the team). */
    static boolean expected(OrgRole role, TeamRole team, Action action) {
        boolean admin = role != OrgRole.USER;
        return switch (action) {
            case READ_ORG_NAME -> true;
            case READ_ORG, UPDATE_ORG, MANAGE_USERS, MANAGE_INVITATIONS, MANAGE_TEAMS, SET_BUDGET, TOP_UP, VIEW_CREDITS,
                    VIEW_LEDGER, VIEW_AUDIT, MANAGE_WEBHOOKS, CORRECT_CREDITS -> admin;
            case MANAGE_TEAM_MEMBERS, VIEW_TEAM_USAGE, REQUEST_BUDGET -> admin || team == TeamRole.ADMIN;
            case VIEW_OWN_USAGE -> admin || team != null;
            case CONSUME -> team != null;
        };
    }

    @Test
    void fullMatrixForActiveMembers() {
        int cells = 0;
        for (OrgRole role : OrgRole.values()) {
            for (TeamRole team : new TeamRole[] {null, TeamRole.ADMIN, TeamRole.MEMBER}) {
                Standing member = standing(role, MemberStatus.ACTIVE, team);
                for (Action action : Action.values()) {
                    Optional<TeamRole> teamRole = action.teamScoped() ? Optional.ofNullable(team) : Optional.empty();
                    assertEquals(expected(role, team, action), Policy.can(member, action, teamRole),
                            role + " / team " + team + " / " + action);
                    cells++;
                }
            }
        }
        assertEquals(OrgRole.values().length * 3 * Action.values().length, cells);
    }

    @Test
    void theSeedsTableRowByRow() {
        // "other org USER": read name only; nothing else, no team actions.
        Standing user = standing(OrgRole.USER, MemberStatus.ACTIVE, null);
        for (Action a : Action.values()) {
            assertEquals(a == Action.READ_ORG_NAME, Policy.can(user, a, Optional.empty()), a.name());
        }
        // team ADMIN (an org USER): manage own team's members and view its usage, consume; no org admin action.
        Standing teamAdmin = standing(OrgRole.USER, MemberStatus.ACTIVE, TeamRole.ADMIN);
        assertEquals(true, Policy.can(teamAdmin, Action.MANAGE_TEAM_MEMBERS, Optional.of(TeamRole.ADMIN)));
        assertEquals(true, Policy.can(teamAdmin, Action.VIEW_TEAM_USAGE, Optional.of(TeamRole.ADMIN)));
        assertEquals(true, Policy.can(teamAdmin, Action.CONSUME, Optional.of(TeamRole.ADMIN)));
        ADMIN_ONLY.forEach(a -> assertEquals(false, Policy.can(teamAdmin, a, Optional.empty()), a.name()));
        // team MEMBER: own usage and consume only.
        Standing member = standing(OrgRole.USER, MemberStatus.ACTIVE, TeamRole.MEMBER);
        assertEquals(false, Policy.can(member, Action.MANAGE_TEAM_MEMBERS, Optional.of(TeamRole.MEMBER)));
        assertEquals(false, Policy.can(member, Action.VIEW_TEAM_USAGE, Optional.of(TeamRole.MEMBER)));
        assertEquals(true, Policy.can(member, Action.VIEW_OWN_USAGE, Optional.of(TeamRole.MEMBER)));
        assertEquals(true, Policy.can(member, Action.CONSUME, Optional.of(TeamRole.MEMBER)));
        // an org ADMIN consumes only where they hold a seat ("yes if member").
        Standing admin = standing(OrgRole.ADMIN, MemberStatus.ACTIVE, null);
        assertEquals(false, Policy.can(admin, Action.CONSUME, Optional.empty()));
        assertEquals(true, Policy.can(admin, Action.CONSUME, Optional.of(TeamRole.MEMBER)));
        assertEquals(true, Policy.can(admin, Action.MANAGE_TEAM_MEMBERS, Optional.empty()));
    }

    @Test
    void suspendedMembersMayDoNothing() {
        for (OrgRole role : OrgRole.values()) {
            for (TeamRole team : new TeamRole[] {null, TeamRole.ADMIN, TeamRole.MEMBER}) {
                Standing s = standing(role, MemberStatus.SUSPENDED, team);
                for (Action action : Action.values()) {
                    assertEquals(false, Policy.can(s, action, Optional.ofNullable(team)), role + " " + team + " " + action);
                }
            }
        }
    }

    @Test
    void nonMembersAndMalformedOrgIdsAreNotFound() {
        Policy policy = new Policy((org, user) -> Optional.empty());
        for (Action a : Action.values()) {
            DomainException e = assertThrows(DomainException.NotFound.class, () -> require(policy, a));
            assertEquals("organization-not-found", e.code());
        }
        Policy anyone = new Policy((org, user) -> Optional.of(standing(OrgRole.OWNER, MemberStatus.ACTIVE, null)));
        for (String bad : new String[] {"", "x", "../../etc", "0123456789ABCDEFGHJKMNPQRS", "a".repeat(2000)}) {
            DomainException e = assertThrows(DomainException.NotFound.class, () -> anyone.require(caller(), bad, Action.READ_ORG_NAME));
            assertEquals("organization-not-found", e.code());
        }
    }

    @Test
    void suspendedIsForbiddenWithItsOwnCode() {
        Policy policy = new Policy((org, user) -> Optional.of(standing(OrgRole.ADMIN, MemberStatus.SUSPENDED, TeamRole.ADMIN)));
        for (Action a : Action.values()) {
            DomainException e = assertThrows(DomainException.Forbidden.class, () -> require(policy, a));
            assertEquals("member-suspended", e.code());
        }
    }

    @Test
    void deniedActionsAreForbidden() {
        Policy policy = new Policy((org, user) -> Optional.of(standing(OrgRole.USER, MemberStatus.ACTIVE, null)));
        assertEquals(OrgRole.USER, policy.require(caller(), ORG, Action.READ_ORG_NAME).role());
        for (Action a : ADMIN_ONLY) {
            DomainException e = assertThrows(DomainException.Forbidden.class, () -> policy.require(caller(), ORG, a));
            assertEquals("forbidden", e.code());
        }
        assertThrows(DomainException.Forbidden.class, () -> policy.require(caller(), ORG, Action.CONSUME, TEAM));
    }

    @Test
    void readsTheStandingOfTheCallerInThatOrg() {
        Map<String, String> asked = new HashMap<>();
        Standing owner = standing(OrgRole.OWNER, MemberStatus.ACTIVE, null);
        Policy policy = new Policy((org, user) -> {
            asked.put(org, user);
            return Optional.of(owner);
        });
        assertSame(owner, policy.require(caller(), ORG, Action.VIEW_AUDIT));
        assertEquals(Map.of(ORG, "user-1"), asked);
    }

    @Test
    void teamRoleComesFromThePluggedLookup() {
        Standing user = standing(OrgRole.USER, MemberStatus.ACTIVE, null);
        Policy fromMembership = new Policy((o, u) -> Optional.of(user));
        assertThrows(DomainException.Forbidden.class, () -> fromMembership.require(caller(), ORG, Action.MANAGE_TEAM_MEMBERS, TEAM));
        Policy plugged = new Policy((o, u) -> Optional.of(user), (member, team) -> TEAM.equals(team) ? Optional.of(TeamRole.ADMIN) : Optional.empty());
        assertSame(user, plugged.require(caller(), ORG, Action.MANAGE_TEAM_MEMBERS, TEAM));
        assertThrows(DomainException.Forbidden.class, () -> plugged.require(caller(), ORG, Action.MANAGE_TEAM_MEMBERS, "other0000000000000000000000"));
        // The default reads the membership's teams map.
        Standing seated = standing(OrgRole.USER, MemberStatus.ACTIVE, TeamRole.MEMBER);
        Policy seatedPolicy = new Policy((o, u) -> Optional.of(seated));
        assertSame(seated, seatedPolicy.require(caller(), ORG, Action.CONSUME, TEAM));
    }

    @Test
    void teamScopeIsChecked() {
        Policy policy = new Policy((o, u) -> Optional.of(standing(OrgRole.OWNER, MemberStatus.ACTIVE, null)));
        assertThrows(IllegalArgumentException.class, () -> policy.require(caller(), ORG, Action.CONSUME));
        assertThrows(IllegalArgumentException.class, () -> policy.require(caller(), ORG, Action.TOP_UP, TEAM));
    }

    private static Object require(Policy policy, Action a) {
        return a.teamScoped() ? policy.require(caller(), ORG, a, TEAM) : policy.require(caller(), ORG, a);
    }

    static Caller caller() {
        return Caller.from(Map.of("sub", "user-1", "email", "u@example.com", "email_verified", "true"));
    }

    static Standing standing(OrgRole role, MemberStatus status, TeamRole team) {
        return new Standing(ORG, "user-1", role, status, team == null ? Map.of() : Map.of(TEAM, team));
    }
}

package com.enterpriseadmin.team;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.auth.Standing;
import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.http.ApiRequest;
import com.enterpriseadmin.http.ApiResponse;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.store.Db;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Who may manage teams and their members (docs/domain.md, "Who does what"), decided by the one {@link Policy} from the
 * stored membership. Refusals must happen before any store access: the store here has no client.
 */
class TeamPermissionsTest {
    private static final Json JSON = new Json();
    private static final String ORG = "0123456789abcdefghjkmnpqrs";
    private static final String TEAM_A = "aaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String TEAM_B = "bbbbbbbbbbbbbbbbbbbbbbbbbb";

    private static final Map<String, Standing> MEMBERS = Map.of(
            "admin", new Standing(ORG, "admin", OrgRole.ADMIN, MemberStatus.ACTIVE, Map.of()),
            "lead", new Standing(ORG, "lead", OrgRole.USER, MemberStatus.ACTIVE, Map.of(TEAM_A, TeamRole.ADMIN)),
            "member", new Standing(ORG, "member", OrgRole.USER, MemberStatus.ACTIVE, Map.of(TEAM_A, TeamRole.MEMBER)),
            "suspended", new Standing(ORG, "suspended", OrgRole.ADMIN, MemberStatus.SUSPENDED, Map.of()));

    private final Policy policy = new Policy((org, user) -> ORG.equals(org) ? Optional.ofNullable(MEMBERS.get(user)) : Optional.empty());
    private final TeamStore noStore = new TeamStore(new Db(null, "t"), new AuditStore(new Db(null, "t"), JSON));
    private final TeamsHandler teams = new TeamsHandler(JSON, new Teams(policy, noStore, (org, team, user, reason) -> 0, Clock.systemUTC()));
    private final TeamMembersHandler members = new TeamMembersHandler(JSON,
            new TeamMembers(policy, noStore, (org, user) -> Optional.empty(), (org, team, user, reason) -> 0, Clock.systemUTC()));

    @Test
    void policyTableForTeams() {
        Standing admin = MEMBERS.get("admin");
        Standing lead = MEMBERS.get("lead");
        Standing member = MEMBERS.get("member");
        assertTrue(Policy.can(admin, Action.MANAGE_TEAMS, Optional.empty()));
        assertTrue(Policy.can(admin, Action.MANAGE_TEAM_MEMBERS, Optional.empty()));
        assertTrue(Policy.can(lead, Action.MANAGE_TEAM_MEMBERS, Optional.of(TeamRole.ADMIN)));
        assertTrue(Policy.can(lead, Action.VIEW_TEAM_USAGE, Optional.of(TeamRole.ADMIN)));
        assertFalse(Policy.can(lead, Action.MANAGE_TEAMS, Optional.empty()));
        assertFalse(Policy.can(lead, Action.MANAGE_TEAM_MEMBERS, Optional.empty()));
        assertFalse(Policy.can(member, Action.MANAGE_TEAM_MEMBERS, Optional.of(TeamRole.MEMBER)));
        assertFalse(Policy.can(MEMBERS.get("suspended"), Action.MANAGE_TEAMS, Optional.empty()));
    }

    @Test
    void onlyOrgAdministratorsCreateListAndRenameTeams() {
        String create = "{\"name\":\"Design\",\"budget\":{\"mode\":\"SHARED_POOL\"}}";
        assertProblem(teams.handle(request("POST /v1/organizations/{orgId}/teams", "lead", Map.of(), create)), 403, "forbidden");
        assertProblem(teams.handle(request("POST /v1/organizations/{orgId}/teams", "member", Map.of(), create)), 403, "forbidden");
        assertProblem(teams.handle(request("GET /v1/organizations/{orgId}/teams", "lead", Map.of(), null)), 403, "forbidden");
        assertProblem(teams.handle(request("PATCH /v1/organizations/{orgId}/teams/{teamId}", "lead", Map.of("teamId", TEAM_A), "{\"name\":\"X\"}")), 403, "forbidden");
        assertProblem(teams.handle(request("GET /v1/organizations/{orgId}/teams/{teamId}", "member", Map.of("teamId", TEAM_A), null)), 403, "forbidden");
        assertProblem(teams.handle(request("POST /v1/organizations/{orgId}/teams", "suspended", Map.of(), create)), 403, "member-suspended");
    }

    @Test
    void nonMembersGet404ForEverything() {
        assertProblem(teams.handle(request("GET /v1/organizations/{orgId}/teams", "stranger", Map.of(), null)), 404, "organization-not-found");
        assertProblem(members.handle(request("GET /v1/organizations/{orgId}/teams/{teamId}/members", "stranger", Map.of("teamId", TEAM_A), null)), 404, "organization-not-found");
    }

    @Test
    void teamAdminsManageOnlyTheirOwnTeamAndMembersManageNothing() {
        String add = "{\"userId\":\"someone\",\"role\":\"MEMBER\"}";
        assertProblem(members.handle(request("POST /v1/organizations/{orgId}/teams/{teamId}/members", "lead", Map.of("teamId", TEAM_B), add)), 403, "forbidden");
        assertProblem(members.handle(request("DELETE /v1/organizations/{orgId}/teams/{teamId}/members/{userId}", "lead", Map.of("teamId", TEAM_B, "userId", "member"), null)), 403, "forbidden");
        assertProblem(members.handle(request("POST /v1/organizations/{orgId}/teams/{teamId}/members", "member", Map.of("teamId", TEAM_A), add)), 403, "forbidden");
        assertProblem(members.handle(request("PATCH /v1/organizations/{orgId}/teams/{teamId}/members/{userId}", "member", Map.of("teamId", TEAM_A, "userId", "lead"), "{\"role\":\"MEMBER\"}")), 403, "forbidden");
        assertProblem(members.handle(request("GET /v1/organizations/{orgId}/teams/{teamId}/members", "member", Map.of("teamId", TEAM_A), null)), 403, "forbidden");
    }

    @Test
    void badInputIsA400NamingTheField() {
        assertProblem(teams.handle(request("POST /v1/organizations/{orgId}/teams", "admin", Map.of(), "{\"name\":\"A\",\"budget\":{\"mode\":\"LIMITED\"}}")), 400, "invalid-input", "budget.limit");
        assertProblem(teams.handle(request("GET /v1/organizations/{orgId}/teams", "admin", Map.of("__query", "limit=0"), null)), 400, "invalid-input", "limit");
        assertProblem(teams.handle(request("PATCH /v1/organizations/{orgId}/teams/{teamId}", "admin", Map.of("teamId", TEAM_A, "__ifmatch", "nope"), "{\"name\":\"X\"}")), 400, "invalid-input", "If-Match");
        assertProblem(members.handle(request("POST /v1/organizations/{orgId}/teams/{teamId}/members", "admin", Map.of("teamId", TEAM_A), "{\"role\":\"MEMBER\"}")), 400, "invalid-input", "userId");
    }

    @Test
    void malformedTeamIdsAreNotFound() {
        assertProblem(members.handle(request("GET /v1/organizations/{orgId}/teams/{teamId}/members", "admin", Map.of("teamId", "nope"), null)), 404, "team-not-found");
    }

    private static ApiRequest request(String routeKey, String user, Map<String, String> params, String body) {
        Map<String, String> path = new java.util.HashMap<>(params);
        path.put("orgId", ORG);
        Map<String, String> query = new java.util.HashMap<>();
        Map<String, String> headers = new java.util.HashMap<>();
        String q = path.remove("__query");
        if (q != null) {
            query.put(q.substring(0, q.indexOf('=')), q.substring(q.indexOf('=') + 1));
        }
        String ifMatch = path.remove("__ifmatch");
        if (ifMatch != null) {
            headers.put("if-match", ifMatch);
        }
        return new ApiRequest(routeKey, routeKey.split(" ")[0], "/v1/x", path, query, headers, body, Map.of("sub", user, "token_use", "id"), "req-1");
    }

    private static void assertProblem(ApiResponse response, int status, String code) {
        assertProblem(response, status, code, null);
    }

    private static void assertProblem(ApiResponse response, int status, String code, String field) {
        try {
            JsonNode problem = JSON.mapper().readTree(response.body());
            assertEquals(status, response.statusCode(), response.body());
            assertEquals(code, problem.path("code").asText());
            if (field != null) {
                assertEquals(field, problem.path("field").asText());
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}

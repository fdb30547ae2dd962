package com.enterpriseadmin.team;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.http.ApiRequest;
import com.enterpriseadmin.http.ApiResponse;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.support.Events;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sample events of the team functions decode, bind and reach a route of their handler. */
class TeamEventsTest {
    private static final Json JSON = new Json();
    private final Policy nobody = new Policy((org, user) -> Optional.empty());
    private final TeamStore noStore = new TeamStore(new Db(null, "t"), new AuditStore(new Db(null, "t"), JSON));

    private ApiRequest load(String name) throws Exception {
        return ApiRequest.decode(JSON.mapper().readTree(Events.load(name)));
    }

    @Test
    void createTeamEvents() throws Exception {
        TeamsHandler handler = new TeamsHandler(JSON, new Teams(nobody, noStore, (org, team, user, reason) -> 0, Clock.systemUTC()));
        CreateTeamRequest limited = JSON.readBody(load("Teams-create-limited.json").body(), CreateTeamRequest.class);
        assertEquals(Budget.Mode.LIMITED, limited.budget().mode());
        CreateTeamRequest pool = JSON.readBody(load("Teams-create-shared-pool.json").body(), CreateTeamRequest.class);
        assertEquals(Budget.Mode.SHARED_POOL, pool.budget().mode());
        ApiRequest archive = load("Teams-archive-with-if-match.json");
        assertEquals(Optional.of(3L), Teams.parseIfMatch(archive.header("if-match")));
        assertTrue(JSON.readBody(archive.body(), UpdateTeamRequest.class).archived().orElseThrow());
        for (String name : new String[] {"Teams-create-limited.json", "Teams-create-shared-pool.json", "Teams-archive-with-if-match.json"}) {
            assertRouted(handler.handle(load(name)));
        }
    }

    @Test
    void addMemberEvents() throws Exception {
        TeamMembersHandler handler = new TeamMembersHandler(JSON, new TeamMembers(nobody, noStore, (o, u) -> Optional.empty(), (o, t, u, r) -> 0, Clock.systemUTC()));
        AddTeamMemberRequest add = JSON.readBody(load("TeamMembers-add-by-email.json").body(), AddTeamMemberRequest.class);
        assertEquals(Optional.of("grace@example.com"), add.email());
        assertRouted(handler.handle(load("TeamMembers-add-by-email.json")));
        assertRouted(handler.handle(load("TeamMembers-remove-member.json")));
    }

    /** With a policy that knows no member, a routed request is a 404 organization-not-found, never route-not-found. */
    private static void assertRouted(ApiResponse response) throws Exception {
        assertEquals(404, response.statusCode());
        assertNotEquals("route-not-found", JSON.mapper().readTree(response.body()).path("code").asText());
        assertEquals("organization-not-found", JSON.mapper().readTree(response.body()).path("code").asText());
    }
}

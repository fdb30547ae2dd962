package com.enterpriseadmin.it.team;

import static com.enterpriseadmin.it.team.TeamFixture.ok;
import static com.enterpriseadmin.it.team.TeamFixture.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.it.TestStack;
import com.enterpriseadmin.it.team.TeamFixture.Org;
import com.enterpriseadmin.it.team.TeamFixture.Person;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Teams end to end, over HTTP through the local runtime with real emulator tokens: the seed's steps
 * 3–4, name uniqueness, archived-team rules, last-admin warnings and bad input.
 */
class TeamsE2EIT {
    private final TeamFixture f = new TeamFixture();
    private final TestStack stack = f.stack;

    @Test
    void seedSteps3And4AdminBuildsTeamsAndTeamAdminsManageOnlyTheirOwn() {
        Org org = f.org();
        Person admin = f.member(org, "ADMIN");
        Person lead = f.member(org, "USER");
        Person ann = f.member(org, "USER");
        Person bob = f.member(org, "USER");

        // Step 3: the enterprise admin creates a LIMITED team and a SHARED_POOL team.
        TestStack.Response created = f.createTeam(org, admin.token(), "Design", Map.of("mode", "LIMITED", "limit", 50000, "period", "MONTHLY"));
        JsonNode design = ok(created, 201);
        String designId = design.path("teamId").asText();
        assertEquals("Design", design.path("name").asText());
        assertEquals("ACTIVE", design.path("status").asText());
        assertEquals("LIMITED", design.path("budget").path("mode").asText());
        assertEquals(50000, design.path("budget").path("limit").asLong());
        assertEquals(50000, design.path("remaining").asLong());
        assertEquals(0, design.path("memberCount").asLong());
        assertEquals("\"1\"", created.headers().firstValue("etag").orElseThrow());
        JsonNode research = ok(f.createTeam(org, admin.token(), "Research", Map.of("mode", "SHARED_POOL")), 201);
        String researchId = research.path("teamId").asText();
        assertTrue(research.has("remaining") && research.path("remaining").isNull(), research.toString());

        // Step 4: members and a team administrator.
        ok(f.addMember(org, designId, admin.token(), lead, "ADMIN"), 201);
        JsonNode annSeat = ok(f.addMember(org, designId, admin.token(), ann, "MEMBER"), 201);
        assertEquals("MEMBER", annSeat.path("role").asText());
        assertEquals(ann.email(), annSeat.path("email").asText());
        ok(stack.post(org.path() + "/teams/" + researchId + "/members", admin.token(), Map.of("email", ann.email().toUpperCase(), "role", "MEMBER")), 201);

        // The team admin adds and removes members of their own team ...
        ok(f.addMember(org, designId, lead.token(), bob, "MEMBER"), 201);
        JsonNode list = ok(stack.get(org.path() + "/teams/" + designId + "/members", lead.token()), 200);
        assertEquals(Set.of(lead.userId(), ann.userId(), bob.userId()), ids(list.path("items")));
        JsonNode removed = ok(f.delete(org.path() + "/teams/" + designId + "/members/" + bob.userId(), lead.token()), 200);
        assertTrue(removed.path("removed").asBoolean());
        assertFalse(f.seatExists(org, designId, bob.userId()));
        ok(stack.get(org.path() + "/teams/" + designId, lead.token()), 200);
        // ... and is refused on another team, and on org-level team management.
        problem(f.addMember(org, researchId, lead.token(), bob, "MEMBER"), 403, "forbidden");
        problem(stack.get(org.path() + "/teams/" + researchId + "/members", lead.token()), 403, "forbidden");
        problem(f.createTeam(org, lead.token(), "Mine", Map.of("mode", "SHARED_POOL")), 403, "forbidden");
        problem(f.patch(org.path() + "/teams/" + designId, lead.token(), Map.of("archived", true), null), 403, "forbidden");

        // A team MEMBER may not manage (nor list) the team.
        problem(f.addMember(org, designId, ann.token(), bob, "MEMBER"), 403, "forbidden");
        problem(f.delete(org.path() + "/teams/" + designId + "/members/" + lead.userId(), ann.token()), 403, "forbidden");
        problem(f.patch(org.path() + "/teams/" + designId + "/members/" + ann.userId(), ann.token(), Map.of("role", "ADMIN"), null), 403, "forbidden");
        problem(stack.get(org.path() + "/teams/" + designId + "/members", ann.token()), 403, "forbidden");
        problem(stack.get(org.path() + "/teams", ann.token()), 403, "forbidden");
        // A stranger learns nothing.
        Person stranger = f.person();
        problem(stack.get(org.path() + "/teams/" + designId, stranger.token()), 404, "organization-not-found");

        // Counters, stored state and /v1/me.
        JsonNode after = ok(stack.get(org.path() + "/teams/" + designId, admin.token()), 200);
        assertEquals(2, after.path("memberCount").asLong());
        assertEquals(2, f.seats(org, designId).size());
        JsonNode teams = ok(stack.get(org.path() + "/teams", admin.token()), 200);
        assertEquals(Set.of(designId, researchId), teamIds(teams.path("items")));
        JsonNode me = ok(stack.get("/v1/me", ann.token()), 200);
        JsonNode membership = me.path("memberships").get(0);
        assertEquals(Map.of(designId, "MEMBER", researchId, "MEMBER"), seats(membership.path("teams")));
        assertEquals(Map.of(designId, "ADMIN"), seats(ok(stack.get("/v1/me", lead.token()), 200).path("memberships").get(0).path("teams")));
    }

    @Test
    void addingTwiceIsAConflictAndOnlyActiveOrgMembersCanJoin() {
        Org org = f.org();
        String team = f.team(org);
        Person ann = f.member(org, "USER");
        ok(f.addMember(org, team, org.owner().token(), ann, "MEMBER"), 201);
        problem(f.addMember(org, team, org.owner().token(), ann, "ADMIN"), 409, "already-a-team-member");
        Person outsider = f.person();
        problem(f.addMember(org, team, org.owner().token(), outsider, "MEMBER"), 404, "not-an-organization-member", "userId");
        problem(stack.post(org.path() + "/teams/" + team + "/members", org.owner().token(), Map.of("email", outsider.email(), "role", "MEMBER")),
                404, "not-an-organization-member", "email");
        problem(stack.post(org.path() + "/teams/" + team + "/members", org.owner().token(), Map.of("email", "nobody-" + TeamFixture.suffix() + "@example.com", "role", "MEMBER")),
                404, "not-an-organization-member", "email");
        // Suspended: keeps their seat, cannot get a new one.
        Person sam = f.member(org, "USER");
        String other = f.team(org);
        ok(f.addMember(org, team, org.owner().token(), sam, "MEMBER"), 201);
        ok(f.patch(org.path() + "/users/" + sam.userId(), org.owner().token(), Map.of("status", "SUSPENDED"), null), 200);
        assertTrue(f.seatExists(org, team, sam.userId()));
        problem(f.addMember(org, other, org.owner().token(), sam, "MEMBER"), 409, "not-an-organization-member", "userId");
        problem(stack.get(org.path() + "/teams/" + team, sam.token()), 403, "member-suspended");
    }

    @Test
    void teamNamesAreUniqueIgnoringCaseAndSpaces() {
        Org org = f.org();
        String token = org.owner().token();
        Map<String, Object> pool = Map.of("mode", "SHARED_POOL");
        JsonNode ops = ok(f.createTeam(org, token, "  Platform   Ops ", pool), 201);
        assertEquals("Platform Ops", ops.path("name").asText());
        for (String dup : List.of("Platform Ops", "platform ops", "PLATFORM OPS", "  platform\tOps  ", "Platform\u00A0Ops")) {
            problem(f.createTeam(org, token, dup, pool), 409, "team-name-taken", "name");
        }
        // Another organization may use the name.
        Org other = f.org();
        ok(f.createTeam(other, other.owner().token(), "platform ops", pool), 201);

        // Renames: into a taken name is refused; a case-only rename of itself is fine; the old name is freed.
        String web = ok(f.createTeam(org, token, "Web", pool), 201).path("teamId").asText();
        problem(f.patch(org.path() + "/teams/" + web, token, Map.of("name", " PLATFORM  ops"), null), 409, "team-name-taken", "name");
        assertEquals("Web", ok(stack.get(org.path() + "/teams/" + web, token), 200).path("name").asText());
        JsonNode renamed = ok(f.patch(org.path() + "/teams/" + web, token, Map.of("name", "WEB"), null), 200);
        assertEquals("WEB", renamed.path("name").asText());
        problem(f.createTeam(org, token, "web", pool), 409, "team-name-taken", "name");
        ok(f.patch(org.path() + "/teams/" + web, token, Map.of("name", "Frontend"), null), 200);
        ok(f.createTeam(org, token, "web", pool), 201);
        problem(f.createTeam(org, token, "frontend", pool), 409, "team-name-taken", "name");

        // Concurrent creates of one name: exactly one wins.
        List<TestStack.Response> racers = java.util.stream.IntStream.range(0, 6).parallel()
                .mapToObj(i -> f.createTeam(org, token, i % 2 == 0 ? "Race" : " race ", pool)).toList();
        assertEquals(1, racers.stream().filter(r -> r.status() == 201).count(), racers.toString());
        assertTrue(racers.stream().filter(r -> r.status() != 201).allMatch(r -> r.status() == 409));
    }

    @Test
    void archivedTeamsAcceptNoMembersKeepTheirSeatsAndCanBeUnarchived() {
        Org org = f.org();
        String token = org.owner().token();
        Person ann = f.member(org, "USER");
        Person bob = f.member(org, "USER");
        String team = f.team(org, "Legacy", Map.of("mode", "LIMITED", "limit", 100));
        ok(f.addMember(org, team, token, ann, "ADMIN"), 201);

        TestStack.Response stale = f.patch(org.path() + "/teams/" + team, token, Map.of("archived", true), "\"7\"");
        problem(stale, 412, "version-mismatch");
        TestStack.Response archived = f.patch(org.path() + "/teams/" + team, token, Map.of("archived", true), "\"1\"");
        JsonNode a = ok(archived, 200);
        assertEquals("ARCHIVED", a.path("status").asText());
        assertNotNull(a.path("archivedAt").asText(null));
        assertEquals("\"2\"", archived.headers().firstValue("etag").orElseThrow());

        problem(f.addMember(org, team, token, bob, "MEMBER"), 409, "team-archived");
        problem(f.addMember(org, team, ann.token(), bob, "MEMBER"), 409, "team-archived");
        assertTrue(f.seatExists(org, team, ann.userId()), "history: seats stay");
        assertEquals(Set.of(), teamIds(ok(stack.get(org.path() + "/teams", token), 200).path("items")));
        assertEquals(Set.of(team), teamIds(ok(stack.get(org.path() + "/teams?archived=true", token), 200).path("items")));
        assertEquals(Set.of(team), teamIds(ok(stack.get(org.path() + "/teams?archived=all", token), 200).path("items")));
        // The name stays reserved while archived.
        problem(f.createTeam(org, token, "legacy", Map.of("mode", "SHARED_POOL")), 409, "team-name-taken");

        // An archived team cannot be pre-assigned in a new invitation ...
        Person carol = f.person();
        TestStack.Response refused = stack.post(org.path() + "/invitations", token,
                Map.of("email", carol.email(), "role", "USER", "teams", List.of(Map.of("teamId", team, "role", "MEMBER"))));
        problem(refused, 400, "unknown-team");
        // ... and one archived after the invitation was sent is skipped on accept: the invitee still joins.
        String later = f.team(org);
        String invitation = f.invite(org, carol, "USER", List.of(Map.of("teamId", later, "role", "MEMBER")));
        ok(f.patch(org.path() + "/teams/" + later, token, Map.of("archived", true), null), 200);
        f.accept(invitation, carol);
        assertFalse(f.seatExists(org, later, carol.userId()));
        assertTrue(f.membership(org, carol.userId()).get("teams").m().isEmpty());

        ok(f.patch(org.path() + "/teams/" + team, token, Map.of("archived", false), null), 200);
        ok(f.addMember(org, team, token, bob, "MEMBER"), 201);
        assertEquals(2, f.storedMemberCount(org, team));
    }

    @Test
    void invitationPreAssignedTeamsBecomeSeatsOnAccept() {
        Org org = f.org();
        String design = f.team(org);
        String research = f.team(org);
        Person dan = f.person();
        String invitation = f.invite(org, dan, "USER", List.of(Map.of("teamId", design, "role", "ADMIN"), Map.of("teamId", research, "role", "MEMBER")));
        f.accept(invitation, dan);
        assertTrue(f.seatExists(org, design, dan.userId()));
        assertTrue(f.seatExists(org, research, dan.userId()));
        assertEquals(1, f.storedMemberCount(org, design));
        JsonNode danTeams = ok(stack.get("/v1/me", dan.token()), 200).path("memberships").get(0).path("teams");
        assertEquals(Map.of(design, "ADMIN", research, "MEMBER"), seats(danTeams));
        danTeams.forEach(seat -> assertTrue(seat.path("name").asText().startsWith("Team "), "/v1/me names the teams: " + seat));
        // As a team ADMIN of design they can manage it at once.
        Person eve = f.member(org, "USER");
        ok(f.addMember(org, design, dan.token(), eve, "MEMBER"), 201);
    }

    @Test
    void removingOrDemotingTheLastTeamAdminWarnsAndOrgAdminsCanStillManage() {
        Org org = f.org();
        String token = org.owner().token();
        String team = f.team(org);
        Person lead = f.member(org, "USER");
        Person ann = f.member(org, "USER");
        ok(f.addMember(org, team, token, lead, "ADMIN"), 201);
        ok(f.addMember(org, team, token, ann, "MEMBER"), 201);

        JsonNode promoted = ok(f.patch(org.path() + "/teams/" + team + "/members/" + ann.userId(), lead.token(), Map.of("role", "ADMIN"), null), 200);
        assertEquals("ADMIN", promoted.path("role").asText());
        assertEquals(0, promoted.path("warnings").size());
        JsonNode demoted = ok(f.patch(org.path() + "/teams/" + team + "/members/" + lead.userId(), token, Map.of("role", "MEMBER"), null), 200);
        assertEquals(0, demoted.path("warnings").size(), "ann is still an admin");
        assertEquals("MEMBER", f.membership(org, lead.userId()).get("teams").m().get(team).s());
        JsonNode last = ok(f.delete(org.path() + "/teams/" + team + "/members/" + ann.userId(), ann.token()), 200);
        assertEquals("team-has-no-admin", last.path("warnings").get(0).path("code").asText(), last.toString());
        assertFalse(f.membership(org, ann.userId()).get("teams").m().containsKey(team));
        // The org admin can still manage the team.
        ok(f.patch(org.path() + "/teams/" + team + "/members/" + lead.userId(), token, Map.of("role", "ADMIN"), null), 200);
        problem(f.delete(org.path() + "/teams/" + team + "/members/" + ann.userId(), token), 404, "team-member-not-found");
        assertEquals(1, f.storedMemberCount(org, team));
    }

    @Test
    void removingAUserFromTheOrganizationRemovesAllTheirSeats() {
        Org org = f.org();
        String token = org.owner().token();
        String a = f.team(org);
        String b = f.team(org);
        Person ann = f.member(org, "USER");
        ok(f.addMember(org, a, token, ann, "ADMIN"), 201);
        ok(f.addMember(org, b, token, ann, "MEMBER"), 201);
        assertEquals(2, f.storedMemberCount(org, a) + f.storedMemberCount(org, b));
        TestStack.Response removed = f.delete(org.path() + "/users/" + ann.userId(), token);
        assertTrue(removed.status() == 200 || removed.status() == 204, removed.body());
        assertFalse(f.seatExists(org, a, ann.userId()));
        assertFalse(f.seatExists(org, b, ann.userId()));
        assertEquals(0, f.storedMemberCount(org, a) + f.storedMemberCount(org, b));
    }

    @Test
    void listsPageWithOpaqueCursors() {
        Org org = f.org();
        String token = org.owner().token();
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            created.add(f.team(org));
        }
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = ok(stack.get(org.path() + "/teams?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), token), 200);
            for (JsonNode t : page.path("items")) {
                assertTrue(seen.add(t.path("teamId").asText()), "duplicate " + t);
            }
            cursor = page.path("nextCursor").asText(null);
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(created, seen);
    }

    @Test
    void badInputIsA400NamingTheFieldNeverA500() {
        Org org = f.org();
        String token = org.owner().token();
        String team = f.team(org);
        Person ann = f.member(org, "USER");
        String teams = org.path() + "/teams";
        String members = teams + "/" + team + "/members";
        Object[][] cases = {
                {"POST", teams, "{\"budget\":{\"mode\":\"SHARED_POOL\"}}", "name"},
                {"POST", teams, "{\"name\":\"   \",\"budget\":{\"mode\":\"SHARED_POOL\"}}", "name"},
                {"POST", teams, "{\"name\":\"" + "x".repeat(101) + "\",\"budget\":{\"mode\":\"SHARED_POOL\"}}", "name"},
                {"POST", teams, "{\"name\":[1],\"budget\":{\"mode\":\"SHARED_POOL\"}}", "name"},
                {"POST", teams, "{\"name\":\"A\"}", "budget"},
                {"POST", teams, "{\"name\":\"A\",\"budget\":{\"mode\":\"LIMITED\"}}", "budget.limit"},
                {"POST", teams, "{\"name\":\"A\",\"budget\":{\"mode\":\"LIMITED\",\"limit\":1e400}}", "budget.limit"},
                {"POST", teams, "{\"name\":\"A\",\"budget\":{\"mode\":\"LIMITED\",\"limit\":99999999999999999999}}", "budget.limit"},
                {"POST", teams, "{\"name\":\"A\",\"budget\":{\"mode\":\"SHARED_POOL\",\"limit\":5}}", "budget.limit"},
                {"POST", teams, "{\"name\":\"A\",\"budget\":{\"mode\":\"MAGIC\"}}", "budget.mode"},
                {"POST", teams, "{\"name\":\"A\",\"budget\":{\"mode\":\"SHARED_POOL\"},\"memberCount\":9}", "memberCount"},
                {"POST", teams, "not json", "body"},
                {"POST", teams, null, "body"},
                {"PATCH", teams + "/" + team, "{}", "body"},
                {"PATCH", teams + "/" + team, "{\"archived\":\"yes\"}", "archived"},
                {"PATCH", teams + "/" + team, "{\"status\":\"ARCHIVED\"}", "status"},
                {"PATCH", teams + "/" + team, "{\"version\":3,\"name\":\"B\"}", "version"},
                {"POST", members, "{\"role\":\"MEMBER\"}", "userId"},
                {"POST", members, "{\"userId\":\"" + ann.userId() + "\"}", "role"},
                {"POST", members, "{\"userId\":\"" + ann.userId() + "\",\"role\":\"OWNER\"}", "role"},
                {"POST", members, "{\"email\":\"not-an-address\",\"role\":\"MEMBER\"}", "email"},
                {"POST", members, "{\"userId\":\"" + ann.userId() + "\",\"email\":\"" + ann.email() + "\",\"role\":\"MEMBER\"}", "email"},
                {"POST", members, "{\"userId\":\"a/b\",\"role\":\"MEMBER\"}", "userId"},
                {"PATCH", members + "/" + ann.userId(), "{\"role\":\"CHIEF\"}", "role"},
                {"PATCH", members + "/" + ann.userId(), "{}", "role"},
        };
        for (Object[] c : cases) {
            TestStack.Response r = c[0].equals("PATCH")
                    ? f.patch((String) c[1], token, c[2], null)
                    : stack.send((String) c[0], (String) c[1], token, c[2]);
            assertEquals(400, r.status(), c[0] + " " + c[1] + " " + c[2] + " -> " + r.body());
            assertEquals(c[3], r.json().path("field").asText(), c[0] + " " + c[1] + " " + c[2] + " -> " + r.body());
        }
        problem(stack.get(teams + "?limit=0", token), 400, "invalid-input", "limit");
        problem(stack.get(teams + "?limit=abc", token), 400, "invalid-input", "limit");
        problem(stack.get(teams + "?archived=maybe", token), 400, "invalid-input", "archived");
        problem(stack.get(teams + "?cursor=bm9wZQ", token), 400, "invalid-cursor", "cursor");
        problem(stack.get(members + "?cursor=%25%25", token), 400, "invalid-cursor", "cursor");
        problem(f.patch(teams + "/" + team, token, Map.of("name", "B"), "not-a-version"), 400, "invalid-input", "If-Match");
        problem(stack.get(teams + "/not-a-team-id", token), 404, "team-not-found");
        problem(stack.get(teams + "/0123456789abcdefghjkmnpqrs", token), 404, "team-not-found");
        problem(f.addMember(org, "0123456789abcdefghjkmnpqrs", token, ann, "MEMBER"), 404, "team-not-found");
        problem(f.delete(members + "/no-such-user", token), 404, "team-member-not-found");
        problem(stack.get("/v1/organizations/not-an-org/teams", token), 404, "organization-not-found");
    }

    private static Set<String> ids(JsonNode items) {
        Set<String> out = new HashSet<>();
        items.forEach(i -> out.add(i.path("userId").asText()));
        return out;
    }

    private static Set<String> teamIds(JsonNode items) {
        Set<String> out = new HashSet<>();
        items.forEach(i -> out.add(i.path("teamId").asText()));
        return out;
    }

    private static Map<String, String> seats(JsonNode teams) {
        Map<String, String> out = new java.util.HashMap<>();
        teams.forEach(t -> out.put(t.path("teamId").asText(), t.path("role").asText()));
        return out;
    }
}

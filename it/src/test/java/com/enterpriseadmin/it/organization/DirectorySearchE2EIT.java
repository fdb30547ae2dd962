package com.enterpriseadmin.it.organization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.it.TestStack;
import com.enterpriseadmin.it.TestStack.Response;
import com.enterpriseadmin.it.TestStack.User;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Directory search ({@code GET /users?q=}): prefix, case, paging, who sees what, removal. */
class DirectorySearchE2EIT {
    private final TestStack stack = TestStack.get();

    private Response search(User caller, String orgId, String q, String cursor, int limit) {
        String path = "/v1/organizations/" + orgId + "/users?limit=" + limit + "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
                + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        return stack.get(path, caller.idToken());
    }

    /** Every item of every page, following the cursors. */
    private List<JsonNode> all(User caller, String orgId, String q, int limit) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response r = search(caller, orgId, q, cursor, limit);
            assertEquals(200, r.status(), r.body());
            r.json().path("items").forEach(items::add);
            cursor = r.json().hasNonNull("nextCursor") ? r.json().path("nextCursor").asText() : null;
            assertTrue(++pages < 50, "the cursor ends");
        } while (cursor != null);
        return items;
    }

    @Test
    void findsMembersByEmailOrNamePrefixCaseInsensitivelyAndPagesWithoutRepeats() {
        User owner = Orgs.newUser();
        String orgId = Orgs.createOrg(owner, "Directory " + UUID.randomUUID().toString().substring(0, 6));
        List<User> members = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            User u = Orgs.newUser();
            Orgs.join(owner, orgId, u, "USER");
            members.add(u);
        }
        User target = members.get(2);
        // By a prefix of the e-mail, in upper case.
        String emailPrefix = target.email().substring(0, 12).toUpperCase();
        List<JsonNode> byEmail = all(owner, orgId, emailPrefix, 10);
        assertEquals(1, byEmail.size(), byEmail.toString());
        assertEquals(target.email(), byEmail.get(0).path("email").asText());
        assertEquals("USER", byEmail.get(0).path("role").asText(), "administrators see the full member view");
        assertEquals("ACTIVE", byEmail.get(0).path("status").asText());

        // By name: every test user's name starts with "Test ": all six (the owner too), each once, one per page.
        List<JsonNode> byName = all(owner, orgId, "test ", 1);
        Set<String> ids = new HashSet<>();
        byName.forEach(n -> assertTrue(ids.add(n.path("userId").asText()), "no member twice: " + byName));
        assertEquals(6, ids.size(), byName.toString());
        // "user-" matches every e-mail AND no name: still each member once.
        assertEquals(6, all(owner, orgId, "USER-", 4).size());
        assertEquals(0, all(owner, orgId, "zz-nobody", 10).size());

        // Removed: no longer found.
        String removedId = Orgs.userId(target);
        assertEquals(204, Orgs.deleteUser(owner, orgId, removedId).status());
        assertEquals(0, all(owner, orgId, emailPrefix, 10).size());

        Orgs.assertProblem(search(owner, orgId, "x".repeat(101), null, 10), 400, "invalid-input");
        Orgs.assertProblem(search(owner, orgId, "test", "EMAIL.bogus", 10), 400, "invalid-cursor");
        Orgs.assertProblem(search(owner, orgId, "test", "nonsense", 10), 400, "invalid-cursor");
    }

    @Test
    void aTeamAdminSearchesEmailsOnlyAndSeesEmailNameAndIdAPlainMemberIsRefused() {
        User owner = Orgs.newUser();
        String orgId = Orgs.createOrg(owner, "Directory " + UUID.randomUUID().toString().substring(0, 6));
        User teamAdmin = Orgs.newUser();
        User plain = Orgs.newUser();
        User colleague = Orgs.newUser();
        Orgs.join(owner, orgId, teamAdmin, "USER");
        Orgs.join(owner, orgId, plain, "USER");
        Orgs.join(owner, orgId, colleague, "USER");
        Response team = stack.post("/v1/organizations/" + orgId + "/teams", owner.idToken(),
                Map.of("name", "Team " + UUID.randomUUID().toString().substring(0, 6), "budget", Map.of("mode", "LIMITED", "limit", 10)));
        assertEquals(201, team.status(), team.body());
        String teamId = team.json().path("teamId").asText();
        Response seat = stack.post("/v1/organizations/" + orgId + "/teams/" + teamId + "/members", owner.idToken(),
                Map.of("userId", Orgs.userId(teamAdmin), "role", "ADMIN"));
        assertEquals(201, seat.status(), seat.body());

        List<JsonNode> found = all(teamAdmin, orgId, colleague.email().substring(0, 14), 10);
        assertEquals(1, found.size());
        JsonNode entry = found.get(0);
        assertEquals(colleague.email(), entry.path("email").asText());
        assertEquals(Orgs.userId(colleague), entry.path("userId").asText());
        assertFalse(entry.has("role"), "a team admin sees e-mail, name and id only: " + entry);
        assertFalse(entry.has("teams"));
        assertEquals(0, all(teamAdmin, orgId, "test ", 10).size(), "a team admin searches e-mails, not names");
        // What they found is what they add.
        Response added = stack.post("/v1/organizations/" + orgId + "/teams/" + teamId + "/members", teamAdmin.idToken(),
                Map.of("userId", entry.path("userId").asText(), "role", "MEMBER"));
        assertEquals(201, added.status(), added.body());

        Orgs.assertProblem(search(plain, orgId, "user-", null, 10), 403, "forbidden");
        Orgs.assertProblem(search(Orgs.newUser(), orgId, "user-", null, 10), 404, "organization-not-found");
        // Without q the list is the administrators' as before.
        Orgs.assertProblem(stack.get("/v1/organizations/" + orgId + "/users", teamAdmin.idToken()), 403, "forbidden");
    }
}

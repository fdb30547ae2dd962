package com.enterpriseadmin.it.organization;

import static com.enterpriseadmin.it.organization.Orgs.assertProblem;
import static com.enterpriseadmin.it.organization.Orgs.createOrg;
import static com.enterpriseadmin.it.organization.Orgs.deleteUser;
import static com.enterpriseadmin.it.organization.Orgs.invite;
import static com.enterpriseadmin.it.organization.Orgs.invited;
import static com.enterpriseadmin.it.organization.Orgs.join;
import static com.enterpriseadmin.it.organization.Orgs.membership;
import static com.enterpriseadmin.it.organization.Orgs.patchUser;
import static com.enterpriseadmin.it.organization.Orgs.userId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.it.TestStack;
import com.enterpriseadmin.it.TestStack.Response;
import com.enterpriseadmin.it.TestStack.User;
import com.enterpriseadmin.organization.OrganizationStore;
import com.enterpriseadmin.organization.OwnershipTransfer;
import com.enterpriseadmin.store.Db;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Organizations and their users, end to end through the local runtime with real emulator tokens. */
class OrganizationsE2EIT {
    private final TestStack stack = TestStack.get();

    @Test
    void seedStepsOneAndTwo() {
        // 1. Everyone signs up first.
        User owner = Orgs.newUser();
        User admin = Orgs.newUser();
        User user = Orgs.newUser();
        // The owner creates the organization.
        String orgId = createOrg(owner, "  Fixfolio Enterprise ");
        Response org = stack.get("/v1/organizations/" + orgId, owner.idToken());
        assertEquals(200, org.status());
        assertEquals("Fixfolio Enterprise", org.json().path("name").asText());
        assertEquals(userId(owner), org.json().path("ownerId").asText());
        assertEquals("OWNER", membership(owner, orgId).path("role").asText());

        // 2. Invite an enterprise administrator and a user; both see the invitation in /v1/me, then accept.
        String adminInvitation = invited(owner, orgId, admin, "ADMIN");
        String userInvitation = invited(owner, orgId, user, "USER");
        JsonNode pending = stack.get("/v1/me", admin.idToken()).json().path("invitations");
        assertEquals(1, pending.size(), pending.toString());
        assertEquals(adminInvitation, pending.get(0).path("invitationId").asText());
        assertEquals("Fixfolio Enterprise", pending.get(0).path("orgName").asText());
        assertEquals("ADMIN", pending.get(0).path("role").asText());
        assertNull(membership(admin, orgId));

        Response accepted = Orgs.accept(admin, adminInvitation);
        assertEquals(200, accepted.status(), accepted.body());
        assertEquals("ACCEPTED", accepted.json().path("invitation").path("status").asText());
        assertEquals("ADMIN", accepted.json().path("membership").path("role").asText());
        assertEquals(200, Orgs.accept(user, userInvitation).status());

        // Roles show in /v1/me and in the user list.
        JsonNode adminMembership = membership(admin, orgId);
        assertEquals("ADMIN", adminMembership.path("role").asText());
        assertEquals("ACTIVE", adminMembership.path("status").asText());
        assertEquals("Fixfolio Enterprise", adminMembership.path("orgName").asText());
        assertTrue(adminMembership.path("teams").isArray());
        assertEquals("USER", membership(user, orgId).path("role").asText());
        assertEquals(0, stack.get("/v1/me", admin.idToken()).json().path("invitations").size());

        Map<String, String> roles = new HashMap<>();
        for (JsonNode m : stack.get("/v1/organizations/" + orgId + "/users", admin.idToken()).json().path("items")) {
            roles.put(m.path("email").asText(), m.path("role").asText());
        }
        assertEquals(Map.of(owner.email(), "OWNER", admin.email(), "ADMIN", user.email(), "USER"), roles);

        // The new admin administers: renames the org, reads the audit log of everything above.
        Response renamed = stack.send("PATCH", "/v1/organizations/" + orgId, admin.idToken(), Map.of("name", "Fixfolio"));
        assertEquals(200, renamed.status(), renamed.body());
        assertEquals("Fixfolio", renamed.json().path("name").asText());
        List<String> actions = new ArrayList<>();
        for (JsonNode e : stack.get("/v1/organizations/" + orgId + "/audit-log", admin.idToken()).json().path("items")) {
            actions.add(e.path("action").asText());
        }
        assertEquals(List.of("organization.updated", "invitation.accepted", "invitation.accepted", "invitation.created",
                "invitation.created", "organization.created"), actions);
    }

    @Test
    void auditLogPagesAndTimeFilters() {
        User owner = Orgs.newUser();
        String orgId = createOrg(owner, "Audit Co");
        for (int i = 0; i < 4; i++) {
            assertEquals(200, stack.send("PATCH", "/v1/organizations/" + orgId, owner.idToken(), Map.of("name", "Audit Co " + i)).status());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Response page = stack.get("/v1/organizations/" + orgId + "/audit-log?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), owner.idToken());
            assertEquals(200, page.status(), page.body());
            assertTrue(page.json().path("items").size() <= 2);
            page.json().path("items").forEach(e -> seen.add(e.path("entryId").asText()));
            cursor = page.json().path("nextCursor").asText(null);
        } while (cursor != null);
        assertEquals(5, seen.size());
        assertEquals(5, seen.stream().distinct().count());

        JsonNode all = stack.get("/v1/organizations/" + orgId + "/audit-log", owner.idToken()).json().path("items");
        String newest = all.get(0).path("at").asText();
        JsonNode upToNewest = stack.get("/v1/organizations/" + orgId + "/audit-log?to=" + newest, owner.idToken()).json().path("items");
        assertEquals(4, upToNewest.size(), "'to' is exclusive");
        JsonNode fromNewest = stack.get("/v1/organizations/" + orgId + "/audit-log?from=" + newest, owner.idToken()).json().path("items");
        assertEquals(1, fromNewest.size(), "'from' is inclusive");
        JsonNode entry = all.get(0);
        assertEquals("organization.updated", entry.path("action").asText());
        assertEquals(userId(owner), entry.path("actor").asText());
        assertEquals("organization", entry.path("target").path("type").asText());
        assertEquals("Audit Co 2", entry.path("before").path("name").asText());
        assertEquals("Audit Co 3", entry.path("after").path("name").asText());
    }

    @Test
    void ownerProtections() {
        User owner = Orgs.newUser();
        User admin = Orgs.newUser();
        String orgId = createOrg(owner, "Protected");
        join(owner, orgId, admin, "ADMIN");
        String ownerId = userId(owner);
        for (Object body : List.of(Map.of("role", "USER"), Map.of("role", "ADMIN"), Map.of("status", "SUSPENDED"))) {
            assertProblem(patchUser(admin, orgId, ownerId, body), 409, "owner-protected");
            assertProblem(patchUser(owner, orgId, ownerId, body), 409, "owner-protected");
        }
        assertProblem(deleteUser(admin, orgId, ownerId), 409, "owner-protected");
        assertProblem(deleteUser(owner, orgId, ownerId), 409, "owner-protected");
        Response promote = patchUser(admin, orgId, userId(admin), Map.of("role", "OWNER"));
        assertEquals(400, promote.status());
        assertEquals("role", promote.json().path("field").asText());
        assertEquals("OWNER", membership(owner, orgId).path("role").asText());
        assertEquals(1, owners(owner, orgId));
    }

    @Test
    void ownershipMovesOnlyThroughTheOperatorCommand() {
        User owner = Orgs.newUser();
        User admin = Orgs.newUser();
        String orgId = createOrg(owner, "Handover");
        join(owner, orgId, admin, "ADMIN");
        Json json = new Json();
        Db db = new Db(stack.dynamo(), stack.tableName);
        OwnershipTransfer transfer = new OwnershipTransfer(new OrganizationStore(db, new AuditStore(db, json)), Clock.systemUTC());
        transfer.transfer(orgId, userId(admin), "support ticket 42");

        assertEquals("ADMIN", membership(owner, orgId).path("role").asText());
        assertEquals("OWNER", membership(admin, orgId).path("role").asText());
        assertEquals(userId(admin), stack.get("/v1/organizations/" + orgId, owner.idToken()).json().path("ownerId").asText());
        assertEquals(1, owners(admin, orgId));
        JsonNode last = stack.get("/v1/organizations/" + orgId + "/audit-log?limit=1", admin.idToken()).json().path("items").get(0);
        assertEquals("organization.ownership-transferred", last.path("action").asText());
        assertEquals("operator", last.path("actor").asText());
        // The former owner is now an ordinary admin: the new owner may demote them; they cannot touch the new owner.
        assertProblem(patchUser(owner, orgId, userId(admin), Map.of("role", "USER")), 409, "owner-protected");
        assertEquals(200, patchUser(admin, orgId, userId(owner), Map.of("role", "USER")).status());
    }

    @Test
    void roleChangeSuspensionAndRemoval() {
        User owner = Orgs.newUser();
        User user = Orgs.newUser();
        String orgId = createOrg(owner, "Churn");
        join(owner, orgId, user, "USER");
        String uid = userId(user);

        Response promoted = patchUser(owner, orgId, uid, Map.of("role", "ADMIN"));
        assertEquals(200, promoted.status(), promoted.body());
        assertEquals("ADMIN", promoted.json().path("role").asText());
        assertEquals("ADMIN", membership(user, orgId).path("role").asText());
        assertEquals(200, stack.get("/v1/organizations/" + orgId + "/users", user.idToken()).status());

        Response suspended = patchUser(owner, orgId, uid, Map.of("status", "SUSPENDED"));
        assertEquals("SUSPENDED", suspended.json().path("status").asText());
        assertProblem(stack.get("/v1/organizations/" + orgId, user.idToken()), 403, "member-suspended");
        assertProblem(stack.get("/v1/organizations/" + orgId + "/users", user.idToken()), 403, "member-suspended");
        assertEquals("SUSPENDED", membership(user, orgId).path("status").asText());
        assertProblem(invite(owner, orgId, user.email(), "USER"), 409, "already-a-member");

        assertEquals(200, patchUser(owner, orgId, uid, Map.of("status", "ACTIVE", "role", "USER")).status());
        assertEquals(200, stack.get("/v1/organizations/" + orgId, user.idToken()).status());

        assertEquals(204, deleteUser(owner, orgId, uid).status());
        assertProblem(stack.get("/v1/organizations/" + orgId, user.idToken()), 404, "organization-not-found");
        assertNull(membership(user, orgId));
        assertProblem(deleteUser(owner, orgId, uid), 404, "member-not-found");

        // A removed user can be invited again.
        join(owner, orgId, user, "USER");
        assertEquals("USER", membership(user, orgId).path("role").asText());

        List<String> actions = new ArrayList<>();
        stack.get("/v1/organizations/" + orgId + "/audit-log", owner.idToken()).json().path("items")
                .forEach(e -> actions.add(e.path("action").asText()));
        assertTrue(actions.containsAll(List.of("member.role-changed", "member.suspended", "member.updated", "member.removed")), actions.toString());
    }

    @Test
    void aUserAndANonMemberTryEveryAdminAction() {
        User owner = Orgs.newUser();
        User user = Orgs.newUser();
        User stranger = Orgs.newUser();
        User target = Orgs.newUser();
        String orgId = createOrg(owner, "Guarded");
        join(owner, orgId, user, "USER");
        String invitationId = invited(owner, orgId, target, "USER");
        String ownerId = userId(owner);
        String base = "/v1/organizations/" + orgId;

        // The USER reads the name only.
        Response name = stack.get(base, user.idToken());
        assertEquals(200, name.status());
        assertEquals("Guarded", name.json().path("name").asText());
        assertFalse(name.json().has("ownerId"), name.body());
        assertProblem(stack.get(base, stranger.idToken()), 404, "organization-not-found");

        record Call(String method, String path, Object body) {}
        List<Call> adminCalls = List.of(
                new Call("PATCH", base, Map.of("name", "Mine now")),
                new Call("GET", base + "/users", null),
                new Call("PATCH", base + "/users/" + ownerId, Map.of("role", "USER")),
                new Call("PATCH", base + "/users/" + userId(user), Map.of("role", "ADMIN")),
                new Call("DELETE", base + "/users/" + ownerId, null),
                new Call("POST", base + "/invitations", Map.of("email", stranger.email(), "role", "ADMIN")),
                new Call("GET", base + "/invitations", null),
                new Call("POST", base + "/invitations/" + invitationId + "/resend", null),
                new Call("POST", base + "/invitations/" + invitationId + "/revoke", null),
                new Call("GET", base + "/audit-log", null));
        for (Call c : adminCalls) {
            assertProblem(stack.send(c.method(), c.path(), user.idToken(), c.body()), 403, "forbidden");
            assertProblem(stack.send(c.method(), c.path(), stranger.idToken(), c.body()), 404, "organization-not-found");
        }
        // Someone else's invitation does not exist for them.
        assertProblem(Orgs.accept(user, invitationId), 404, "invitation-not-found");
        assertProblem(stack.post("/v1/invitations/" + invitationId + "/decline", stranger.idToken(), null), 404, "invitation-not-found");
        // Nothing changed.
        assertEquals("Guarded", stack.get(base, owner.idToken()).json().path("name").asText());
        assertEquals("PENDING", stack.get(base + "/invitations", owner.idToken()).json().path("items").get(0).path("status").asText());
    }

    @Test
    void badInputIsA400NamingTheFieldNeverA500() {
        User owner = Orgs.newUser();
        String orgId = createOrg(owner, "Strict");
        String base = "/v1/organizations/" + orgId;
        record Bad(String method, String path, String body, String field) {}
        List<Bad> cases = List.of(
                new Bad("POST", "/v1/organizations", "{}", "name"),
                new Bad("POST", "/v1/organizations", "{\"name\":\"" + "x".repeat(101) + "\"}", "name"),
                new Bad("POST", "/v1/organizations", "{\"name\":12}", "name"),
                new Bad("POST", "/v1/organizations", "{\"name\":\"a\",\"ownerId\":\"me\"}", "ownerId"),
                new Bad("POST", "/v1/organizations", "not json", "body"),
                new Bad("POST", "/v1/organizations", null, "body"),
                new Bad("PATCH", base, "{\"name\":\"ok\",\"createdAt\":\"2020-01-01T00:00:00Z\"}", "createdAt"),
                new Bad("PATCH", base, "{\"name\":\"bad\\u0007\"}", "name"),
                new Bad("PATCH", base + "/users/" + userId(owner), "{\"role\":\"GOD\"}", "role"),
                new Bad("PATCH", base + "/users/" + userId(owner), "{\"status\":1}", "status"),
                new Bad("PATCH", base + "/users/" + userId(owner), "{}", "body"),
                new Bad("POST", base + "/invitations", "{\"email\":\"nope\",\"role\":\"USER\"}", "email"),
                new Bad("POST", base + "/invitations", "{\"email\":\"a@example.com\",\"role\":\"OWNER\"}", "role"),
                new Bad("POST", base + "/invitations", "{\"email\":\"a@example.com\",\"role\":\"USER\",\"teams\":[{\"teamId\":1}]}", "teams[0].teamId"),
                new Bad("POST", base + "/invitations", "{\"email\":\"" + "a".repeat(300) + "@example.com\",\"role\":\"USER\"}", "email"),
                new Bad("POST", base + "/invitations", "{\"email\":\"a@example.com\",\"role\":\"USER\",\"orgId\":\"x\"}", "orgId"),
                new Bad("GET", base + "/users?limit=0", null, "limit"),
                new Bad("GET", base + "/users?limit=101", null, "limit"),
                new Bad("GET", base + "/users?limit=abc", null, "limit"),
                new Bad("GET", base + "/users?cursor=garbage!", null, "cursor"),
                new Bad("GET", base + "/users?cursor=UEs9T1JHI3gKU0s9TUVNQkVSI3kK", null, "cursor"),
                new Bad("GET", base + "/invitations?status=LOST", null, "status"),
                new Bad("GET", base + "/invitations?cursor=" + "A".repeat(3000), null, "cursor"),
                new Bad("GET", base + "/audit-log?from=yesterday", null, "from"),
                new Bad("GET", base + "/audit-log?to=2026-13-01T00:00:00Z", null, "to"),
                new Bad("GET", base + "/audit-log?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", null, "from"));
        for (Bad c : cases) {
            Response r = stack.send(c.method(), c.path(), owner.idToken(), c.body());
            assertEquals(400, r.status(), c + " -> " + r.body());
            assertEquals(c.field(), r.json().path("field").asText(), c + " -> " + r.body());
        }
        // Odd ids are plain 404s, not failures.
        assertProblem(stack.get("/v1/organizations/NOT-AN-ID", owner.idToken()), 404, "organization-not-found");
        assertProblem(deleteUser(owner, orgId, "x".repeat(500)), 404, "member-not-found");
        assertProblem(Orgs.accept(owner, "not-an-invitation-id"), 404, "invitation-not-found");
    }

    private int owners(User admin, String orgId) {
        int n = 0;
        for (JsonNode m : stack.get("/v1/organizations/" + orgId + "/users?limit=100", admin.idToken()).json().path("items")) {
            if (m.path("role").asText().equals("OWNER")) {
                n++;
            }
        }
        assertNotEquals(0, n);
        return n;
    }
}

package com.enterpriseadmin.it.organization;

import static com.enterpriseadmin.it.organization.Orgs.accept;
import static com.enterpriseadmin.it.organization.Orgs.assertProblem;
import static com.enterpriseadmin.it.organization.Orgs.createOrg;
import static com.enterpriseadmin.it.organization.Orgs.invite;
import static com.enterpriseadmin.it.organization.Orgs.invited;
import static com.enterpriseadmin.it.organization.Orgs.join;
import static com.enterpriseadmin.it.organization.Orgs.membership;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.it.TestStack;
import com.enterpriseadmin.it.TestStack.Response;
import com.enterpriseadmin.it.TestStack.User;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Keys;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The invitation lifecycle end to end: every transition, the illegal ones, races and limits. */
class InvitationsE2EIT {
    private final TestStack stack = TestStack.get();

    private String path(String orgId, String invitationId, String verb) {
        return "/v1/organizations/" + orgId + "/invitations/" + invitationId + "/" + verb;
    }

    @Test
    void onlySignedUpPeopleCanBeInvited() {
        User owner = Orgs.newUser();
        String orgId = createOrg(owner, "Invites");
        Response nobody = invite(owner, orgId, "nobody-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com", "USER");
        assertProblem(nobody, 422, "user-not-signed-up");
        assertEquals("email", nobody.json().path("field").asText());
        // Signed up but never confirmed is not signed up either.
        String unconfirmed = "pending-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        stack.signUp(unconfirmed, "Correct-Horse-42-xyz", "Pending Person");
        assertProblem(invite(owner, orgId, unconfirmed, "USER"), 422, "user-not-signed-up");
        // Self and members: 409.
        assertProblem(invite(owner, orgId, owner.email(), "ADMIN"), 409, "already-a-member");
    }

    @Test
    void preAssignedTeamsMustBeActiveTeamsOfTheOrganization() {
        User owner = Orgs.newUser();
        User guest = Orgs.newUser();
        String orgId = createOrg(owner, "Seats");
        Response r = Orgs.stack().post("/v1/organizations/" + orgId + "/invitations", owner.idToken(), java.util.Map.of("email", guest.email(),
                "role", "USER", "teams", java.util.List.of(java.util.Map.of("teamId", "0000000000000000000000000a", "role", "MEMBER"))));
        assertProblem(r, 400, "unknown-team");
        assertEquals("teams[0].teamId", r.json().path("field").asText());
    }

    @Test
    void reInvitingReturnsTheSamePendingInvitation() {
        User owner = Orgs.newUser();
        User guest = Orgs.newUser();
        String orgId = createOrg(owner, "Again");
        Response first = invite(owner, orgId, guest.email(), "USER");
        assertEquals(201, first.status());
        Response again = invite(owner, orgId, guest.email().toUpperCase(), "ADMIN");
        assertEquals(200, again.status(), again.body());
        assertEquals(first.json().path("invitationId").asText(), again.json().path("invitationId").asText());
        assertEquals("USER", again.json().path("role").asText());
        assertEquals(1, stack.get("/v1/organizations/" + orgId + "/invitations", owner.idToken()).json().path("items").size());
        assertEquals(200, accept(guest, first.json().path("invitationId").asText()).status());
        assertProblem(invite(owner, orgId, guest.email(), "USER"), 409, "already-a-member");
    }

    @Test
    void revokeDeclineAndTheIllegalTransitions() {
        User owner = Orgs.newUser();
        User a = Orgs.newUser();
        User b = Orgs.newUser();
        String orgId = createOrg(owner, "Transitions");

        String revoked = invited(owner, orgId, a, "USER");
        Response r = stack.post(path(orgId, revoked, "revoke"), owner.idToken(), null);
        assertEquals(200, r.status(), r.body());
        assertEquals("REVOKED", r.json().path("status").asText());
        assertProblem(accept(a, revoked), 409, "invitation-not-pending");
        assertProblem(stack.post("/v1/invitations/" + revoked + "/decline", a.idToken(), null), 409, "invitation-not-pending");
        assertProblem(stack.post(path(orgId, revoked, "revoke"), owner.idToken(), null), 409, "invitation-not-pending");
        assertProblem(stack.post(path(orgId, revoked, "resend"), owner.idToken(), null), 409, "invitation-not-pending");

        String declined = invited(owner, orgId, b, "ADMIN");
        Response d = stack.post("/v1/invitations/" + declined + "/decline", b.idToken(), null);
        assertEquals(200, d.status(), d.body());
        assertEquals("DECLINED", d.json().path("status").asText());
        assertProblem(accept(b, declined), 409, "invitation-not-pending");
        assertEquals(null, membership(b, orgId));

        // Both can be invited again after their invitations closed; accepted ones are final too.
        String second = invited(owner, orgId, a, "ADMIN");
        assertNotEquals(revoked, second);
        assertEquals(200, accept(a, second).status());
        assertProblem(accept(a, second), 409, "invitation-not-pending");
        assertProblem(stack.post("/v1/invitations/" + second + "/decline", a.idToken(), null), 409, "invitation-not-pending");
        assertProblem(stack.post(path(orgId, second, "revoke"), owner.idToken(), null), 409, "invitation-not-pending");

        // Status filter.
        assertEquals(List.of("REVOKED"), statuses(owner, orgId, "REVOKED"));
        assertEquals(List.of("DECLINED"), statuses(owner, orgId, "DECLINED"));
        assertEquals(List.of("ACCEPTED"), statuses(owner, orgId, "ACCEPTED"));
        assertEquals(List.of(), statuses(owner, orgId, "PENDING"));
        assertEquals(3, stack.get("/v1/organizations/" + orgId + "/invitations", owner.idToken()).json().path("items").size());
        // An invitation of another org is not found through this one.
        User other = Orgs.newUser();
        String otherOrg = createOrg(other, "Elsewhere");
        assertProblem(stack.post(path(otherOrg, second, "revoke"), other.idToken(), null), 404, "invitation-not-found");
    }

    @Test
    void expiryResendAndReinvite() {
        User owner = Orgs.newUser();
        User guest = Orgs.newUser();
        String orgId = createOrg(owner, "Expiry");
        Response created = invite(owner, orgId, guest.email(), "USER");
        String id = created.json().path("invitationId").asText();
        Instant firstExpiry = Instant.parse(created.json().path("expiresAt").asText());
        assertTrue(firstExpiry.isAfter(Instant.now().plusSeconds(6 * 86400)), "7-day default");

        // Resend extends the expiry.
        lapse(id);
        Response resent = stack.post(path(orgId, id, "resend"), owner.idToken(), null);
        assertEquals(200, resent.status(), resent.body());
        assertEquals("PENDING", resent.json().path("status").asText());
        assertTrue(Instant.parse(resent.json().path("expiresAt").asText()).isAfter(Instant.now().plusSeconds(6 * 86400)));
        assertEquals(200, stack.get("/v1/me", guest.idToken()).status());
        assertEquals(1, stack.get("/v1/me", guest.idToken()).json().path("invitations").size());

        // Lapsed: hidden from /v1/me, listed as EXPIRED, refused on accept (and recorded as EXPIRED).
        lapse(id);
        assertEquals(0, stack.get("/v1/me", guest.idToken()).json().path("invitations").size());
        assertEquals(List.of("EXPIRED"), statuses(owner, orgId, "EXPIRED"));
        assertProblem(accept(guest, id), 409, "invitation-expired");
        assertProblem(accept(guest, id), 409, "invitation-not-pending");
        assertProblem(stack.post(path(orgId, id, "resend"), owner.idToken(), null), 409, "invitation-not-pending");

        // A new invitation replaces it.
        String fresh = invited(owner, orgId, guest, "ADMIN");
        assertNotEquals(id, fresh);
        assertEquals(200, accept(guest, fresh).status());
        assertEquals("ADMIN", membership(guest, orgId).path("role").asText());
    }

    @Test
    void aLapsedPendingInvitationIsReplacedOnReinvite() {
        User owner = Orgs.newUser();
        User guest = Orgs.newUser();
        String orgId = createOrg(owner, "Replace");
        String old = invited(owner, orgId, guest, "USER");
        lapse(old);
        Response again = invite(owner, orgId, guest.email(), "USER");
        assertEquals(201, again.status(), again.body());
        assertNotEquals(old, again.json().path("invitationId").asText());
        assertProblem(accept(guest, old), 409, "invitation-not-pending");
        assertEquals(200, accept(guest, again.json().path("invitationId").asText()).status());
    }

    @Test
    void concurrentAcceptsMakeExactlyOneMembership() throws Exception {
        User owner = Orgs.newUser();
        User guest = Orgs.newUser();
        String orgId = createOrg(owner, "Race");
        String id = invited(owner, orgId, guest, "USER");
        int threads = 12;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Callable<Response> call = () -> {
                start.await();
                return accept(guest, id);
            };
            futures.add(pool.submit(call));
        }
        start.countDown();
        int ok = 0;
        int notPending = 0;
        for (Future<Response> f : futures) {
            Response r = f.get();
            if (r.status() == 200) {
                ok++;
            } else {
                assertProblem(r, 409, "invitation-not-pending");
                notPending++;
            }
        }
        pool.shutdown();
        assertEquals(1, ok);
        assertEquals(threads - 1, notPending);
        int memberships = 0;
        for (JsonNode m : stack.get("/v1/organizations/" + orgId + "/users", owner.idToken()).json().path("items")) {
            if (m.path("email").asText().equals(guest.email())) {
                memberships++;
            }
        }
        assertEquals(1, memberships);
        long accepts = 0;
        for (JsonNode e : stack.get("/v1/organizations/" + orgId + "/audit-log", owner.idToken()).json().path("items")) {
            if (e.path("action").asText().equals("invitation.accepted")) {
                accepts++;
            }
        }
        assertEquals(1, accepts);
    }

    @Test
    void theDailyInviteLimitAnswers429WithRetryAfter() {
        User owner = Orgs.newUser();
        User guest = Orgs.newUser();
        String orgId = createOrg(owner, "Limited");
        // Today's window already at the limit (100 by default): written directly, as 100 sign-ups would take long.
        String day = LocalDate.now(ZoneOffset.UTC).toString();
        var key = Keys.inviteRateWindow(orgId, day);
        stack.dynamo().putItem(b -> b.tableName(stack.tableName).item(Map.of(
                Keys.PK, AttributeValue.fromS(key.pk()), Keys.SK, AttributeValue.fromS(key.sk()),
                "count", AttributeValue.fromN("100"))));
        Response limited = invite(owner, orgId, guest.email(), "USER");
        assertProblem(limited, 429, "invite-rate-limited");
        long retryAfter = Long.parseLong(limited.headers().firstValue("retry-after").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= 86400, "retry-after " + retryAfter);
        assertEquals(0, stack.get("/v1/organizations/" + orgId + "/invitations", owner.idToken()).json().path("items").size());
        // Under the limit again: the invite goes through and the counter moves.
        stack.dynamo().putItem(b -> b.tableName(stack.tableName).item(Map.of(
                Keys.PK, AttributeValue.fromS(key.pk()), Keys.SK, AttributeValue.fromS(key.sk()),
                "count", AttributeValue.fromN("99"))));
        assertEquals(201, invite(owner, orgId, guest.email(), "USER").status());
        var counter = stack.dynamo().getItem(b -> b.tableName(stack.tableName).key(key.toMap()).consistentRead(true)).item();
        assertEquals("100", counter.get("count").n());
    }

    private List<String> statuses(User admin, String orgId, String status) {
        List<String> out = new ArrayList<>();
        stack.get("/v1/organizations/" + orgId + "/invitations?status=" + status, admin.idToken()).json().path("items")
                .forEach(i -> out.add(i.path("status").asText()));
        return out;
    }

    /** Moves the invitation's expiry into the past, directly in the table (the TTL is not configurable per test). */
    private void lapse(String invitationId) {
        stack.dynamo().updateItem(b -> b.tableName(stack.tableName).key(Keys.invitation(invitationId).toMap())
                .updateExpression("SET expiresAt = :past")
                .expressionAttributeValues(Map.of(":past", AttributeValue.fromS(Ids.at(Instant.now().minusSeconds(60))))));
    }
}

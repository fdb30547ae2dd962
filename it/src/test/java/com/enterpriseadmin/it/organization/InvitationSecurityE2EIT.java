package com.enterpriseadmin.it.organization;

import static com.enterpriseadmin.it.organization.Orgs.accept;
import static com.enterpriseadmin.it.organization.Orgs.assertProblem;
import static com.enterpriseadmin.it.organization.Orgs.createOrg;
import static com.enterpriseadmin.it.organization.Orgs.invite;
import static com.enterpriseadmin.it.organization.Orgs.invited;
import static com.enterpriseadmin.it.organization.Orgs.membership;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.it.TestStack;
import com.enterpriseadmin.it.TestStack.Response;
import com.enterpriseadmin.it.TestStack.User;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Key;
import com.enterpriseadmin.store.Keys;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Invitations belong to the person they were made for (their user id), not to an e-mail address; answering
 * one needs a verified address; the abuse limits on inviting (per inviter and day, pending per invitee).
 */
class InvitationSecurityE2EIT {
    private final TestStack stack = TestStack.get();

    private static String address(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 10) + "@example.com";
    }

    private List<String> inbox(String idToken) {
        Response me = stack.get("/v1/me", idToken);
        assertEquals(200, me.status(), me.body());
        List<String> ids = new ArrayList<>();
        me.json().path("invitations").forEach(i -> ids.add(i.path("invitationId").asText()));
        return ids;
    }

    @Test
    void anInvitationFollowsThePersonNotTheAddress() {
        User owner = Orgs.newUser();
        User a = Orgs.newUser();
        User b = Orgs.newUser();
        String orgId = createOrg(owner, "Follows People");
        String invitationId = invited(owner, orgId, a, "ADMIN");
        assertEquals(List.of(invitationId), inbox(a.idToken()));

        // A moves to a new address (verified); B takes A's old address and verifies it.
        String aNew = address("a-moved");
        stack.setEmail(a.email(), aNew, true);
        stack.setEmail(b.email(), a.email(), true);
        String aToken = stack.signIn(aNew, a.password());
        String bToken = stack.signIn(a.email(), b.password());
        assertTrue(stack.get("/v1/me", bToken).json().path("emailVerified").asBoolean(), "B verified A's old address");

        // B holds the invited address, verified: B sees nothing and cannot answer it, exactly as for an unknown id.
        assertFalse(inbox(bToken).contains(invitationId));
        Response bAccepts = stack.post("/v1/invitations/" + invitationId + "/accept", bToken, null);
        assertProblem(bAccepts, 404, "invitation-not-found");
        Response bDeclines = stack.post("/v1/invitations/" + invitationId + "/decline", bToken, null);
        assertProblem(bDeclines, 404, "invitation-not-found");
        Response unknown = stack.post("/v1/invitations/" + Ids.newId() + "/accept", bToken, null);
        assertProblem(unknown, 404, "invitation-not-found");
        assertEquals(unknown.json().path("detail").asText(), bAccepts.json().path("detail").asText(), "no existence leak");
        assertEquals(null, membership(new User(a.email(), b.password(), b.name(), bToken), orgId));

        // A, by user id, still sees it and accepts it with the role it names.
        assertEquals(List.of(invitationId), inbox(aToken));
        Response aAccepts = stack.post("/v1/invitations/" + invitationId + "/accept", aToken, null);
        assertEquals(200, aAccepts.status(), aAccepts.body());
        assertEquals("ADMIN", aAccepts.json().path("membership").path("role").asText());
        assertEquals(Orgs.userId(new User(aNew, a.password(), a.name(), aToken)), aAccepts.json().path("membership").path("userId").asText());
        assertEquals(List.of(), inbox(aToken));
    }

    @Test
    void answeringAnInvitationNeedsAVerifiedAddress() {
        User owner = Orgs.newUser();
        String orgId = createOrg(owner, "Verified Only");
        // A confirmed user whose address was never verified (AdminConfirmSignUp alone leaves email_verified unset).
        String email = address("unverified");
        String password = "Correct-Horse-42-" + UUID.randomUUID().toString().substring(0, 6);
        stack.signUp(email, password, "Una Verified");
        stack.cognito().adminConfirmSignUp(b -> b.userPoolId(stack.poolId).username(email));
        String invitationId = invite(owner, orgId, email, "USER").json().path("invitationId").asText();

        String unverified = stack.signIn(email, password);
        Response me = stack.get("/v1/me", unverified);
        assertEquals(200, me.status(), me.body());
        assertTrue(me.json().path("emailVerified").isBoolean());
        assertFalse(me.json().path("emailVerified").asBoolean());
        assertEquals(List.of(invitationId), inbox(unverified), "listed for the person, who must verify to answer");
        for (String verb : new String[] {"accept", "decline"}) {
            Response r = stack.post("/v1/invitations/" + invitationId + "/" + verb, unverified, null);
            assertProblem(r, 403, "email-not-verified");
            assertTrue(r.json().path("detail").asText().contains("sign in again"), r.body());
        }

        // Verified (the code typed) and signed in again: it goes through.
        stack.setEmail(email, email, true);
        String verified = stack.signIn(email, password);
        assertTrue(stack.get("/v1/me", verified).json().path("emailVerified").asBoolean());
        assertEquals(200, stack.post("/v1/invitations/" + invitationId + "/accept", verified, null).status());
    }

    private void putCount(Key key, long count) {
        stack.dynamo().putItem(b -> b.tableName(stack.tableName).item(Map.of(
                Keys.PK, AttributeValue.fromS(key.pk()), Keys.SK, AttributeValue.fromS(key.sk()),
                "count", AttributeValue.fromN(Long.toString(count)))));
    }

    private long count(Key key) {
        Map<String, AttributeValue> item = stack.dynamo().getItem(b -> b.tableName(stack.tableName).key(key.toMap()).consistentRead(true)).item();
        return item == null || item.isEmpty() ? 0 : Long.parseLong(item.get("count").n());
    }

    @Test
    void anAdministratorsDailyInviteLimitSpansOrganizations() {
        User owner = Orgs.newUser();
        User guest = Orgs.newUser();
        String orgId = createOrg(owner, "Inviter Limit");
        String day = LocalDate.now(ZoneOffset.UTC).toString();
        Key window = Keys.inviterRateWindow(Orgs.userId(owner), day);
        putCount(window, 50); // the default InviteLimitPerInviterPerDay, reached (in other organizations, say)
        Response limited = invite(owner, orgId, guest.email(), "USER");
        assertProblem(limited, 429, "inviter-rate-limited");
        long retryAfter = Long.parseLong(limited.headers().firstValue("retry-after").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= 86400, "retry-after " + retryAfter);
        assertEquals(0, stack.get("/v1/organizations/" + orgId + "/invitations", owner.idToken()).json().path("items").size());
        assertEquals(0, count(Keys.inviteRateWindow(orgId, day)), "nothing counted on the organization: one transaction");

        putCount(window, 49);
        Response created = invite(owner, orgId, guest.email(), "USER");
        assertEquals(201, created.status(), created.body());
        assertEquals(50, count(window));
        // A resend counts too.
        String id = created.json().path("invitationId").asText();
        assertProblem(stack.post("/v1/organizations/" + orgId + "/invitations/" + id + "/resend", owner.idToken(), null), 429,
                "inviter-rate-limited");
    }

    @Test
    void onePersonHoldsALimitedNumberOfPendingInvitationsCountedExactly() {
        User owner = Orgs.newUser();
        User guest = Orgs.newUser();
        String orgId = createOrg(owner, "Invitee Cap");
        Key pending = Keys.inviteePending(Orgs.userId(guest));

        // Every way out of PENDING takes it off the counter, in the same transaction.
        String declined = invited(owner, orgId, guest, "USER");
        assertEquals(1, count(pending));
        assertEquals(200, stack.post("/v1/invitations/" + declined + "/decline", guest.idToken(), null).status());
        assertEquals(0, count(pending));

        String revoked = invited(owner, orgId, guest, "USER");
        assertEquals(1, count(pending));
        assertEquals(200, stack.post("/v1/organizations/" + orgId + "/invitations/" + revoked + "/revoke", owner.idToken(), null).status());
        assertEquals(0, count(pending));

        String expired = invited(owner, orgId, guest, "USER");
        assertEquals(1, count(pending));
        stack.dynamo().updateItem(b -> b.tableName(stack.tableName).key(Keys.invitation(expired).toMap())
                .updateExpression("SET expiresAt = :past")
                .expressionAttributeValues(Map.of(":past", AttributeValue.fromS(Ids.at(Instant.now().minusSeconds(60))))));
        assertProblem(accept(guest, expired), 409, "invitation-expired");
        assertEquals(0, count(pending));

        // At the maximum (20 by default, held in other organizations): refused, nothing written.
        putCount(pending, 20);
        Response full = invite(owner, orgId, guest.email(), "USER");
        assertProblem(full, 409, "invitee-has-too-many-invitations");
        assertEquals(20, count(pending));
        putCount(pending, 19);
        String accepted = invited(owner, orgId, guest, "ADMIN");
        assertEquals(20, count(pending));
        assertEquals(200, accept(guest, accepted).status());
        assertEquals(19, count(pending));
        assertNotNull(membership(guest, orgId));
    }
}

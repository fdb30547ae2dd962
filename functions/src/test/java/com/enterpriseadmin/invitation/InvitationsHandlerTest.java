package com.enterpriseadmin.invitation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.organization.Membership;
import com.enterpriseadmin.organization.OrganizationStore;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.support.FakeDynamo;
import com.enterpriseadmin.support.Invoke;
import com.enterpriseadmin.support.Invoke.Result;
import com.enterpriseadmin.user.ProfileStore;
import com.enterpriseadmin.user.Profiles;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** The InvitationsFunction on its sample events (events/Invitations-*.json), server-free. */
class InvitationsHandlerTest {
    static final String ORG = "01hzx8k2m4n6p8r0s2t4v6w8y0";
    static final String INVITATION = "01hzx9a1b2c3d4e5f6g7h8j9k0";
    static final String ADMIN = "3f1c2b7e-6a8d-4f3e-9d2a-0c1b2a3d4e5f";
    static final String GRACE = "9b2d4f6a-1c3e-4a5b-8d7f-0e1a2b3c4d5e";
    static final Instant NOW = Instant.parse("2026-11-28T22:00:00Z");

    final FakeDynamo dynamo = new FakeDynamo();
    final Json json = new Json();
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final AuditStore audit = new AuditStore(dynamo.db, json);
    final OrganizationStore organizations = new OrganizationStore(dynamo.db, audit);
    final InvitationStore store = new InvitationStore(dynamo.db, audit);
    Invitees invitees = email -> email.equals("grace@example.com") ? Optional.of(new Invitees.Invitee(GRACE, email)) : Optional.empty();

    InvitationsHandler handler() {
        return new InvitationsHandler(json, new Invitations(new Policy(organizations), store, organizations, e -> invitees.confirmedUser(e),
                InvitationTeams.NONE, new Profiles(new ProfileStore(dynamo.db), clock), clock, Duration.ofDays(7), new Invitations.Limits(100, 50, 20)));
    }

    void admin() {
        dynamo.put(Map.copyOf(organizationMember(ADMIN, OrgRole.ADMIN)));
    }

    Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> organizationMember(String userId, OrgRole role) {
        return Item.of(Keys.membership(ORG, userId), "MEMBERSHIP").s("orgId", ORG).s("userId", userId).s("email", "a@example.com")
                .s("role", role.name()).s("status", MemberStatus.ACTIVE.name()).map("teams", Map.of())
                .s("joinedAt", Ids.at(NOW)).s("updatedAt", Ids.at(NOW)).n("version", 1).build();
    }

    void invitation(InvitationStatus status, Instant expiresAt) {
        dynamo.put(InvitationStore.toItem(new Invitation(INVITATION, ORG, "grace@example.com", GRACE, OrgRole.ADMIN, List.of(), status,
                ADMIN, NOW.minus(Duration.ofDays(1)), expiresAt, NOW.minus(Duration.ofDays(1)), 1, 4)));
    }

    @Test
    void inviteEventCreatesInOneTransaction() {
        admin();
        Result r = Invoke.run(handler(), Invoke.event("Invitations-invite-user.json"));
        assertEquals(201, r.status(), r.json().toString());
        assertEquals("PENDING", r.json().path("status").asText());
        assertEquals("ADMIN", r.json().path("role").asText());
        assertEquals("2026-12-05T22:00:00Z", r.json().path("expiresAt").asText());
        List<TransactWriteItem> tx = dynamo.transactions.get(0).transactItems();
        assertEquals(7, tx.size());
        assertEquals("PENDING_INVITATION#grace@example.com", tx.get(0).put().item().get("SK").s());
        assertEquals("attribute_not_exists(PK)", tx.get(0).put().conditionExpression());
        assertEquals("MEMBER#" + GRACE, tx.get(1).conditionCheck().key().get("SK").s());
        assertEquals("INVITE_RATE#2026-11-28", tx.get(2).update().key().get("SK").s());
        assertEquals("100", tx.get(2).update().expressionAttributeValues().get(":limit").n());
        assertEquals("INVITATION", tx.get(3).put().item().get("SK").s());
        assertEquals("INVITEE#" + GRACE, tx.get(3).put().item().get("GSI2PK").s(), "listed for the person, not the address");
        assertTrue(tx.get(3).put().item().get("inviteeCounted").bool());
        assertEquals("invitation.created", tx.get(4).put().item().get("action").s());
        // The inviter's daily window and the invitee's PENDING counter, in the same transaction.
        assertEquals("USER#" + ADMIN, tx.get(5).update().key().get("PK").s());
        assertEquals("INVITE_RATE#2026-11-28", tx.get(5).update().key().get("SK").s());
        assertEquals("attribute_not_exists(#count) OR #count < :limit", tx.get(5).update().conditionExpression());
        assertEquals("50", tx.get(5).update().expressionAttributeValues().get(":limit").n());
        assertEquals("USER#" + GRACE, tx.get(6).update().key().get("PK").s());
        assertEquals("PENDING_INVITATIONS", tx.get(6).update().key().get("SK").s());
        assertEquals("SET #count = if_not_exists(#count, :zero) + :one, #type = :type", tx.get(6).update().updateExpression());
        assertEquals("attribute_not_exists(#count) OR #count < :max", tx.get(6).update().conditionExpression());
        assertEquals("20", tx.get(6).update().expressionAttributeValues().get(":max").n());
    }

    @Test
    void theInvitersDailyLimitIs429WithRetryAfterToUtcMidnight() {
        admin();
        dynamo.cancellations.add(List.of("None", "None", "None", "None", "None", "ConditionalCheckFailed", "None"));
        Result r = Invoke.run(handler(), Invoke.event("Invitations-invite-user.json"));
        assertEquals(429, r.status(), r.json().toString());
        assertEquals("inviter-rate-limited", r.json().path("code").asText());
        assertEquals(50, r.json().path("limit").asInt());
        assertEquals("7200", r.header("retry-after"), "22:00 UTC: two hours to midnight");
    }

    @Test
    void anInviteeWithTooManyPendingInvitationsIs409() {
        admin();
        dynamo.cancellations.add(List.of("None", "None", "None", "None", "None", "None", "ConditionalCheckFailed"));
        Result r = Invoke.run(handler(), Invoke.event("Invitations-invite-user.json"));
        assertEquals(409, r.status(), r.json().toString());
        assertEquals("invitee-has-too-many-invitations", r.json().path("code").asText());
        assertEquals(20, r.json().path("limit").asInt());
    }

    @Test
    void resendCountsOnTheResendingAdministratorsWindow() {
        admin();
        invitation(InvitationStatus.PENDING, NOW.plus(Duration.ofDays(2)));
        ObjectNode resend = Invoke.with(Invoke.event("Invitations-invite-user.json"), "POST /v1/organizations/{orgId}/invitations/{invitationId}/resend",
                "/v1/organizations/" + ORG + "/invitations/" + INVITATION + "/resend", "invitationId", INVITATION);
        assertEquals(200, Invoke.run(handler(), Invoke.withBody(resend, null)).status());
        List<TransactWriteItem> tx = dynamo.transactions.get(0).transactItems();
        assertEquals(4, tx.size());
        assertEquals("INVITE_RATE#2026-11-28", tx.get(1).update().key().get("SK").s());
        assertEquals("ORG#" + ORG, tx.get(1).update().key().get("PK").s());
        assertEquals("USER#" + ADMIN, tx.get(3).update().key().get("PK").s());
        assertEquals("INVITE_RATE#2026-11-28", tx.get(3).update().key().get("SK").s());
        dynamo.cancellations.add(List.of("None", "None", "None", "ConditionalCheckFailed"));
        Result limited = Invoke.run(handler(), Invoke.withBody(resend, null));
        assertEquals(429, limited.status());
        assertEquals("inviter-rate-limited", limited.json().path("code").asText());
    }

    @Test
    void replacingALapsedInvitationOfTheSamePersonKeepsTheirCounterAsItIs() {
        admin();
        dynamo.put(InvitationStore.toItem(new Invitation(INVITATION, ORG, "grace@example.com", GRACE, OrgRole.ADMIN, List.of(),
                InvitationStatus.PENDING, ADMIN, NOW.minus(Duration.ofDays(9)), NOW.minusSeconds(1), NOW.minus(Duration.ofDays(9)), 1, 4, true)));
        dynamo.put(Item.of(Keys.pendingInvitation(ORG, "grace@example.com"), "PENDING_INVITATION").s("invitationId", INVITATION).build());
        Result r = Invoke.run(handler(), Invoke.event("Invitations-invite-user.json"));
        assertEquals(201, r.status(), r.json().toString());
        List<TransactWriteItem> tx = dynamo.transactions.get(0).transactItems();
        // lock, membership check, org window, invitation, audit, inviter window, lapsed→EXPIRED, its audit: no counter change.
        assertEquals(8, tx.size());
        assertTrue(tx.stream().noneMatch(t -> t.update() != null && "PENDING_INVITATIONS".equals(t.update().key().get("SK").s())));
        assertEquals("EXPIRED", tx.get(6).update().expressionAttributeValues().get(":to").s());
    }

    @Test
    void replacingALapsedInvitationOfAnotherPersonMovesTheCount() {
        admin();
        String previousHolder = "7d0c1b2a-3e4f-4a5b-9c8d-1e2f3a4b5c6d";
        dynamo.put(InvitationStore.toItem(new Invitation(INVITATION, ORG, "grace@example.com", previousHolder, OrgRole.ADMIN, List.of(),
                InvitationStatus.PENDING, ADMIN, NOW.minus(Duration.ofDays(9)), NOW.minusSeconds(1), NOW.minus(Duration.ofDays(9)), 1, 4, true)));
        dynamo.put(Item.of(Keys.pendingInvitation(ORG, "grace@example.com"), "PENDING_INVITATION").s("invitationId", INVITATION).build());
        assertEquals(201, Invoke.run(handler(), Invoke.event("Invitations-invite-user.json")).status());
        List<TransactWriteItem> tx = dynamo.transactions.get(0).transactItems();
        assertEquals(10, tx.size());
        assertEquals("USER#" + GRACE, tx.get(6).update().key().get("PK").s());
        assertEquals("USER#" + previousHolder, tx.get(9).update().key().get("PK").s());
        assertEquals("SET #count = if_not_exists(#count, :one) - :one, #type = :type", tx.get(9).update().updateExpression());
    }

    @Test
    void answeringACountedInvitationTakesItOffTheInviteesCounter() {
        dynamo.put(InvitationStore.toItem(new Invitation(INVITATION, ORG, "grace@example.com", GRACE, OrgRole.ADMIN, List.of(),
                InvitationStatus.PENDING, ADMIN, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(1)), 1, 4, true)));
        assertEquals(200, Invoke.run(handler(), Invoke.event("Invitations-accept-invitation.json")).status());
        List<TransactWriteItem> accept = dynamo.transactions.get(0).transactItems();
        assertEquals(5 + 2, accept.size(), "… and the new member's directory entries (e-mail, name) at the end");
        assertEquals("EMAIL#grace@example.com#" + GRACE, accept.get(5).put().item().get("SK").s());
        assertTrue(accept.get(6).put().item().get("SK").s().startsWith("NAME#"));
        TransactWriteItem last = accept.get(4);
        assertEquals("USER#" + GRACE, last.update().key().get("PK").s());
        assertEquals("PENDING_INVITATIONS", last.update().key().get("SK").s());
        assertEquals("SET #count = if_not_exists(#count, :one) - :one, #type = :type", last.update().updateExpression());
        assertEquals(null, last.update().conditionExpression(), "taking it off never refuses the answer");

        // Declining, revoking and expiring do the same (one close transaction each).
        dynamo.transactions.clear();
        ObjectNode decline = Invoke.with(Invoke.event("Invitations-accept-invitation.json"), "POST /v1/invitations/{invitationId}/decline",
                "/v1/invitations/" + INVITATION + "/decline", "invitationId", INVITATION);
        assertEquals(200, Invoke.run(handler(), decline).status());
        List<TransactWriteItem> declined = dynamo.transactions.get(0).transactItems();
        assertEquals(4, declined.size());
        assertEquals("PENDING_INVITATIONS", declined.get(3).update().key().get("SK").s());
    }

    @Test
    void anInvitationMadeBeforeTheCounterExistedIsNotTakenOff() {
        invitation(InvitationStatus.PENDING, NOW.plus(Duration.ofDays(2)));
        assertEquals(200, Invoke.run(handler(), Invoke.event("Invitations-accept-invitation.json")).status());
        assertTrue(dynamo.transactions.get(0).transactItems().stream()
                .noneMatch(t -> t.update() != null && "PENDING_INVITATIONS".equals(t.update().key().get("SK").s())));
    }

    @Test
    void reInvitingAPendingEmailReturnsTheSameInvitation() {
        admin();
        invitation(InvitationStatus.PENDING, NOW.plus(Duration.ofDays(2)));
        dynamo.put(Item.of(Keys.pendingInvitation(ORG, "grace@example.com"), "PENDING_INVITATION").s("invitationId", INVITATION).build());
        Result r = Invoke.run(handler(), Invoke.event("Invitations-invite-user.json"));
        assertEquals(200, r.status());
        assertEquals(INVITATION, r.json().path("invitationId").asText());
        assertEquals(0, dynamo.transactions.size());
    }

    @Test
    void onlySignedUpPeopleCanBeInvited() {
        admin();
        invitees = email -> Optional.empty();
        Result r = Invoke.run(handler(), Invoke.event("Invitations-invite-user.json"));
        assertEquals(422, r.status());
        assertEquals("user-not-signed-up", r.json().path("code").asText());
        assertEquals("email", r.json().path("field").asText());
    }

    @Test
    void membersCannotBeInvited() {
        admin();
        dynamo.put(organizationMember(GRACE, OrgRole.USER));
        Result r = Invoke.run(handler(), Invoke.event("Invitations-invite-user.json"));
        assertEquals(409, r.status());
        assertEquals("already-a-member", r.json().path("code").asText());
    }

    @Test
    void usersAndNonMembersCannotInvite() {
        Result stranger = Invoke.run(handler(), Invoke.event("Invitations-invite-user.json"));
        assertEquals(404, stranger.status());
        dynamo.put(organizationMember(ADMIN, OrgRole.USER));
        Result user = Invoke.run(handler(), Invoke.event("Invitations-invite-user.json"));
        assertEquals(403, user.status());
        assertEquals("forbidden", user.json().path("code").asText());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"email\":\"grace@example.com\",\"role\":\"OWNER\"}    | role",
            "{\"email\":\"grace\",\"role\":\"USER\"}                 | email",
            "{\"email\":\"grace@example.com\",\"role\":\"USER\",\"teams\":\"t\"} | teams",
            "{\"role\":\"USER\"}                                     | email",
    })
    void badBodies(String body, String field) {
        admin();
        Result r = Invoke.run(handler(), Invoke.withBody(Invoke.event("Invitations-invite-user.json"), body));
        assertEquals(400, r.status());
        assertEquals(field, r.json().path("field").asText());
    }

    @Test
    void acceptEventIsOneTransaction() {
        invitation(InvitationStatus.PENDING, NOW.plus(Duration.ofDays(2)));
        Result r = Invoke.run(handler(), Invoke.event("Invitations-accept-invitation.json"));
        assertEquals(200, r.status(), r.json().toString());
        assertEquals("ACCEPTED", r.json().path("invitation").path("status").asText());
        assertEquals("ADMIN", r.json().path("membership").path("role").asText());
        List<TransactWriteItem> tx = dynamo.transactions.get(0).transactItems();
        assertEquals(4 + 2, tx.size(), "… and the member's directory entries at the end");
        assertTrue(tx.get(4).put().item().get("PK").s().endsWith("#DIRECTORY"));
        assertEquals("#status = :pending AND version = :v", tx.get(0).update().conditionExpression());
        assertEquals("ACCEPTED", tx.get(0).update().expressionAttributeValues().get(":to").s());
        assertEquals("PENDING_INVITATION#grace@example.com", tx.get(1).delete().key().get("SK").s());
        assertEquals("MEMBER#" + GRACE, tx.get(2).put().item().get("SK").s());
        assertEquals("attribute_not_exists(PK)", tx.get(2).put().conditionExpression());
        assertEquals("invitation.accepted", tx.get(3).put().item().get("action").s());
    }

    ObjectNode acceptAs(String sub, String email, String emailVerified) {
        ObjectNode event = Invoke.event("Invitations-accept-invitation.json");
        ObjectNode claims = event.withObjectProperty("requestContext").withObjectProperty("authorizer").withObjectProperty("jwt")
                .withObjectProperty("claims");
        claims.put("sub", sub).put("email", email).put("email_verified", emailVerified);
        return event;
    }

    @Test
    void onlyTheInviteeMayAccept() {
        invitation(InvitationStatus.PENDING, NOW.plus(Duration.ofDays(2)));
        // Someone else, even one who now holds the invited address (verified), is told it does not exist.
        for (String action : new String[] {"accept", "decline"}) {
            ObjectNode event = Invoke.with(acceptAs("7d0c1b2a-3e4f-4a5b-9c8d-1e2f3a4b5c6d", "grace@example.com", "true"),
                    "POST /v1/invitations/{invitationId}/" + action, "/v1/invitations/" + INVITATION + "/" + action, "invitationId", INVITATION);
            Result r = Invoke.run(handler(), event);
            assertEquals(404, r.status(), action);
            assertEquals("invitation-not-found", r.json().path("code").asText());
        }
        assertEquals(0, dynamo.transactions.size());
    }

    @Test
    void theInviteeMayAcceptAfterChangingTheirAddress() {
        invitation(InvitationStatus.PENDING, NOW.plus(Duration.ofDays(2)));
        Result r = Invoke.run(handler(), acceptAs(GRACE, "grace.hopper@example.com", "true"));
        assertEquals(200, r.status(), r.json().toString());
        assertEquals("ACCEPTED", r.json().path("invitation").path("status").asText());
    }

    @Test
    void answeringWithAnUnverifiedEmailIs403WithWhatToDo() {
        invitation(InvitationStatus.PENDING, NOW.plus(Duration.ofDays(2)));
        for (String action : new String[] {"accept", "decline"}) {
            ObjectNode event = Invoke.with(acceptAs(GRACE, "grace@example.com", "false"),
                    "POST /v1/invitations/{invitationId}/" + action, "/v1/invitations/" + INVITATION + "/" + action, "invitationId", INVITATION);
            Result r = Invoke.run(handler(), event);
            assertEquals(403, r.status(), action);
            assertEquals("email-not-verified", r.json().path("code").asText());
            assertTrue(r.json().path("detail").asText().contains("sign in again"), r.json().toString());
        }
        // The same answer for an id that does not exist: nothing leaks.
        ObjectNode unknown = Invoke.with(acceptAs(GRACE, "grace@example.com", "false"), "POST /v1/invitations/{invitationId}/accept",
                "/v1/invitations/x/accept", "invitationId", "01hzx9a1b2c3d4e5f6g7h8j9zz");
        assertEquals(403, Invoke.run(handler(), unknown).status());
        assertEquals(0, dynamo.transactions.size());
    }

    @Test
    void closedAndLapsedInvitationsCannotBeAccepted() {
        for (InvitationStatus s : new InvitationStatus[] {InvitationStatus.REVOKED, InvitationStatus.DECLINED, InvitationStatus.ACCEPTED, InvitationStatus.EXPIRED}) {
            invitation(s, NOW.plus(Duration.ofDays(2)));
            Result r = Invoke.run(handler(), Invoke.event("Invitations-accept-invitation.json"));
            assertEquals(409, r.status());
            assertEquals("invitation-not-pending", r.json().path("code").asText());
            assertEquals(s.name(), r.json().path("invitationStatus").asText());
        }
        invitation(InvitationStatus.PENDING, NOW.minusSeconds(1));
        Result lapsed = Invoke.run(handler(), Invoke.event("Invitations-accept-invitation.json"));
        assertEquals(409, lapsed.status());
        assertEquals("invitation-expired", lapsed.json().path("code").asText());
        // The lapse is recorded: PENDING→EXPIRED with its audit entry, and no membership.
        List<TransactWriteItem> tx = dynamo.transactions.get(0).transactItems();
        assertEquals("EXPIRED", tx.get(0).update().expressionAttributeValues().get(":to").s());
        assertTrue(tx.stream().noneMatch(t -> t.put() != null && t.put().item().get("SK").s().startsWith("MEMBER#")));
    }

    @Test
    void rateLimitIsAnnouncedWithRetryAfterToUtcMidnight() {
        // The condition itself is evaluated by DynamoDB (see the ITs); here: the window and the answer.
        admin();
        Result r = Invoke.run(handler(), Invoke.event("Invitations-invite-user.json"));
        assertEquals(201, r.status());
        String ttl = dynamo.transactions.get(0).transactItems().get(2).update().expressionAttributeValues().get(":ttl").n();
        assertEquals(Instant.parse("2026-11-30T00:00:00Z").getEpochSecond(), Long.parseLong(ttl));
    }
}

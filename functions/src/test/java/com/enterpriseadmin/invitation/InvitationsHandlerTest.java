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
                InvitationTeams.NONE, new Profiles(new ProfileStore(dynamo.db), clock), clock, Duration.ofDays(7), 100));
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
        assertEquals(5, tx.size());
        assertEquals("PENDING_INVITATION#grace@example.com", tx.get(0).put().item().get("SK").s());
        assertEquals("attribute_not_exists(PK)", tx.get(0).put().conditionExpression());
        assertEquals("MEMBER#" + GRACE, tx.get(1).conditionCheck().key().get("SK").s());
        assertEquals("INVITE_RATE#2026-11-28", tx.get(2).update().key().get("SK").s());
        assertEquals("100", tx.get(2).update().expressionAttributeValues().get(":limit").n());
        assertEquals("INVITATION", tx.get(3).put().item().get("SK").s());
        assertEquals("INVITEE#grace@example.com", tx.get(3).put().item().get("GSI2PK").s());
        assertEquals("invitation.created", tx.get(4).put().item().get("action").s());
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
        assertEquals(4, tx.size());
        assertEquals("#status = :pending AND version = :v", tx.get(0).update().conditionExpression());
        assertEquals("ACCEPTED", tx.get(0).update().expressionAttributeValues().get(":to").s());
        assertEquals("PENDING_INVITATION#grace@example.com", tx.get(1).delete().key().get("SK").s());
        assertEquals("MEMBER#" + GRACE, tx.get(2).put().item().get("SK").s());
        assertEquals("attribute_not_exists(PK)", tx.get(2).put().conditionExpression());
        assertEquals("invitation.accepted", tx.get(3).put().item().get("action").s());
    }

    @Test
    void onlyTheInviteeMayAccept() {
        invitation(InvitationStatus.PENDING, NOW.plus(Duration.ofDays(2)));
        ObjectNode event = Invoke.event("Invitations-accept-invitation.json");
        event.withObjectProperty("requestContext").withObjectProperty("authorizer").withObjectProperty("jwt")
                .withObjectProperty("claims").put("email", "mallory@example.com");
        Result r = Invoke.run(handler(), event);
        assertEquals(404, r.status());
        assertEquals("invitation-not-found", r.json().path("code").asText());
        ObjectNode unverified = Invoke.event("Invitations-accept-invitation.json");
        unverified.withObjectProperty("requestContext").withObjectProperty("authorizer").withObjectProperty("jwt")
                .withObjectProperty("claims").put("email_verified", "false");
        assertEquals(404, Invoke.run(handler(), unverified).status());
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

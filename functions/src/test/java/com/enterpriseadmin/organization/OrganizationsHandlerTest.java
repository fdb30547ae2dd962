package com.enterpriseadmin.organization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.audit.AuditLog;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.support.FakeDynamo;
import com.enterpriseadmin.support.Invoke;
import com.enterpriseadmin.support.Invoke.Result;
import com.enterpriseadmin.user.ProfileStore;
import com.enterpriseadmin.user.Profiles;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** The OrganizationsFunction on its sample events (events/Organizations-*.json), server-free. */
class OrganizationsHandlerTest {
    static final String ORG = "01hzx8k2m4n6p8r0s2t4v6w8y0";
    static final String CALLER = "3f1c2b7e-6a8d-4f3e-9d2a-0c1b2a3d4e5f";
    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    final FakeDynamo dynamo = new FakeDynamo();
    final Json json = new Json();
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final AuditStore audit = new AuditStore(dynamo.db, json);
    final OrganizationStore store = new OrganizationStore(dynamo.db, audit);
    final Policy policy = new Policy(store);
    final OrganizationsHandler handler = new OrganizationsHandler(json,
            new Organizations(policy, store, new Profiles(new ProfileStore(dynamo.db), clock), clock, 5),
            new Members(policy, store, MembershipCascade.NONE, (org, team, user, reason) -> 0, clock),
            new AuditLog(policy, audit, com.enterpriseadmin.user.UserEmails.NONE));

    void member(String userId, OrgRole role, MemberStatus status) {
        dynamo.put(OrganizationStore.memberToItem(new Membership(ORG, userId, userId + "@example.com", null, role, status, Map.of(), NOW, NOW, 3)));
    }

    @Test
    void createOrganizationEventMakesTheCallerOwnerInOneTransaction() {
        Result r = Invoke.run(handler, Invoke.event("Organizations-create-organization.json"));
        assertEquals(201, r.status());
        assertEquals("Acme Research", r.json().path("name").asText());
        assertEquals("OWNER", r.json().path("yourRole").asText());
        assertEquals(CALLER, r.json().path("ownerId").asText());
        assertEquals("/v1/organizations/" + r.json().path("orgId").asText(), r.header("location"));
        assertEquals(1, dynamo.transactions.size());
        List<TransactWriteItem> tx = dynamo.transactions.get(0).transactItems();
        assertTrue(tx.size() == 5 || tx.size() == 6, "org, membership, audit, window, then the owner's directory entries: " + tx.size());
        for (TransactWriteItem entry : tx.subList(4, tx.size())) {
            assertTrue(entry.put().item().get("PK").s().endsWith("#DIRECTORY"), entry.toString());
        }
        assertEquals("EMAIL#", tx.get(4).put().item().get("SK").s().substring(0, 6));
        assertEquals("ORG", tx.get(0).put().item().get("SK").s());
        assertEquals("attribute_not_exists(PK)", tx.get(0).put().conditionExpression());
        assertEquals("MEMBER#" + CALLER, tx.get(1).put().item().get("SK").s());
        assertEquals("OWNER", tx.get(1).put().item().get("role").s());
        assertTrue(tx.get(1).put().item().get("teams").hasM(), "memberships carry a teams map");
        assertEquals("USER#" + CALLER, tx.get(1).put().item().get("GSI1PK").s());
        assertTrue(tx.get(2).put().item().get("PK").s().endsWith("#AUDIT"));
        assertEquals("organization.created", tx.get(2).put().item().get("action").s());
        // Counted on the creator's window of the UTC day, refused at the limit.
        assertEquals("USER#" + CALLER, tx.get(3).update().key().get("PK").s());
        assertEquals("ORG_CREATE#2026-11-28", tx.get(3).update().key().get("SK").s());
        assertEquals("attribute_not_exists(#count) OR #count < :limit", tx.get(3).update().conditionExpression());
        assertEquals("5", tx.get(3).update().expressionAttributeValues().get(":limit").n());
        assertEquals(Instant.parse("2026-11-30T00:00:00Z").getEpochSecond(),
                Long.parseLong(tx.get(3).update().expressionAttributeValues().get(":ttl").n()));
    }

    @Test
    void theDailyCreationLimitIs429WithRetryAfterToUtcMidnight() {
        dynamo.cancellations.add(List.of("None", "None", "None", "ConditionalCheckFailed"));
        Result r = Invoke.run(handler, Invoke.event("Organizations-create-organization.json"));
        assertEquals(429, r.status(), r.json().toString());
        assertEquals("organization-create-limit", r.json().path("code").asText());
        assertEquals("application/problem+json", r.header("content-type"));
        assertEquals(5, r.json().path("limit").asInt());
        assertEquals("50400", r.header("retry-after"), "10:00 UTC: fourteen hours to midnight");
    }

    @Test
    void aContendedCreationIsTriedAgain() {
        dynamo.cancellations.add(List.of("None", "None", "None", "TransactionConflict"));
        Result r = Invoke.run(handler, Invoke.event("Organizations-create-organization.json"));
        assertEquals(201, r.status(), r.json().toString());
        assertEquals(2, dynamo.transactions.size());
    }

    @Test
    void listUsersEvent() {
        ObjectNode event = Invoke.event("Organizations-list-users.json");
        Result notMember = Invoke.run(handler, event);
        assertEquals(404, notMember.status());
        assertEquals("organization-not-found", notMember.json().path("code").asText());
        assertEquals("application/problem+json", notMember.header("content-type"));

        member(CALLER, OrgRole.USER, MemberStatus.ACTIVE);
        assertEquals(403, Invoke.run(handler, event).status());

        member(CALLER, OrgRole.ADMIN, MemberStatus.SUSPENDED);
        Result suspended = Invoke.run(handler, event);
        assertEquals(403, suspended.status());
        assertEquals("member-suspended", suspended.json().path("code").asText());

        member(CALLER, OrgRole.ADMIN, MemberStatus.ACTIVE);
        Result ok = Invoke.run(handler, event);
        assertEquals(200, ok.status());
        assertTrue(ok.json().path("items").isArray());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "limit  | 0    | limit",
            "limit  | 101  | limit",
            "limit  | -1   | limit",
            "limit  | ten  | limit",
            "limit  | 1.5  | limit",
            "cursor | %%%  | cursor",
            "cursor | YWJj | cursor",
    })
    void badListParameters(String name, String value, String field) {
        member(CALLER, OrgRole.ADMIN, MemberStatus.ACTIVE);
        Result r = Invoke.run(handler, Invoke.withQuery(Invoke.event("Organizations-list-users.json"), name, value));
        assertEquals(400, r.status());
        assertEquals(field, r.json().path("field").asText());
    }

    @Test
    void aCursorOfAnotherOrganizationIsRefused() {
        member(CALLER, OrgRole.ADMIN, MemberStatus.ACTIVE);
        String foreign = com.enterpriseadmin.store.Cursors.encode(Map.of(
                "PK", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("ORG#other"),
                "SK", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("MEMBER#x")));
        Result r = Invoke.run(handler, Invoke.withQuery(Invoke.event("Organizations-list-users.json"), "cursor", foreign));
        assertEquals(400, r.status());
        assertEquals("invalid-cursor", r.json().path("code").asText());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"name\":\"\"}                 | name",
            "{\"name\":7}                    | name",
            "{\"title\":\"Acme\"}            | name",
            "{\"name\":\"A\",\"id\":\"x\"}   | id",
    })
    void badCreateBodies(String body, String field) {
        Result r = Invoke.run(handler, Invoke.withBody(Invoke.event("Organizations-create-organization.json"), body));
        assertEquals(400, r.status());
        assertEquals(field, r.json().path("field").asText());
        assertEquals(0, dynamo.transactions.size());
    }

    @Test
    void missingBodyIs400() {
        Result r = Invoke.run(handler, Invoke.withBody(Invoke.event("Organizations-create-organization.json"), null));
        assertEquals(400, r.status());
        assertEquals("body", r.json().path("field").asText());
    }

    @Test
    void theOwnerIsProtected() {
        member(CALLER, OrgRole.ADMIN, MemberStatus.ACTIVE);
        member("owner-1", OrgRole.OWNER, MemberStatus.ACTIVE);
        ObjectNode base = Invoke.event("Organizations-list-users.json");
        String route = "/v1/organizations/{orgId}/users/{userId}";
        for (String body : new String[] {"{\"role\":\"USER\"}", "{\"status\":\"SUSPENDED\"}", "{\"role\":\"ADMIN\"}"}) {
            ObjectNode patch = Invoke.withBody(Invoke.with(base, "PATCH " + route, "/v1/organizations/" + ORG + "/users/owner-1", "userId", "owner-1"), body);
            Result r = Invoke.run(handler, patch);
            assertEquals(409, r.status(), body);
            assertEquals("owner-protected", r.json().path("code").asText());
        }
        Result delete = Invoke.run(handler, Invoke.with(base, "DELETE " + route, "/v1/organizations/" + ORG + "/users/owner-1", "userId", "owner-1"));
        assertEquals(409, delete.status());
        assertEquals(0, dynamo.transactions.size());
    }

    @Test
    void roleChangeIsOneTransactionWithItsAuditEntry() {
        member(CALLER, OrgRole.ADMIN, MemberStatus.ACTIVE);
        member("user-2", OrgRole.USER, MemberStatus.ACTIVE);
        ObjectNode patch = Invoke.withBody(Invoke.with(Invoke.event("Organizations-list-users.json"),
                "PATCH /v1/organizations/{orgId}/users/{userId}", "/v1/organizations/" + ORG + "/users/user-2", "userId", "user-2"),
                "{\"role\":\"ADMIN\"}");
        Result r = Invoke.run(handler, patch);
        assertEquals(200, r.status());
        assertEquals("ADMIN", r.json().path("role").asText());
        List<TransactWriteItem> tx = dynamo.transactions.get(0).transactItems();
        assertEquals(2, tx.size());
        assertEquals("version = :v AND #role <> :owner", tx.get(0).update().conditionExpression());
        assertEquals("3", tx.get(0).update().expressionAttributeValues().get(":v").n());
        assertEquals("member.role-changed", tx.get(1).put().item().get("action").s());
        assertNotNull(tx.get(1).put().item().get("before"));
    }

    ObjectNode roleChange(String userId) {
        return Invoke.withBody(Invoke.with(Invoke.event("Organizations-list-users.json"),
                "PATCH /v1/organizations/{orgId}/users/{userId}", "/v1/organizations/" + ORG + "/users/" + userId, "userId", userId),
                "{\"role\":\"ADMIN\"}");
    }

    @Test
    void aMembershipThatMovedMeanwhileIsReadAgainAndRetried() {
        member(CALLER, OrgRole.ADMIN, MemberStatus.ACTIVE);
        member("user-2", OrgRole.USER, MemberStatus.ACTIVE);
        dynamo.cancellations.add(List.of("ConditionalCheckFailed", "None"));
        dynamo.cancellations.add(List.of("TransactionConflict", "None"));
        Result r = Invoke.run(handler, roleChange("user-2"));
        assertEquals(200, r.status(), r.json().toString());
        assertEquals(3, dynamo.transactions.size());
    }

    @Test
    void aRefusalNoRaceExplainsIsADefectNotARetry() {
        member(CALLER, OrgRole.ADMIN, MemberStatus.ACTIVE);
        member("user-2", OrgRole.USER, MemberStatus.ACTIVE);
        dynamo.cancellations.add(List.of("None", "ConditionalCheckFailed")); // the audit entry's put
        Result r = Invoke.run(handler, roleChange("user-2"));
        assertEquals(500, r.status());
        assertEquals(1, dynamo.transactions.size());
    }

    @Test
    void unknownMembersAndMalformedIds() {
        member(CALLER, OrgRole.ADMIN, MemberStatus.ACTIVE);
        ObjectNode base = Invoke.event("Organizations-list-users.json");
        for (String userId : new String[] {"nobody", "../x", "a".repeat(300)}) {
            Result r = Invoke.run(handler, Invoke.with(base, "DELETE /v1/organizations/{orgId}/users/{userId}", "/x", "userId", userId));
            assertEquals(404, r.status(), userId);
            assertEquals("member-not-found", r.json().path("code").asText());
        }
    }
}

package com.enterpriseadmin.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.config.Priming;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.invitation.InvitationInbox;
import com.enterpriseadmin.invitation.InvitationStore;
import com.enterpriseadmin.organization.MemberDirectory;
import com.enterpriseadmin.organization.OrganizationStore;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.support.FakeDynamo;
import com.enterpriseadmin.support.Invoke;
import com.enterpriseadmin.support.Invoke.Result;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** The GetMeFunction on its sample event, server-free, wired as in production (Wiring.me()). */
class GetMeHandlerTest {
    static final String ADA = "3f1c2b7e-6a8d-4f3e-9d2a-0c1b2a3d4e5f";
    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    final FakeDynamo dynamo = new FakeDynamo();
    final Json json = new Json();
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final OrganizationStore organizations = new OrganizationStore(dynamo.db, new AuditStore(dynamo.db, json));
    final GetMeHandler handler = new GetMeHandler(json, new Me(new Profiles(new ProfileStore(dynamo.db), clock),
            new MemberDirectory(organizations), new InvitationInbox(new InvitationStore(dynamo.db, new AuditStore(dynamo.db, json)), organizations, clock)));

    ObjectNode event(String email, String verified) {
        ObjectNode event = Invoke.event("GetMe-authenticated.json");
        event.withObjectProperty("requestContext").withObjectProperty("authorizer").withObjectProperty("jwt").withObjectProperty("claims")
                .put("email", email).put("email_verified", verified);
        return event;
    }

    @Test
    void snapStartPrimingNeverProvisionsAProfileAndReadsOnlyThePrimingKey() throws Exception {
        // A real request of an unknown user provisions a profile (a write); the priming event reaches no route.
        new Priming(handler, Priming.event(Priming.Event.API, List.of()), List.of(Priming.tableRead(dynamo.db))).run();
        assertTrue(dynamo.writes.isEmpty() && dynamo.transactions.isEmpty(), "no write");
        assertEquals(Keys.priming().toMap(), ((GetItemRequest) dynamo.reads.get(0)).key());
        assertEquals(java.util.Set.of(Keys.priming().pk()), java.util.Set.copyOf(dynamo.partitionsRead()), "the priming partition only");
    }

    @Test
    void invitationsAreListedByTheCallersUserIdNeverByTheirEmail() {
        Result r = Invoke.run(handler, Invoke.event("GetMe-authenticated.json"));
        assertEquals(200, r.status(), r.json().toString());
        QueryRequest inbox = dynamo.queries.stream().filter(q -> "GSI2".equals(q.indexName())).findFirst().orElseThrow();
        assertEquals("GSI2PK = :pk", inbox.keyConditionExpression());
        assertEquals("INVITEE#" + ADA, inbox.expressionAttributeValues().get(":pk").s());
    }

    @Test
    void showsWhetherTheEmailIsVerified() {
        Result verified = Invoke.run(handler, Invoke.event("GetMe-authenticated.json"));
        assertTrue(verified.json().path("emailVerified").isBoolean());
        assertTrue(verified.json().path("emailVerified").asBoolean());
        Result unverified = Invoke.run(handler, event("ada@example.com", "false"));
        assertEquals(200, unverified.status(), "the profile exists: /v1/me still answers");
        assertFalse(unverified.json().path("emailVerified").asBoolean());
    }

    @Test
    void aFirstCallWithAnUnverifiedEmailSaysWhatToDo() {
        // No profile yet (the trigger never ran) and nothing verified to create one from.
        Result r = Invoke.run(handler, event("ada@example.com", "false"));
        if (r.status() == 200) {
            throw new AssertionError("a profile was provisioned from an unverified address: " + r.json());
        }
        assertEquals(403, r.status());
        assertEquals("email-not-verified", r.json().path("code").asText());
        assertTrue(r.json().path("detail").asText().contains("type the code"), r.json().toString());
    }
}

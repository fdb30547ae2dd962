package com.enterpriseadmin.it.credit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.enterpriseadmin.it.TestStack;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds organizations, teams and members through the public API, as an administrator would. */
final class CreditFixture {
    final TestStack stack = TestStack.get();

    /** A signed-in user and their id (the Cognito sub, from /v1/me). */
    record Person(String userId, String email, String token) {}

    Person person() {
        TestStack.User user = stack.newUser();
        JsonNode me = ok(stack.get("/v1/me", user.idToken()), 200);
        return new Person(me.path("userId").asText(), user.email(), user.idToken());
    }

    /** A new organization owned by a new user. */
    record Org(String orgId, Person owner) {}

    Org org() {
        Person owner = person();
        JsonNode org = ok(stack.post("/v1/organizations", owner.token(), Map.of("name", "Org " + UUID.randomUUID().toString().substring(0, 8))), 201);
        return new Org(org.path("orgId").asText(), owner);
    }

    /** Invites a new signed-up user with the given org role and has them accept. */
    Person member(Org org, String role) {
        Person person = person();
        JsonNode invitation = stack.post("/v1/organizations/" + org.orgId() + "/invitations", org.owner().token(),
                Map.of("email", person.email(), "role", role)).json();
        String invitationId = invitation.has("invitationId") ? invitation.path("invitationId").asText() : invitation.path("invitation").path("invitationId").asText();
        ok(stack.post("/v1/invitations/" + invitationId + "/accept", person.token(), null), 200);
        return person;
    }

    String team(Org org, Map<String, Object> budget) {
        JsonNode team = ok(stack.post("/v1/organizations/" + org.orgId() + "/teams", org.owner().token(),
                Map.of("name", "Team " + UUID.randomUUID().toString().substring(0, 8), "budget", budget)), 201);
        return team.path("teamId").asText();
    }

    void addToTeam(Org org, String teamId, Person person, String role) {
        ok(stack.post("/v1/organizations/" + org.orgId() + "/teams/" + teamId + "/members", org.owner().token(),
                Map.of("userId", person.userId(), "role", role)), 201);
    }

    List<Person> teamMembers(Org org, String teamId, int count) {
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Person p = member(org, "USER");
            addToTeam(org, teamId, p, "MEMBER");
            people.add(p);
        }
        return people;
    }

    TestStack.Response topUp(Org org, long amount) {
        return withKey("POST", "/v1/organizations/" + org.orgId() + "/credits/top-ups", org.owner().token(), UUID.randomUUID().toString(),
                "{\"amount\":" + amount + ",\"source\":\"CONTRACT\",\"reference\":\"PO-1\"}");
    }

    TestStack.Response consume(Org org, String teamId, Person who, long amount, String key) {
        return withKey("POST", "/v1/organizations/" + org.orgId() + "/teams/" + teamId + "/consumptions", who.token(), key,
                "{\"amount\":" + amount + "}");
    }

    TestStack.Response withKey(String method, String path, String token, String key, String body) {
        Map<String, String> headers = new java.util.HashMap<>(Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"));
        if (key != null) {
            headers.put("Idempotency-Key", key);
        }
        return stack.send(method, path, headers, body);
    }

    JsonNode credits(Org org) {
        return ok(stack.get("/v1/organizations/" + org.orgId() + "/credits", org.owner().token()), 200);
    }

    JsonNode teamUsage(JsonNode credits, String teamId) {
        for (JsonNode t : credits.path("teams")) {
            if (t.path("teamId").asText().equals(teamId)) {
                return t;
            }
        }
        throw new AssertionError("team " + teamId + " not in " + credits);
    }

    static JsonNode ok(TestStack.Response response, int status) {
        assertEquals(status, response.status(), response.body());
        return response.json();
    }
}

package com.enterpriseadmin.it.team;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.enterpriseadmin.it.TestStack;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** Organizations, people and teams built through the public API, plus reads of the stored items. */
final class TeamFixture {
    final TestStack stack = TestStack.get();

    record Person(String userId, String email, String token) {}

    record Org(String orgId, Person owner) {
        String path() { return "/v1/organizations/" + orgId; }
    }

    Person person() {
        TestStack.User user = stack.newUser();
        JsonNode me = ok(stack.get("/v1/me", user.idToken()), 200);
        return new Person(me.path("userId").asText(), user.email(), user.idToken());
    }

    Org org() {
        Person owner = person();
        JsonNode org = ok(stack.post("/v1/organizations", owner.token(), Map.of("name", "Org " + suffix())), 201);
        return new Org(org.path("orgId").asText(), owner);
    }

    /** Invites a new signed-up user with an org role (and optional pre-assigned teams) and has them accept. */
    Person member(Org org, String role) {
        return member(org, role, List.of());
    }

    Person member(Org org, String role, List<Map<String, String>> teams) {
        Person person = person();
        accept(invite(org, person, role, teams), person);
        return person;
    }

    String invite(Org org, Person person, String role, List<Map<String, String>> teams) {
        Map<String, Object> body = new HashMap<>(Map.of("email", person.email(), "role", role));
        if (!teams.isEmpty()) {
            body.put("teams", teams);
        }
        JsonNode invitation = ok(stack.post(org.path() + "/invitations", org.owner().token(), body), 201);
        return invitation.path("invitationId").asText();
    }

    JsonNode accept(String invitationId, Person person) {
        return ok(stack.post("/v1/invitations/" + invitationId + "/accept", person.token(), null), 200);
    }

    TestStack.Response createTeam(Org org, String token, String name, Map<String, Object> budget) {
        return stack.post(org.path() + "/teams", token, Map.of("name", name, "budget", budget));
    }

    String team(Org org, String name, Map<String, Object> budget) {
        return ok(createTeam(org, org.owner().token(), name, budget), 201).path("teamId").asText();
    }

    String team(Org org) {
        return team(org, "Team " + suffix(), Map.of("mode", "SHARED_POOL"));
    }

    TestStack.Response addMember(Org org, String teamId, String token, Person who, String role) {
        return stack.post(org.path() + "/teams/" + teamId + "/members", token, Map.of("userId", who.userId(), "role", role));
    }

    TestStack.Response patch(String path, String token, Object body, String ifMatch) {
        Map<String, String> headers = new HashMap<>(Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"));
        if (ifMatch != null) {
            headers.put("If-Match", ifMatch);
        }
        try {
            String text = body instanceof String s ? s : new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(body);
            return stack.send("PATCH", path, headers, text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    TestStack.Response delete(String path, String token) {
        return stack.send("DELETE", path, token, null);
    }

    // ------------------------------------------------------------------ stored state

    Map<String, AttributeValue> item(String pk, String sk) {
        return stack.dynamo().getItem(b -> b.tableName(stack.tableName).consistentRead(true)
                .key(Map.of("PK", AttributeValue.fromS(pk), "SK", AttributeValue.fromS(sk)))).item();
    }

    boolean seatExists(Org org, String teamId, String userId) {
        Map<String, AttributeValue> item = item("ORG#" + org.orgId(), "TEAMMEMBER#" + teamId + "#" + userId);
        return item != null && !item.isEmpty();
    }

    /** The stored membership, or null. */
    Map<String, AttributeValue> membership(Org org, String userId) {
        Map<String, AttributeValue> item = item("ORG#" + org.orgId(), "MEMBER#" + userId);
        return item == null || item.isEmpty() ? null : item;
    }

    /** All team-member items of a team (consistent query). */
    List<Map<String, AttributeValue>> seats(Org org, String teamId) {
        return stack.dynamo().queryPaginator(QueryRequest.builder().tableName(stack.tableName).consistentRead(true)
                .keyConditionExpression("PK = :pk AND begins_with(SK, :p)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("ORG#" + org.orgId()),
                        ":p", AttributeValue.fromS("TEAMMEMBER#" + teamId + "#")))
                .build()).items().stream().toList();
    }

    long storedMemberCount(Org org, String teamId) {
        return Long.parseLong(item("ORG#" + org.orgId(), "TEAM#" + teamId).get("memberCount").n());
    }

    static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    static JsonNode ok(TestStack.Response response, int status) {
        assertEquals(status, response.status(), response.body());
        return response.json();
    }

    static void problem(TestStack.Response response, int status, String code) {
        assertEquals(status, response.status(), response.body());
        assertEquals(code, response.json().path("code").asText(), response.body());
    }

    static void problem(TestStack.Response response, int status, String code, String field) {
        problem(response, status, code);
        assertEquals(field, response.json().path("field").asText(), response.body());
    }
}

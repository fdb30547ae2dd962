package com.enterpriseadmin.it.credit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.it.TestStack;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Builds organizations, teams and members through the public API, as an administrator would. A fixture that
 * settles ({@link #CreditFixture(TestStack, boolean)}) is a client that retries: a 503 {@code busy} (the only
 * 5xx it accepts, with Retry-After) and a 409 {@code idempotency-request-in-flight} are sent again, same request
 * and same Idempotency-Key, until another answer comes (at most 90 s).
 */
final class CreditFixture {
    private static final long SETTLE_SECONDS = 90;

    final TestStack stack;
    private final boolean settles;
    /** Answers retried by a settling fixture: 503 busy, 409 in flight. */
    final AtomicInteger busyAnswers = new AtomicInteger();
    final AtomicInteger inFlightAnswers = new AtomicInteger();

    /** A fixture on the suite's stack that takes every answer as it comes. */
    CreditFixture() {
        this(TestStack.get(), false);
    }

    CreditFixture(TestStack stack, boolean settles) {
        this.stack = stack;
        this.settles = settles;
    }

    /** Sends a request and, if this fixture settles, retries it until it settles. */
    private TestStack.Response settle(Supplier<TestStack.Response> request) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLE_SECONDS);
        while (true) {
            TestStack.Response r = request.get();
            if (!settles) {
                return r;
            }
            if (r.status() >= 500) {
                assertEquals(503, r.status(), "the only 5xx a client may meet is 503 busy: " + r.body());
                assertEquals("busy", r.json().path("code").asText(), r.body());
                assertTrue(r.headers().firstValue("retry-after").isPresent(), "a 503 says when to retry: " + r.headers().map());
                busyAnswers.incrementAndGet();
            } else if (r.status() == 409 && "idempotency-request-in-flight".equals(r.json().path("code").asText())) {
                inFlightAnswers.incrementAndGet();
            } else {
                return r;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no settled answer within " + SETTLE_SECONDS + " s; the last: " + r.status() + " " + r.body());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** With a token (or none), {@code body} as {@link TestStack#send(String, String, String, Object)} takes it. */
    TestStack.Response send(String method, String path, String token, Object body) {
        return settle(() -> stack.send(method, path, token, body));
    }

    /** With these headers. */
    TestStack.Response send(String method, String path, Map<String, String> headers, String body) {
        return settle(() -> stack.send(method, path, headers, body));
    }


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
        return send(method, path, headers, body);
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

    /** Runs {@code tasks} at once on {@code pool} and answers their results in order. */
    static <T> List<T> all(java.util.concurrent.ExecutorService pool, List<java.util.concurrent.Callable<T>> tasks) throws Exception {
        List<T> results = new ArrayList<>();
        for (java.util.concurrent.Future<T> f : pool.invokeAll(tasks)) {
            results.add(f.get());
        }
        return results;
    }

    static JsonNode ok(TestStack.Response response, int status) {
        assertEquals(status, response.status(), response.body());
        return response.json();
    }
}

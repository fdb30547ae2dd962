package com.enterpriseadmin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The logging rule of docs/security.md, "Logging", end to end: no token, password or e-mail address in
 * the logs. The test drives every kind of request that carries one (sign-up and confirmation through
 * the Cognito triggers, organization, invitation by e-mail, acceptance, a team seat given by e-mail,
 * top-up, consumption, a hold, a refused access token, a refused forged token, a bad body naming an
 * e-mail), then scans the local runtime's log ({@code runtime.log}: the runtime's own request lines and
 * the functions' JSON lines, all functions share its JVM) for JWTs, the passwords and the e-mail
 * addresses it used, and any e-mail address at all. It runs its own flow (failsafe does not order the
 * classes), so whatever ran before it in this JVM is scanned too.
 */
class LogHygieneE2EIT {

    /** Three base64url segments, the first a JSON header ({@code {"} = {@code eyJ}). */
    static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");
    static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");

    private final TestStack stack = TestStack.get();

    @Test
    void noTokenPasswordOrEmailAddressReachesTheLogs() throws Exception {
        assumeTrue(stack.logDir.isPresent(),
                "STACK_FILE names a stack this JVM did not start: its logs are not here to scan (run without STACK_FILE)");
        Path runtimeLog = stack.logDir.get().resolve("runtime.log");

        Set<String> emails = new LinkedHashSet<>();
        Set<String> passwords = new LinkedHashSet<>();
        Set<String> tokens = new LinkedHashSet<>();

        TestStack.User owner = stack.newUser();
        TestStack.User member = stack.newUser();
        TestStack.User seated = stack.newUser();
        for (TestStack.User u : List.of(owner, member, seated)) {
            emails.add(u.email());
            passwords.add(u.password());
            tokens.add(u.idToken());
        }
        TestStack.Tokens both = stack.signInTokens(member.email(), member.password());
        tokens.add(both.idToken());
        tokens.add(both.accessToken());

        // A profile, an organization, two invitations by e-mail, both accepted.
        ok(stack.get("/v1/me", owner.idToken()), 200);
        String orgId = ok(stack.post("/v1/organizations", owner.idToken(), Map.of("name", "Hygiene " + suffix())), 201)
                .path("orgId").asText();
        String org = "/v1/organizations/" + orgId;
        for (TestStack.User invitee : List.of(member, seated)) {
            String invitationId = ok(stack.post(org + "/invitations", owner.idToken(), Map.of("email", invitee.email(), "role", "USER")), 201)
                    .path("invitationId").asText();
            ok(stack.get("/v1/me", invitee.idToken()), 200);
            ok(stack.post("/v1/invitations/" + invitationId + "/accept", invitee.idToken(), null), 200);
        }
        // Refusals that name an e-mail: an address that never signed up, a re-invitation of a member.
        String stranger = "nobody-" + suffix() + "@example.com";
        emails.add(stranger);
        assertEquals(422, stack.post(org + "/invitations", owner.idToken(), Map.of("email", stranger, "role", "USER")).status());
        assertEquals(409, stack.post(org + "/invitations", owner.idToken(), Map.of("email", member.email(), "role", "USER")).status());
        ok(stack.get(org + "/users", owner.idToken()), 200);

        // A team; seats given by user id and by e-mail; credits topped up, consumed, held and captured.
        String teamId = ok(stack.post(org + "/teams", owner.idToken(),
                Map.of("name", "Team " + suffix(), "budget", Map.of("mode", "LIMITED", "limit", 100))), 201).path("teamId").asText();
        String team = org + "/teams/" + teamId;
        String memberId = ok(stack.get("/v1/me", member.idToken()), 200).path("userId").asText();
        ok(stack.post(team + "/members", owner.idToken(), Map.of("userId", memberId, "role", "MEMBER")), 201);
        ok(stack.post(team + "/members", owner.idToken(), Map.of("email", seated.email(), "role", "ADMIN")), 201);
        ok(withKey("POST", org + "/credits/top-ups", owner.idToken(), "{\"amount\":500,\"source\":\"CONTRACT\",\"reference\":\"PO-hygiene\"}"), 201);
        ok(withKey("POST", team + "/consumptions", member.idToken(), "{\"amount\":10}"), 201);
        String holdId = ok(withKey("POST", team + "/holds", member.idToken(), "{\"amount\":20,\"expiresInSeconds\":600}"), 201)
                .path("holdId").asText();
        ok(withKey("POST", team + "/holds/" + holdId + "/capture", member.idToken(), "{\"amount\":5}"), 200);
        assertEquals(409, withKey("POST", team + "/consumptions", member.idToken(), "{\"amount\":1000}").status());
        ok(stack.get(org + "/credits", owner.idToken()), 200);
        ok(stack.get(org + "/ledger", owner.idToken()), 200);
        ok(stack.get(org + "/audit-log", owner.idToken()), 200);

        // Tokens the functions or the authorizer refuse: an access token, a forged one; a body with an e-mail
        // in a field that does not exist (400 naming the field).
        assertEquals(401, stack.get("/v1/me", both.accessToken()).status());
        String forged = owner.idToken().substring(0, owner.idToken().lastIndexOf('.') + 1) + "Zm9yZ2VkLXNpZ25hdHVyZQ";
        tokens.add(forged);
        assertEquals(401, stack.get("/v1/me", forged).status());
        assertEquals(400, stack.post(org + "/invitations", owner.idToken(),
                Map.of("email", member.email(), "role", "USER", "note", "cc " + stranger)).status());

        // The last line this test waits for: the runtime logs a request once it has answered it.
        String marker = "/v1/log-hygiene-marker-" + suffix();
        assertEquals(404, stack.get(marker, null).status());
        List<String> lines = linesOnceWritten(runtimeLog, marker);

        List<String> leaks = new ArrayList<>();
        for (String line : lines) {
            Matcher jwt = JWT.matcher(line);
            if (jwt.find()) leaks.add("a JWT: " + describe(line, passwords));
            for (String t : tokens) {
                if (line.contains(t)) leaks.add("a token of this test: " + describe(line, passwords));
            }
            for (String p : passwords) {
                if (line.contains(p)) leaks.add("a password of this test: " + describe(line, passwords));
            }
            for (String e : emails) {
                if (line.toLowerCase(java.util.Locale.ROOT).contains(e.toLowerCase(java.util.Locale.ROOT))) {
                    leaks.add("an e-mail address of this test: " + describe(line, passwords));
                }
            }
            Matcher email = EMAIL.matcher(line);
            if (email.find() && isFunctionLine(line)) leaks.add("an e-mail address: " + describe(line, passwords));
        }
        if (!leaks.isEmpty()) {
            fail(leaks.size() + " leak(s) in " + runtimeLog + " (docs/security.md, \"Logging\"):\n" + String.join("\n", new LinkedHashSet<>(leaks)));
        }
    }

    /** A JSON line of a function (Log), as opposed to the local runtime's request lines or a JVM message. */
    private static boolean isFunctionLine(String line) {
        return line.startsWith("{") && line.contains("\"event\":");
    }

    /** Which line: its event (or the runtime's type and path) and an excerpt with every secret blanked out. */
    private static String describe(String line, Set<String> passwords) {
        String event = field(line, "event");
        String where = event != null ? "event=" + event + " function=" + field(line, "function")
                : field(line, "type") != null ? "runtime " + field(line, "type") + " " + field(line, "path") : "non-JSON line";
        String redacted = EMAIL.matcher(JWT.matcher(line).replaceAll("<jwt>")).replaceAll("<e-mail>");
        for (String p : passwords) redacted = redacted.replace(p, "<password>");
        return where + " | " + (redacted.length() > 300 ? redacted.substring(0, 300) + "…" : redacted);
    }

    private static String field(String line, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(line);
        return m.find() ? m.group(1) : null;
    }

    private static List<String> linesOnceWritten(Path log, String marker) throws IOException, InterruptedException {
        assertTrue(Files.exists(log), "no " + log);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            if (lines.stream().anyMatch(l -> l.contains(marker))) return lines;
            if (System.nanoTime() > deadline) fail("the runtime never logged " + marker + " in " + log);
            Thread.sleep(100);
        }
    }

    private TestStack.Response withKey(String method, String path, String token, String body) {
        Map<String, String> headers = new HashMap<>(Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json",
                "Idempotency-Key", UUID.randomUUID().toString()));
        return stack.send(method, path, headers, body);
    }

    private static JsonNode ok(TestStack.Response response, int status) {
        assertEquals(status, response.status(), response.body());
        return response.json();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}

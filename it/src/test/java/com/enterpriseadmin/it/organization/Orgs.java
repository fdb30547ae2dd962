package com.enterpriseadmin.it.organization;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.enterpriseadmin.it.TestStack;
import com.enterpriseadmin.it.TestStack.Response;
import com.enterpriseadmin.it.TestStack.User;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;

/** The steps the organization and invitation tests share, all over HTTP with real emulator tokens. */
final class Orgs {
    private Orgs() {}

    static TestStack stack() {
        return TestStack.get();
    }

    /**
     * A signed-up user whose e-mail is VERIFIED, as after a real ConfirmSignUp with the e-mailed code.
     * {@link TestStack#newUser()} confirms with AdminConfirmSignUp, which (in Cognito and cognito-local
     * alike) leaves {@code email_verified} unset; invitations match on the verified claim only.
     */
    static User newUser() {
        User u = stack().newUser();
        stack().cognito().adminUpdateUserAttributes(b -> b.userPoolId(stack().poolId).username(u.email())
                .userAttributes(AttributeType.builder().name("email").value(u.email()).build(),
                        AttributeType.builder().name("email_verified").value("true").build()));
        return new User(u.email(), u.password(), u.name(), stack().signIn(u.email(), u.password()));
    }

    /** A new user creates an organization and is its owner; returns the org id. */
    static String createOrg(User owner, String name) {
        Response r = stack().post("/v1/organizations", owner.idToken(), Map.of("name", name));
        assertEquals(201, r.status(), r.body());
        return r.json().path("orgId").asText();
    }

    static Response invite(User admin, String orgId, String email, String role) {
        return stack().post("/v1/organizations/" + orgId + "/invitations", admin.idToken(), Map.of("email", email, "role", role));
    }

    /** Invites and returns the invitation id (201 expected). */
    static String invited(User admin, String orgId, User invitee, String role) {
        Response r = invite(admin, orgId, invitee.email(), role);
        assertEquals(201, r.status(), r.body());
        return r.json().path("invitationId").asText();
    }

    static Response accept(User invitee, String invitationId) {
        return stack().post("/v1/invitations/" + invitationId + "/accept", invitee.idToken(), null);
    }

    /** Invites {@code invitee} with {@code role} and has them accept. */
    static void join(User admin, String orgId, User invitee, String role) {
        Response r = accept(invitee, invited(admin, orgId, invitee, role));
        assertEquals(200, r.status(), r.body());
    }

    static Response patchUser(User caller, String orgId, String userId, Object body) {
        return stack().send("PATCH", "/v1/organizations/" + orgId + "/users/" + userId, caller.idToken(), body);
    }

    static Response deleteUser(User caller, String orgId, String userId) {
        return stack().send("DELETE", "/v1/organizations/" + orgId + "/users/" + userId, caller.idToken(), null);
    }

    static String userId(User user) {
        Response me = stack().get("/v1/me", user.idToken());
        assertEquals(200, me.status(), me.body());
        return me.json().path("userId").asText();
    }

    /** The caller's membership of {@code orgId} as /v1/me lists it (null if none). */
    static JsonNode membership(User user, String orgId) {
        for (JsonNode m : stack().get("/v1/me", user.idToken()).json().path("memberships")) {
            if (m.path("orgId").asText().equals(orgId)) {
                return m;
            }
        }
        return null;
    }

    static void assertProblem(Response r, int status, String code) {
        assertEquals(status, r.status(), r.body());
        assertEquals(code, r.json().path("code").asText(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("content-type").orElse(""), r.body());
    }
}

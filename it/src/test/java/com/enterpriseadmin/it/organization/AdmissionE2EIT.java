package com.enterpriseadmin.it.organization;

import static com.enterpriseadmin.it.organization.Orgs.assertProblem;
import static com.enterpriseadmin.it.organization.Orgs.createOrg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.enterpriseadmin.it.TestStack;
import com.enterpriseadmin.it.TestStack.Response;
import com.enterpriseadmin.it.TestStack.User;
import com.enterpriseadmin.store.Ids;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every request must pass before any route runs, with real cognito-local tokens: ID tokens only,
 * an e-mail at an allowed domain; and the per-user limit on creating organizations.
 */
class AdmissionE2EIT {
    private final TestStack stack = TestStack.get();

    @Test
    void accessTokensAreRefusedWithWhatToSendInstead() {
        User user = Orgs.newUser();
        TestStack.Tokens tokens = stack.signInTokens(user.email(), user.password());
        String orgId = createOrg(user, "Tokens");
        // The authorizer lets the client's access token through (client_id); the functions do not.
        for (Response r : new Response[] {
                stack.get("/v1/me", tokens.accessToken()),
                stack.post("/v1/organizations", tokens.accessToken(), Map.of("name", "Nope")),
                stack.get("/v1/organizations/" + orgId, tokens.accessToken()),
                stack.post("/v1/invitations/" + Ids.newId() + "/accept", tokens.accessToken(), null),
                stack.get("/v1/organizations/" + orgId + "/credits", tokens.accessToken())}) {
            assertProblem(r, 401, "id-token-required");
            assertTrue(r.json().path("detail").asText().contains("Authorization: Bearer <IdToken>"), r.body());
        }
        assertEquals(200, stack.get("/v1/me", tokens.idToken()).status());
    }

    @Test
    void anAddressMovedToAnotherDomainIsRefusedOnEveryRoute() {
        assumeTrue(stack.allowedEmailDomains.isPresent(), "needs a stack started with AllowedEmailDomains (not a STACK_FILE stack)");
        User user = Orgs.newUser();
        String orgId = createOrg(user, "Domains");
        String elsewhere = "moved-" + UUID.randomUUID().toString().substring(0, 10) + "@elsewhere.org";
        stack.setEmail(user.email(), elsewhere, true);
        String token = stack.signIn(elsewhere, user.password());
        for (Response r : new Response[] {
                stack.get("/v1/me", token),
                stack.post("/v1/organizations", token, Map.of("name", "Elsewhere Inc")),
                stack.get("/v1/organizations/" + orgId, token),
                stack.get("/v1/organizations/" + orgId + "/users", token),
                stack.get("/v1/organizations/" + orgId + "/teams", token),
                stack.get("/v1/organizations/" + orgId + "/credits", token),
                stack.post("/v1/organizations/" + orgId + "/invitations", token, Map.of("email", "x@example.com", "role", "USER")),
                stack.post("/v1/invitations/" + Ids.newId() + "/accept", token, null)}) {
            assertProblem(r, 403, "email-domain-not-allowed");
            assertFalse(r.body().contains(stack.allowedEmailDomains.get()), "the allowed domains are not revealed: " + r.body());
        }
        // Back at an allowed address (verified) and signed in again: everything answers again.
        stack.setEmail(elsewhere, user.email(), true);
        String back = stack.signIn(user.email(), user.password());
        assertEquals(200, stack.get("/v1/organizations/" + orgId, back).status());
    }

    @Test
    void aUserCreatesAtMostFiveOrganizationsPerUtcDay() {
        User user = Orgs.newUser();
        for (int i = 0; i < 5; i++) {
            createOrg(user, "Burst " + i);
        }
        Response sixth = stack.post("/v1/organizations", user.idToken(), Map.of("name", "Burst 5"));
        assertProblem(sixth, 429, "organization-create-limit");
        long retryAfter = Long.parseLong(sixth.headers().firstValue("retry-after").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= 86400, "retry-after " + retryAfter);
        assertEquals(5, stack.get("/v1/me", user.idToken()).json().path("memberships").size(), "the sixth was not created");
        // Another user is not affected.
        createOrg(Orgs.newUser(), "Someone Else");
    }
}

package com.enterpriseadmin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.enterpriseadmin.error.DomainException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiHandlerTest {
    private static final Json JSON = new Json();
    private final Json json = JSON;

    private static final class Sample extends ApiHandler {
        Sample() {
            this(null);
        }

        Sample(com.enterpriseadmin.auth.Admission admission) {
            super(JSON, admission);
            route("GET /v1/ok", r -> ok(Map.of("hello", r.pathParameters().getOrDefault("orgId", "none"))));
            route("GET /v1/bad", r -> { throw new DomainException.InvalidInput("limit", "must be between 1 and 100"); });
            route("GET /v1/limited", r -> { throw new DomainException.RateLimited("invite-rate-limited", "slow down", 42); });
            route("GET /v1/boom", r -> { throw new IllegalStateException("secret internal detail"); });
        }
    }

    private JsonNode invoke(String routeKey) throws Exception {
        String event = """
                {"version":"2.0","routeKey":"%s","rawPath":"/v1/x","headers":{"X-Mixed":"v"},
                 "pathParameters":{"orgId":"o1"},
                 "requestContext":{"requestId":"req-1","http":{"method":"GET"},"authorizer":{"jwt":{"claims":{"sub":"u1","token_use":"id"}}}}}
                """.formatted(routeKey);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Sample().handleRequest(new ByteArrayInputStream(event.getBytes()), out, null);
        return json.mapper().readTree(out.toByteArray());
    }

    @Test
    void encodesAPayloadV2Response() throws Exception {
        JsonNode response = invoke("GET /v1/ok");
        assertEquals(200, response.path("statusCode").asInt());
        assertEquals("application/json", response.path("headers").path("content-type").asText());
        assertEquals("o1", json.mapper().readTree(response.path("body").asText()).path("hello").asText());
    }

    @Test
    void mapsDomainFailuresToProblemJson() throws Exception {
        JsonNode response = invoke("GET /v1/bad");
        assertEquals(400, response.path("statusCode").asInt());
        assertEquals("application/problem+json", response.path("headers").path("content-type").asText());
        JsonNode problem = json.mapper().readTree(response.path("body").asText());
        assertEquals("urn:problem:enterprise-admin:invalid-input", problem.path("type").asText());
        assertEquals("invalid-input", problem.path("code").asText());
        assertEquals("limit", problem.path("field").asText());
        assertEquals(400, problem.path("status").asInt());
        assertEquals("req-1", problem.path("requestId").asText());
    }

    @Test
    void rateLimitsCarryRetryAfter() throws Exception {
        JsonNode response = invoke("GET /v1/limited");
        assertEquals(429, response.path("statusCode").asInt());
        assertEquals("42", response.path("headers").path("retry-after").asText());
    }

    @Test
    void unexpectedFailuresRevealNothing() throws Exception {
        JsonNode response = invoke("GET /v1/boom");
        assertEquals(500, response.path("statusCode").asInt());
        assertFalse(response.path("body").asText().contains("secret"));
    }

    @Test
    void unknownRoutesAre404() throws Exception {
        assertEquals(404, invoke("GET /v1/nowhere").path("statusCode").asInt());
    }

    private JsonNode invokeWithClaims(String claims, com.enterpriseadmin.auth.Admission admission) throws Exception {
        String event = """
                {"version":"2.0","routeKey":"GET /v1/ok","rawPath":"/v1/ok","headers":{},
                 "requestContext":{"requestId":"req-2","http":{"method":"GET"},"authorizer":{"jwt":{"claims":%s}}}}
                """.formatted(claims);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Sample(admission).handleRequest(new ByteArrayInputStream(event.getBytes()), out, null);
        return json.mapper().readTree(out.toByteArray());
    }

    @Test
    void accessTokensAndTokensOfNoKindAreRefusedBeforeAnyRoute() throws Exception {
        // What the HTTP API authorizer passes for a Cognito ACCESS token of the client (it checks client_id).
        String access = """
                {"sub":"u1","token_use":"access","client_id":"exampleclientid","scope":"aws.cognito.signin.user.admin","username":"u1"}""";
        for (String claims : new String[] {access, "{\"sub\":\"u1\"}", "{\"sub\":\"u1\",\"token_use\":\"ID\"}"}) {
            JsonNode response = invokeWithClaims(claims, null);
            assertEquals(401, response.path("statusCode").asInt(), claims);
            assertEquals("application/problem+json", response.path("headers").path("content-type").asText());
            JsonNode problem = json.mapper().readTree(response.path("body").asText());
            assertEquals("id-token-required", problem.path("code").asText());
            assertEquals(true, problem.path("detail").asText().contains("Authorization: Bearer <IdToken>"), problem.toString());
            assertEquals(true, problem.path("detail").asText().contains("AuthenticationResult"), problem.toString());
        }
        assertEquals(200, invokeWithClaims("{\"sub\":\"u1\",\"token_use\":\"id\"}", null).path("statusCode").asInt());
    }

    @Test
    void anEmailOutsideTheAllowedDomainsIsRefusedOnEveryRoute() throws Exception {
        var admission = new com.enterpriseadmin.auth.Admission(java.util.List.of("example.com"));
        String moved = "{\"sub\":\"u1\",\"token_use\":\"id\",\"email\":\"ada@elsewhere.org\",\"email_verified\":\"true\"}";
        JsonNode refused = invokeWithClaims(moved, admission);
        assertEquals(403, refused.path("statusCode").asInt());
        JsonNode problem = json.mapper().readTree(refused.path("body").asText());
        assertEquals("email-domain-not-allowed", problem.path("code").asText());
        assertFalse(problem.path("detail").asText().contains("example.com"), "the allowed domains are not revealed");
        assertEquals(403, invokeWithClaims("{\"sub\":\"u1\",\"token_use\":\"id\"}", admission).path("statusCode").asInt(), "no e-mail at all");
        assertEquals(403, invokeWithClaims(moved.replace("elsewhere.org", "example.com.evil.org"), admission).path("statusCode").asInt());
        assertEquals(200, invokeWithClaims(moved.replace("elsewhere.org", "Example.COM"), admission).path("statusCode").asInt());
        assertEquals(200, invokeWithClaims(moved, com.enterpriseadmin.auth.Admission.ANY_DOMAIN).path("statusCode").asInt());
    }

    @Test
    void handlersBuiltWithoutAnAdmissionUseTheInstalledOne() throws Exception {
        String moved = "{\"sub\":\"u1\",\"token_use\":\"id\",\"email\":\"ada@elsewhere.org\",\"email_verified\":\"true\"}";
        try {
            ApiHandler.install(new com.enterpriseadmin.auth.Admission(java.util.List.of("example.com")));
            assertEquals(403, invokeWithClaims(moved, null).path("statusCode").asInt());
        } finally {
            ApiHandler.install(com.enterpriseadmin.auth.Admission.ANY_DOMAIN);
        }
        assertEquals(200, invokeWithClaims(moved, null).path("statusCode").asInt());
    }
}

package com.enterpriseadmin.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiEventsTest {

  private static final Template.Route ROUTE = new Template.Route("POST", "/v1/orgs/{orgId}/teams", "CreateTeam", "Create", true);

  private static JsonNode event(Map<String, List<String>> headers, String query, byte[] body, JWTClaimsSet claims) {
    ApiEvents.Request request = new ApiEvents.Request("POST", "/v1/orgs/o%2D1/teams", query, headers, body, "127.0.0.1", "HTTP/1.1");
    Router.Match match = new Router.Match(ROUTE, Map.of("orgId", "o-1"));
    return ApiEvents.event(request, match, claims, "req-1", Instant.ofEpochMilli(1_700_000_000_123L));
  }

  @Test
  void payloadFormat20() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Content-Type", List.of("application/json"));
    headers.put("X-Multi", List.of("a", "b"));
    headers.put("Cookie", List.of("s=1; t=2"));
    headers.put("User-Agent", List.of("junit"));
    headers.put("Host", List.of("127.0.0.1:3000"));
    JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("u-1").claim("email", "a@b.c").claim("email_verified", true)
        .claim("cognito:groups", List.of("admins", "users")).expirationTime(new Date(1_700_000_600_000L)).build();
    JsonNode e = event(headers, "a=1&b=x%20y&a=2", "{\"name\":\"T\"}".getBytes(StandardCharsets.UTF_8), claims);

    assertEquals("2.0", e.get("version").asText());
    assertEquals("POST /v1/orgs/{orgId}/teams", e.get("routeKey").asText());
    assertEquals("/v1/orgs/o%2D1/teams", e.get("rawPath").asText());
    assertEquals("a=1&b=x%20y&a=2", e.get("rawQueryString").asText());
    assertEquals("[\"s=1\",\"t=2\"]", e.get("cookies").toString());
    assertEquals("application/json", e.get("headers").get("content-type").asText());
    assertEquals("a,b", e.get("headers").get("x-multi").asText());
    assertFalse(e.get("headers").has("cookie"));
    assertEquals("1,2", e.get("queryStringParameters").get("a").asText());
    assertEquals("x y", e.get("queryStringParameters").get("b").asText());
    assertEquals("o-1", e.get("pathParameters").get("orgId").asText());
    assertEquals("{\"name\":\"T\"}", e.get("body").asText());
    assertFalse(e.get("isBase64Encoded").asBoolean());

    JsonNode ctx = e.get("requestContext");
    assertEquals("$default", ctx.get("stage").asText());
    assertEquals("req-1", ctx.get("requestId").asText());
    assertEquals("POST /v1/orgs/{orgId}/teams", ctx.get("routeKey").asText());
    assertEquals(1_700_000_000_123L, ctx.get("timeEpoch").asLong());
    assertEquals("14/Nov/2023:22:13:20 +0000", ctx.get("time").asText());
    assertEquals("POST", ctx.get("http").get("method").asText());
    assertEquals("junit", ctx.get("http").get("userAgent").asText());
    assertEquals("127.0.0.1", ctx.get("http").get("sourceIp").asText());
    JsonNode jwt = ctx.get("authorizer").get("jwt");
    assertEquals("u-1", jwt.get("claims").get("sub").asText());
    assertEquals("true", jwt.get("claims").get("email_verified").asText(), "claims are strings, like AWS");
    assertTrue(jwt.get("claims").get("email_verified").isTextual());
    assertEquals("1700000600", jwt.get("claims").get("exp").asText());
    assertEquals("[admins users]", jwt.get("claims").get("cognito:groups").asText());
    assertTrue(jwt.get("scopes").isNull());
  }

  @Test
  void binaryBodyIsBase64AndEmptyPartsAreLeftOut() {
    JsonNode e = event(Map.of("content-type", List.of("application/octet-stream")), null, new byte[] {1, 2, 3}, null);
    assertTrue(e.get("isBase64Encoded").asBoolean());
    assertEquals("AQID", e.get("body").asText());
    assertEquals("", e.get("rawQueryString").asText());
    assertFalse(e.has("queryStringParameters"));
    assertFalse(e.has("cookies"));
    assertFalse(e.get("requestContext").has("authorizer"));
  }

  @Test
  void fullResponse() {
    ApiEvents.Response r = ApiEvents.response(("{\"statusCode\":201,\"headers\":{\"content-type\":\"application/json\"},"
        + "\"multiValueHeaders\":{\"x-a\":[\"1\",\"2\"]},\"cookies\":[\"c=1\"],\"body\":\"{}\",\"isBase64Encoded\":false}")
        .getBytes(StandardCharsets.UTF_8));
    assertEquals(201, r.statusCode());
    assertEquals(List.of("application/json"), r.headers().get("content-type"));
    assertEquals(List.of("1", "2"), r.headers().get("x-a"));
    assertEquals(List.of("c=1"), r.cookies());
    assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), r.body());
  }

  @Test
  void base64ResponseAndInferredResponse() {
    assertArrayEquals(new byte[] {1, 2, 3},
        ApiEvents.response("{\"statusCode\":200,\"body\":\"AQID\",\"isBase64Encoded\":true}".getBytes(StandardCharsets.UTF_8)).body());
    ApiEvents.Response inferred = ApiEvents.response("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    assertEquals(200, inferred.statusCode());
    assertEquals("{\"a\":1}", new String(inferred.body(), StandardCharsets.UTF_8));
  }
}

package com.enterpriseadmin.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** API Gateway HTTP API payload format 2.0: the event a handler receives, and its response. */
public final class ApiEvents {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  /** An incoming HTTP request, as the local server saw it. Header names in any case, values in order. */
  public record Request(
      String method,
      String rawPath,
      String rawQueryString,
      Map<String, List<String>> headers,
      byte[] body,
      String sourceIp,
      String protocol) {}

  /** A decoded payload-2.0 response. */
  public record Response(int statusCode, Map<String, List<String>> headers, List<String> cookies, byte[] body) {}

  private ApiEvents() {}

  public static ObjectNode event(Request request, Router.Match match, JWTClaimsSet claims, String requestId, Instant now) {
    return event(request, match, claims, null, requestId, now);
  }

  /** {@code iam}: the SigV4-verified caller of an {@code AWS_IAM} route ({@code requestContext.authorizer.iam}), else null. */
  public static ObjectNode event(Request request, Router.Match match, JWTClaimsSet claims, Map<String, String> iam, String requestId, Instant now) {
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "2.0");
    String routeKey = match.route().path().equals("$default") ? "$default" : match.route().routeKey();
    event.put("routeKey", routeKey);
    event.put("rawPath", request.rawPath());
    event.put("rawQueryString", request.rawQueryString() == null ? "" : request.rawQueryString());

    List<String> cookies = new ArrayList<>();
    ObjectNode headers = JSON.createObjectNode();
    Map<String, List<String>> lower = new LinkedHashMap<>();
    request.headers().forEach((name, values) -> lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));
    lower.forEach((name, values) -> {
      if (name.equals("cookie")) {
        for (String v : values) for (String c : v.split(";")) if (!c.isBlank()) cookies.add(c.trim());
      } else {
        headers.put(name, String.join(",", values));
      }
    });
    if (!cookies.isEmpty()) {
      ArrayNode array = event.putArray("cookies");
      cookies.forEach(array::add);
    }
    event.set("headers", headers);

    Map<String, List<String>> query = parseQuery(request.rawQueryString());
    if (!query.isEmpty()) {
      ObjectNode q = event.putObject("queryStringParameters");
      query.forEach((k, v) -> q.put(k, String.join(",", v)));
    }

    ObjectNode ctx = event.putObject("requestContext");
    ctx.put("accountId", LocalAws.ACCOUNT_ID);
    ctx.put("apiId", LocalAws.API_ID);
    if (claims != null) {
      ObjectNode jwt = ctx.putObject("authorizer").putObject("jwt");
      ObjectNode c = jwt.putObject("claims");
      claims.getClaims().forEach((k, v) -> c.put(k, claimString(v)));
      Object scope = claims.getClaim("scope");
      if (scope == null) {
        jwt.putNull("scopes");
      } else {
        ArrayNode scopes = jwt.putArray("scopes");
        for (String s : String.valueOf(scope).split(" ")) if (!s.isBlank()) scopes.add(s);
      }
    }
    if (iam != null) {
      ObjectNode identity = ctx.putObject("authorizer").putObject("iam");
      iam.forEach(identity::put);
      identity.putNull("cognitoIdentity");
      identity.putNull("principalOrgId");
    }
    String host = lower.getOrDefault("host", List.of("localhost")).get(0);
    ctx.put("domainName", host);
    ctx.put("domainPrefix", host.split("[.:]", 2)[0]);
    ObjectNode http = ctx.putObject("http");
    http.put("method", request.method().toUpperCase(Locale.ROOT));
    http.put("path", request.rawPath());
    http.put("protocol", request.protocol());
    http.put("sourceIp", request.sourceIp());
    http.put("userAgent", String.join(",", lower.getOrDefault("user-agent", List.of(""))));
    ctx.put("requestId", requestId);
    ctx.put("routeKey", routeKey);
    ctx.put("stage", "$default");
    ctx.put("time", TIME.format(now));
    ctx.put("timeEpoch", now.toEpochMilli());

    if (!match.pathParameters().isEmpty()) {
      ObjectNode p = event.putObject("pathParameters");
      match.pathParameters().forEach(p::put);
    }
    boolean hasBody = request.body() != null && request.body().length > 0;
    boolean text = isText(String.join(",", lower.getOrDefault("content-type", List.of())));
    if (hasBody) {
      event.put("body", text ? new String(request.body(), StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(request.body()));
    }
    event.put("isBase64Encoded", hasBody && !text);
    return event;
  }

  /** Like AWS: every claim value is a string; arrays are written {@code [a b c]}. */
  static String claimString(Object value) {
    if (value instanceof Collection<?> c) {
      return "[" + String.join(" ", c.stream().map(String::valueOf).toList()) + "]";
    }
    if (value instanceof java.util.Date d) return String.valueOf(d.getTime() / 1000);
    return String.valueOf(value);
  }

  static boolean isText(String contentType) {
    if (contentType == null || contentType.isBlank()) return true;
    String ct = contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
    return ct.startsWith("text/") || ct.equals("application/json") || ct.endsWith("+json") || ct.equals("application/xml")
        || ct.endsWith("+xml") || ct.equals("application/x-www-form-urlencoded") || ct.equals("application/javascript");
  }

  static Map<String, List<String>> parseQuery(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) return out;
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return out;
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /**
   * The handler's output as API Gateway reads it: an object with {@code statusCode} is a full
   * response; anything else is a 200 JSON body (the payload-2.0 inference).
   */
  public static Response response(byte[] output) {
    JsonNode node;
    try {
      node = output.length == 0 ? null : JSON.readTree(output);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("handler output is not JSON", e);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    if (node == null || !node.isObject() || !node.has("statusCode")) {
      headers.put("content-type", List.of("application/json"));
      return new Response(200, headers, List.of(), output);
    }
    int status = node.get("statusCode").asInt();
    if (node.path("headers").isObject()) {
      node.get("headers").properties().forEach(e -> headers.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue().asText()));
    }
    if (node.path("multiValueHeaders").isObject()) {
      node.get("multiValueHeaders").properties().forEach(e -> e.getValue().forEach(v ->
          headers.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(v.asText())));
    }
    List<String> cookies = new ArrayList<>();
    node.path("cookies").forEach(c -> cookies.add(c.asText()));
    byte[] body = new byte[0];
    JsonNode b = node.get("body");
    if (b != null && !b.isNull()) {
      body = node.path("isBase64Encoded").asBoolean(false)
          ? Base64.getDecoder().decode(b.asText())
          : b.asText().getBytes(StandardCharsets.UTF_8);
    }
    return new Response(status, headers, cookies, body);
  }
}

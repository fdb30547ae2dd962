package com.enterpriseadmin.http;

import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of an API Gateway HTTP API (payload format 2.0) event the handlers use. Header names
 * are lower-case, as API Gateway delivers them. {@code claims} are the JWT claims the authorizer
 * verified — the only identity a handler may trust on a JWT route; {@code iam} is the IAM identity API
 * Gateway verified (SigV4) on an {@code AWS_IAM} route ({@code requestContext.authorizer.iam}: userArn,
 * accountId, accessKey, ...), empty elsewhere.
 */
public record ApiRequest(
        String routeKey,
        String method,
        String path,
        Map<String, String> pathParameters,
        Map<String, String> query,
        Map<String, String> headers,
        String body,
        Map<String, String> claims,
        String requestId,
        Map<String, String> iam) {

    /** A request of a JWT route (no IAM identity). */
    public ApiRequest(String routeKey, String method, String path, Map<String, String> pathParameters, Map<String, String> query,
                      Map<String, String> headers, String body, Map<String, String> claims, String requestId) {
        this(routeKey, method, path, pathParameters, query, headers, body, claims, requestId, Map.of());
    }

    public static ApiRequest decode(JsonNode event) {
        JsonNode ctx = event.path("requestContext");
        String body = event.path("body").isTextual() ? event.path("body").asText() : null;
        if (body != null && event.path("isBase64Encoded").asBoolean(false)) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        Map<String, String> headers = new HashMap<>();
        strings(event.path("headers")).forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        return new ApiRequest(
                event.path("routeKey").asText(""),
                ctx.path("http").path("method").asText(""),
                event.path("rawPath").asText(""),
                strings(event.path("pathParameters")),
                strings(event.path("queryStringParameters")),
                Map.copyOf(headers),
                body,
                strings(ctx.path("authorizer").path("jwt").path("claims")),
                ctx.path("requestId").asText(""),
                strings(ctx.path("authorizer").path("iam")));
    }

    public String pathParameter(String name) {
        String value = pathParameters.get(name);
        if (value == null || value.isBlank()) {
            throw new InvalidInput(name, "path parameter '" + name + "' is missing");
        }
        return value;
    }

    public Optional<String> queryParameter(String name) {
        return Optional.ofNullable(query.get(name)).filter(v -> !v.isEmpty());
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT))).filter(v -> !v.isBlank());
    }

    private static Map<String, String> strings(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
        return Map.copyOf(out);
    }
}

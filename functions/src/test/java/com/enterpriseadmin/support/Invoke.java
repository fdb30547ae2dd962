package com.enterpriseadmin.support;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Runs a handler on a sample event (optionally edited) the way Lambda does: bytes in, bytes out. */
public final class Invoke {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Invoke() {}

    public static ObjectNode event(String name) {
        try {
            return (ObjectNode) MAPPER.readTree(Events.load(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The payload-2.0 response: {@code statusCode}, {@code headers}, {@code body} (parsed to {@code json}). */
    public record Result(int status, JsonNode headers, JsonNode json) {
        public String header(String name) { return headers.path(name).asText(null); }
    }

    public static Result run(RequestStreamHandler handler, JsonNode event) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(MAPPER.writeValueAsBytes(event)), out, null);
            JsonNode response = MAPPER.readTree(out.toByteArray());
            JsonNode body = response.hasNonNull("body") ? MAPPER.readTree(response.get("body").asText()) : MAPPER.nullNode();
            return new Result(response.path("statusCode").asInt(), response.path("headers"), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode withBody(ObjectNode event, String body) {
        ObjectNode copy = event.deepCopy();
        if (body == null) {
            copy.remove("body");
        } else {
            copy.put("body", body);
        }
        return copy;
    }

    public static ObjectNode with(ObjectNode event, String routeKey, String rawPath, String pathParamName, String pathParamValue) {
        ObjectNode copy = event.deepCopy();
        copy.put("routeKey", routeKey);
        copy.put("rawPath", rawPath);
        copy.withObjectProperty("pathParameters").put(pathParamName, pathParamValue);
        return copy;
    }

    public static ObjectNode withQuery(ObjectNode event, String name, String value) {
        ObjectNode copy = event.deepCopy();
        copy.withObjectProperty("queryStringParameters").put(name, value);
        return copy;
    }
}

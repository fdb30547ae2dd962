package com.enterpriseadmin.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One DynamoDB Streams record as Lambda delivers it ({@code Records[i]}), its images decoded from the
 * attribute-value JSON ({@code {"S": "x"}}, {@code {"N": "1"}}, ...) into plain Java values: strings, {@code Long}
 * (or {@code java.math.BigDecimal} for fractions), booleans, lists and maps. An absent image is an empty map.
 */
public record StreamRecord(String eventName, String sequenceNumber, Instant approximateTime,
                           Map<String, Object> keys, Map<String, Object> oldImage, Map<String, Object> newImage) {

    public static List<StreamRecord> decodeAll(JsonNode event) {
        List<StreamRecord> out = new ArrayList<>();
        for (JsonNode r : event.path("Records")) {
            out.add(decode(r));
        }
        return out;
    }

    public static StreamRecord decode(JsonNode record) {
        JsonNode d = record.path("dynamodb");
        double seconds = d.path("ApproximateCreationDateTime").asDouble(0);
        return new StreamRecord(record.path("eventName").asText(""), d.path("SequenceNumber").asText(""),
                Instant.ofEpochMilli((long) (seconds * 1000)), image(d.path("Keys")), image(d.path("OldImage")), image(d.path("NewImage")));
    }

    /** The image that exists: the new one, or the old one of a REMOVE. */
    public Map<String, Object> current() {
        return newImage.isEmpty() ? oldImage : newImage;
    }

    static Map<String, Object> image(JsonNode node) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> m.put(e.getKey(), value(e.getValue())));
        }
        return m;
    }

    private static Object value(JsonNode av) {
        if (av.has("S")) return av.get("S").asText();
        if (av.has("N")) {
            String n = av.get("N").asText();
            return n.contains(".") || n.contains("e") || n.contains("E") ? new java.math.BigDecimal(n) : Long.parseLong(n);
        }
        if (av.has("BOOL")) return av.get("BOOL").asBoolean();
        if (av.has("NULL")) return null;
        if (av.has("M")) return image(av.get("M"));
        if (av.has("L")) {
            List<Object> l = new ArrayList<>();
            av.get("L").forEach(v -> l.add(value(v)));
            return l;
        }
        if (av.has("SS")) {
            List<Object> l = new ArrayList<>();
            av.get("SS").forEach(v -> l.add(v.asText()));
            return l;
        }
        if (av.has("NS")) {
            List<Object> l = new ArrayList<>();
            av.get("NS").forEach(v -> l.add(Long.parseLong(v.asText())));
            return l;
        }
        if (av.has("B")) return Base64.getDecoder().decode(av.get("B").asText()).length + " bytes";
        return null;
    }
}

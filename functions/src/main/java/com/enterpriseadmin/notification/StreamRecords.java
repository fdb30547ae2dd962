package com.enterpriseadmin.notification;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Decodes the event Lambda delivers for the table's stream (DynamoDB JSON images) into {@link Change}s. */
public final class StreamRecords {
    private StreamRecords() {}

    /** The changes of an event, in order; a record that cannot be decoded has empty images and no key. */
    public static List<Change> changes(JsonNode event) {
        List<Change> changes = new ArrayList<>();
        for (JsonNode r : event.path("Records")) {
            JsonNode d = r.path("dynamodb");
            Map<String, AttributeValue> keys = image(d.path("Keys"));
            changes.add(new Change(d.path("SequenceNumber").asText(""), r.path("eventName").asText(""),
                    keys.containsKey("PK") ? keys.get("PK").s() : null, keys.containsKey("SK") ? keys.get("SK").s() : null,
                    image(d.path("OldImage")), image(d.path("NewImage"))));
        }
        return changes;
    }

    static Map<String, AttributeValue> image(JsonNode node) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> item.put(e.getKey(), attribute(e.getValue())));
        return item;
    }

    private static AttributeValue attribute(JsonNode v) {
        if (!v.isObject() || v.size() != 1) {
            throw new UnreadableChange("an attribute value is not one typed DynamoDB JSON value");
        }
        var e = v.fields().next();
        JsonNode x = e.getValue();
        return switch (e.getKey()) {
            case "S" -> AttributeValue.fromS(x.asText());
            case "N" -> AttributeValue.fromN(x.asText());
            case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(x.asText())));
            case "BOOL" -> AttributeValue.fromBool(x.asBoolean());
            case "NULL" -> AttributeValue.fromNul(true);
            case "SS" -> AttributeValue.fromSs(texts(x));
            case "NS" -> AttributeValue.fromNs(texts(x));
            case "L" -> {
                List<AttributeValue> list = new ArrayList<>();
                x.forEach(i -> list.add(attribute(i)));
                yield AttributeValue.fromL(list);
            }
            case "M" -> AttributeValue.fromM(image(x));
            default -> throw new UnreadableChange("unknown attribute type " + e.getKey());
        };
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(i -> out.add(i.asText()));
        return out;
    }
}

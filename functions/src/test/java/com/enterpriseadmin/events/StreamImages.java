package com.enterpriseadmin.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Stream records as Lambda delivers them (NEW_AND_OLD_IMAGES), built from items as the stores write them. */
final class StreamImages {
    static final ObjectMapper JSON = new ObjectMapper();
    private static long sequence = 100;

    private StreamImages() {}

    static ObjectNode record(Map<String, AttributeValue> oldImage, Map<String, AttributeValue> newImage) {
        ObjectNode r = JSON.createObjectNode();
        r.put("eventID", "e" + sequence);
        r.put("eventName", oldImage == null ? "INSERT" : newImage == null ? "REMOVE" : "MODIFY");
        r.put("eventSource", "aws:dynamodb");
        r.put("awsRegion", "eu-west-1");
        ObjectNode d = r.putObject("dynamodb");
        d.put("ApproximateCreationDateTime", 1764410400.0);
        Map<String, AttributeValue> any = newImage != null ? newImage : oldImage;
        ObjectNode keys = d.putObject("Keys");
        keys.set("PK", av(any.get("PK")));
        keys.set("SK", av(any.get("SK")));
        if (oldImage != null) d.set("OldImage", image(oldImage));
        if (newImage != null) d.set("NewImage", image(newImage));
        d.put("SequenceNumber", Long.toString(sequence++));
        d.put("StreamViewType", "NEW_AND_OLD_IMAGES");
        return r;
    }

    static ObjectNode event(ObjectNode... records) {
        ObjectNode e = JSON.createObjectNode();
        ArrayNode a = e.putArray("Records");
        for (ObjectNode r : records) a.add(r);
        return e;
    }

    static ObjectNode image(Map<String, AttributeValue> item) {
        ObjectNode o = JSON.createObjectNode();
        item.forEach((k, v) -> o.set(k, av(v)));
        return o;
    }

    static ObjectNode av(AttributeValue v) {
        ObjectNode o = JSON.createObjectNode();
        if (v.s() != null) o.put("S", v.s());
        else if (v.n() != null) o.put("N", v.n());
        else if (v.bool() != null) o.put("BOOL", v.bool());
        else if (v.hasM()) o.set("M", image(v.m()));
        else if (v.hasL()) {
            ArrayNode a = o.putArray("L");
            v.l().forEach(x -> a.add(av(x)));
        } else o.put("NULL", true);
        return o;
    }

    static Map<String, AttributeValue> with(Map<String, AttributeValue> item, Object... kv) {
        java.util.HashMap<String, AttributeValue> m = new java.util.HashMap<>(item);
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            m.put((String) kv[i], v instanceof Number n ? AttributeValue.fromN(n.toString()) : AttributeValue.fromS(String.valueOf(v)));
        }
        return m;
    }
}

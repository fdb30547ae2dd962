package com.enterpriseadmin.store;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Builds and reads DynamoDB attribute maps; the item mappers in each store use only this. */
public final class Item {
    private final Map<String, AttributeValue> values = new HashMap<>();

    private Item() {}

    public static Item of(Key key, String type) {
        Item item = new Item();
        item.values.put(Keys.PK, AttributeValue.fromS(key.pk()));
        item.values.put(Keys.SK, AttributeValue.fromS(key.sk()));
        item.values.put(Keys.TYPE, AttributeValue.fromS(type));
        return item;
    }

    public Item s(String name, String value) {
        if (value != null) {
            values.put(name, AttributeValue.fromS(value));
        }
        return this;
    }

    public Item n(String name, long value) {
        values.put(name, AttributeValue.fromN(Long.toString(value)));
        return this;
    }

    public Item bool(String name, boolean value) {
        values.put(name, AttributeValue.fromBool(value));
        return this;
    }

    public Item time(String name, Instant value) {
        return value == null ? this : s(name, value.toString());
    }

    public Item strings(String name, List<String> value) {
        if (value != null) {
            values.put(name, AttributeValue.fromL(value.stream().map(AttributeValue::fromS).toList()));
        }
        return this;
    }

    public Item map(String name, Map<String, String> value) {
        if (value != null) {
            Map<String, AttributeValue> m = new HashMap<>();
            value.forEach((k, v) -> m.put(k, AttributeValue.fromS(v)));
            values.put(name, AttributeValue.fromM(m));
        }
        return this;
    }

    public Item attr(String name, AttributeValue value) {
        values.put(name, value);
        return this;
    }

    public Map<String, AttributeValue> build() {
        return Map.copyOf(values);
    }

    // ---- reading

    public static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    public static Optional<String> optStr(Map<String, AttributeValue> item, String name) {
        return Optional.ofNullable(str(item, name));
    }

    public static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0L : Long.parseLong(v.n());
    }

    public static boolean bool(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v != null && Boolean.TRUE.equals(v.bool());
    }

    public static Instant time(Map<String, AttributeValue> item, String name) {
        String s = str(item, name);
        return s == null ? null : Instant.parse(s);
    }

    public static List<String> strings(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || !v.hasL() ? List.of() : v.l().stream().map(AttributeValue::s).toList();
    }

    public static Map<String, String> map(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        if (v == null || !v.hasM()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        v.m().forEach((k, val) -> out.put(k, val.s()));
        return out;
    }
}

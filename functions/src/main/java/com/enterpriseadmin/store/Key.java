package com.enterpriseadmin.store;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A primary key of the table; built only by {@link Keys}. */
public record Key(String pk, String sk) {
    public Map<String, AttributeValue> toMap() {
        return Map.of(Keys.PK, AttributeValue.fromS(pk), Keys.SK, AttributeValue.fromS(sk));
    }
}

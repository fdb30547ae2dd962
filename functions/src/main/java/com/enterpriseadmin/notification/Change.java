package com.enterpriseadmin.notification;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One record of the table's stream: what happened to one item ({@code INSERT}, {@code MODIFY}, {@code REMOVE}),
 * its key and its images before and after (empty maps where there is none).
 */
public record Change(String sequenceNumber, String eventName, String pk, String sk,
                     Map<String, AttributeValue> oldImage, Map<String, AttributeValue> newImage) {

    public boolean inserted() { return "INSERT".equals(eventName); }

    public boolean modified() { return "MODIFY".equals(eventName); }

    public boolean removed() { return "REMOVE".equals(eventName); }
}

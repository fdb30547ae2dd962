package com.enterpriseadmin.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonProcessingException;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The delivery queue and its dead-letter queue on SQS; messages are {@link DeliveryMessage} as JSON. */
public final class SqsDeliveryQueue implements DeliveryQueue {
    private final SqsClient sqs;
    private final ObjectMapper mapper;
    private final String queueUrl;
    private final String deadLetterUrl;

    public SqsDeliveryQueue(SqsClient sqs, ObjectMapper mapper, String queueUrl, String deadLetterUrl) {
        this.sqs = sqs;
        this.mapper = mapper;
        this.queueUrl = queueUrl;
        this.deadLetterUrl = deadLetterUrl;
    }

    @Override
    public void enqueue(DeliveryMessage message, int delaySeconds) {
        String body = write(message);
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body).delaySeconds(Math.max(0, Math.min(MAX_DELAY_SECONDS, delaySeconds))));
    }

    @Override
    public void deadLetter(DeliveryMessage message, String reason) {
        String body = write(java.util.Map.of("message", message, "reason", reason));
        sqs.sendMessage(b -> b.queueUrl(deadLetterUrl).messageBody(body));
    }

    public DeliveryMessage read(String body) {
        try {
            return mapper.readValue(body, DeliveryMessage.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a delivery message", e);
        }
    }

    private String write(Object o) {
        try {
            return mapper.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

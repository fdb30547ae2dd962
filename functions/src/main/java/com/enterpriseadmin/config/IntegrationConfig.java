package com.enterpriseadmin.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The environment of the integration-event and webhook functions (docs/events.md, docs/webhooks.md), read once
 * and checked like {@link Config}: a malformed number fails the cold start with the variable's name. A function
 * without one of the names (it does not use it) fails only when it asks for it ({@code require...}).
 *
 * @param publicTargetsOnly true in the {@code prod} stage ({@code STAGE}): webhook URLs must be https and resolve to
 *                          public addresses only (docs/webhooks.md, "SSRF")
 */
public record IntegrationConfig(
        Optional<String> eventBusName,
        Optional<String> webhookQueueUrl,
        Optional<String> webhookDeadLetterQueueUrl,
        boolean publicTargetsOnly,
        Duration retryBase,
        Duration retryMaxDelay,
        Duration retryWindow,
        Duration disableAfter,
        Duration timeout) {

    public static IntegrationConfig fromEnv() {
        return from(System.getenv());
    }

    public static IntegrationConfig from(Map<String, String> env) {
        return new IntegrationConfig(
                optional(env, "EVENT_BUS_NAME"),
                optional(env, "WEBHOOK_QUEUE_URL"),
                optional(env, "WEBHOOK_DEAD_LETTER_QUEUE_URL"),
                "prod".equals(optional(env, "STAGE").orElse("prod")),
                seconds(env, "WEBHOOK_RETRY_BASE_SECONDS", 30),
                seconds(env, "WEBHOOK_RETRY_MAX_SECONDS", 3600),
                seconds(env, "WEBHOOK_RETRY_WINDOW_SECONDS", 86_400),
                seconds(env, "WEBHOOK_DISABLE_AFTER_SECONDS", 259_200),
                seconds(env, "WEBHOOK_TIMEOUT_SECONDS", 10));
    }

    public String requireEventBusName() {
        return eventBusName.orElseThrow(() -> new IllegalStateException("environment variable EVENT_BUS_NAME is not set"));
    }

    public String requireWebhookQueueUrl() {
        return webhookQueueUrl.orElseThrow(() -> new IllegalStateException("environment variable WEBHOOK_QUEUE_URL is not set"));
    }

    public String requireWebhookDeadLetterQueueUrl() {
        return webhookDeadLetterQueueUrl.orElseThrow(() -> new IllegalStateException("environment variable WEBHOOK_DEAD_LETTER_QUEUE_URL is not set"));
    }

    private static Optional<String> optional(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private static Duration seconds(Map<String, String> env, String name, long fallback) {
        Optional<String> raw = optional(env, name);
        if (raw.isEmpty()) {
            return Duration.ofSeconds(fallback);
        }
        try {
            long v = Long.parseLong(raw.get());
            if (v > 0) {
                return Duration.ofSeconds(v);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalStateException("environment variable " + name + " must be a positive number of seconds, was '" + raw.get() + "'");
    }
}

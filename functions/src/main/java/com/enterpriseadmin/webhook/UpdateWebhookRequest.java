package com.enterpriseadmin.webhook;

import java.util.List;

/** {@code PATCH .../webhooks/{webhookId}}: any of the event types, enabled (re-enabling clears the failure run), description. */
public record UpdateWebhookRequest(List<String> eventTypes, Boolean enabled, String description) {}

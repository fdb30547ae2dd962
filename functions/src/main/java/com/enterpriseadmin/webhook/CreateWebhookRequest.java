package com.enterpriseadmin.webhook;

import java.util.List;

/** {@code POST .../webhooks}: where to POST, which event types, an optional description. */
public record CreateWebhookRequest(String url, List<String> eventTypes, String description) {}

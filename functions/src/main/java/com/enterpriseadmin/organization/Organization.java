package com.enterpriseadmin.organization;

import java.time.Instant;

/** An enterprise organization. {@code ownerId} is the user id of its one OWNER. */
public record Organization(String orgId, String name, String ownerId, Instant createdAt, Instant updatedAt, long version) {}

package com.enterpriseadmin.user;

import java.time.Instant;

/** A person who completed sign-up. {@code userId} is the Cognito {@code sub}; the e-mail is lower-case. */
public record UserProfile(String userId, String email, String name, Instant createdAt) {}

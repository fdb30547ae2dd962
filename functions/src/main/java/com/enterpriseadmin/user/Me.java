package com.enterpriseadmin.user;

import com.enterpriseadmin.auth.Caller;
import java.time.Instant;

/** The use case behind {@code GET /v1/me}. */
public final class Me {
    private final Profiles profiles;

    public Me(Profiles profiles) {
        this.profiles = profiles;
    }

    public View describe(Caller caller) {
        UserProfile profile = profiles.ensure(caller);
        return new View(profile.userId(), profile.email(), profile.name(), profile.createdAt());
    }

    public record View(String userId, String email, String name, Instant createdAt) {}
}

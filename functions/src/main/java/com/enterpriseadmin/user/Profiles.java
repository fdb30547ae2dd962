package com.enterpriseadmin.user;

import com.enterpriseadmin.auth.Admission;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.observability.Log;
import java.time.Clock;

/**
 * Profile provisioning. The PostConfirmation trigger normally creates the profile; because a
 * trigger can fail silently, the first authenticated call of a confirmed user with no profile
 * creates it from the verified token claims. Both paths use the same conditional put.
 */
public final class Profiles {
    private final ProfileStore store;
    private final Clock clock;

    public Profiles(ProfileStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The caller's profile, provisioning it from the verified claims if the trigger never ran. */
    public UserProfile ensure(Caller caller) {
        return store.get(caller.userId()).orElseGet(() -> provision(caller));
    }

    private UserProfile provision(Caller caller) {
        String email = caller.verifiedEmail().orElseThrow(Admission::emailNotVerified);
        UserProfile profile = new UserProfile(caller.userId(), email, caller.name().orElse(null), clock.instant());
        if (store.createIfAbsent(profile)) {
            Log.warn("profile-provisioned-from-token", "userId", caller.userId());
            return profile;
        }
        return store.get(caller.userId()).orElse(profile);
    }

    public boolean createFromSignUp(UserProfile profile) {
        return store.createIfAbsent(profile);
    }
}

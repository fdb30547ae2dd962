package com.enterpriseadmin.reconciliation;

import com.enterpriseadmin.user.EmailAddress;
import com.enterpriseadmin.user.ProfileStore;
import com.enterpriseadmin.user.UserProfile;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ListUsersRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserStatusType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserType;

/**
 * Creates the profile of every confirmed Cognito user who has none (a PostConfirmation trigger that
 * failed for good, or a user created by an administrator, for whom the trigger never fires).
 */
public final class ProfileProvisioning implements ReconciliationSchedule.Sweep {
    private final CognitoIdentityProviderClient cognito;
    private final String userPoolId;
    private final ProfileStore profiles;

    public ProfileProvisioning(CognitoIdentityProviderClient cognito, String userPoolId, ProfileStore profiles) {
        this.cognito = cognito;
        this.userPoolId = userPoolId;
        this.profiles = profiles;
    }

    @Override
    public String name() {
        return "profilesProvisioned";
    }

    @Override
    public int run(Instant now) {
        int created = 0;
        for (UserType user : cognito.listUsersPaginator(ListUsersRequest.builder().userPoolId(userPoolId).limit(60).build()).users()) {
            if (user.userStatus() != UserStatusType.CONFIRMED || !Boolean.TRUE.equals(user.enabled())) {
                continue;
            }
            Map<String, String> attributes = new HashMap<>();
            for (AttributeType a : user.attributes()) {
                attributes.put(a.name(), a.value());
            }
            String sub = attributes.get("sub");
            String email = EmailAddress.normalise(attributes.get("email"));
            if (sub == null || email == null || email.isEmpty() || profiles.get(sub).isPresent()) {
                continue;
            }
            if (profiles.createIfAbsent(new UserProfile(sub, email, attributes.get("name"), now))) {
                created++;
            }
        }
        return created;
    }
}
